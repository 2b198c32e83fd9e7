"""Read a PAR INDEX criteria set (Bộ chỉ số CCHC) from Excel, write the blank template and export a set back.

Reading is a dry run: every row is checked, every problem is collected with its row number, and a set comes
back only when there is none (house style §10). The reader takes the province's own layouts, not only the
template: the header row is found among the first rows by folded labels (any order, extra columns ignored),
title rows above it give the set's name, year and source.

Codes. "1", "1.1", "1.1.2" as text or as numbers (Excel stores 1.1 as a float; 1.10 cannot be told from 1.1
and reads as "1.1"). Roman numerals in the code column ("I", "II") are fields and become "1", "2". Their
children are written either in full ("1.1", "1.1.2": kept as written) or restarting under each field ("1",
"1.1" under "II"): the first coded row under a Roman field decides. If it starts with the field's number and
a dot the codes are taken as written, otherwise the field's number is put in front ("1.1" under "II" becomes
"2.1.1"). A code written at the start of the title ("1.2. Báo cáo CCHC") is used when the code cell is empty.

Rows titled "Điểm thưởng"/"Điểm cộng" are bonus rows, "Điểm phạt"/"Điểm trừ" penalty rows; their code is
kept, or "T"/"P" when they have none or a Roman one. Rows whose title starts with "Ví dụ:" are the
template's examples and are skipped, as are "Tổng cộng" rows and the column-number row under the header.

Before openpyxl opens a file, `_check_package` refuses what would make it use unbounded time or memory (a zip
bomb, a DTD, millions of elements, rows wider than Excel's): a hostile file gets a clear message, never a hang.

openpyxl is imported inside the functions (start-up must not pay for it).
"""

from __future__ import annotations

import os
import re
import secrets
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from parclerk import glossary, vntext
from parclerk.criteria import (
    CriteriaSet,
    Criterion,
    PointsError,
    check_set,
    parse_points,
    parse_rule,
)
from parclerk.errors import ParclerkError

MAX_ROWS = 5_000
MAX_COLUMNS = 30
HEADER_SCAN_ROWS = 15
_EMPTY_ROWS_AFTER_LIMIT = 15_000  # blank (formatted) rows read past MAX_ROWS before the reader gives up
# Columns read from each row. openpyxl pads every row to its last cell: one empty cell at column XFD made each
# row 16,384 values (a 250 KB file of such rows took 8 s and 660 MB). Content further right is not looked at.
_SCAN_COLUMNS = 256

# A hostile or mistaken file is refused before openpyxl unpacks it (a criteria set is a few hundred KB, its
# parts a few MB once unzipped). The counts bound openpyxl's time and memory: it keeps every shared string and
# every cell of a row as Python objects (a 17 MB table of one million strings took 5 s; one row of a million
# cells, 11 MB of XML, took 630 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts, as the zip's directory declares them
MAX_XML_ELEMENTS = 1_000_000  # in all XML parts together
MAX_ROW_CELLS = 16_384  # Excel's own column count: no real row has more cells

# --- columns ----------------------------------------------------------------------------------------

FIELDS = ("code", "title", "maximum", "rule", "evidence", "department", "survey")
CANONICAL_LABELS: dict[str, str] = {
    "code": "Mã",
    "title": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "maximum": "Điểm tối đa",
    "rule": "Cách chấm điểm",
    "evidence": "Tài liệu kiểm chứng",
    "department": "Đơn vị phụ trách",
    "survey": "Điều tra XHH",
}
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("STT", "Mã", "Mã số", "TT"),
    "title": ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Nội dung", "Tiêu chí", "Tên tiêu chí"),
    "maximum": ("Điểm tối đa", "Điểm chuẩn", "Thang điểm", "Điểm"),
    "rule": ("Cách chấm điểm", "Hướng dẫn chấm", "Phương pháp chấm", "Lựa chọn", "Thang điểm chi tiết"),
    "evidence": ("Tài liệu kiểm chứng", "TLKC"),
    "department": ("Đơn vị phụ trách", "Cơ quan phụ trách"),
    "survey": ("Điều tra XHH", "ĐTXHH"),
}
REQUIRED = ("code", "title", "maximum")


def _label_key(text: Any) -> str:
    """A header label for matching: folded, without "(...)" notes, "a / b" as "a/b", no end punctuation."""
    if not isinstance(text, str):
        return ""
    text = vntext.without_parentheses(text, " ")
    text = re.sub(r"\s*/\s*", "/", vntext.fold(text))
    return text.strip(" .:*")


_ALIAS_INDEX = {_label_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class RowProblem:
    """One problem; `row` is the sheet's row number (None for the whole file), `column` the header label as
    the file writes it ("" when no column applies). str() gives the line shown to the clerk."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


# --- reading ----------------------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CODE = re.compile(r"\d+(?:\.\d+)*")
_CODE_IN_TITLE = re.compile(r"^(\d+(?:\.\d+)*|[IVXLC]+)[.)]\s+(\S.*)$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SOURCE_IN_TITLE = re.compile(r"\b(quyet dinh|qd|cong van|cv)\b")
_TRUE = {"x", "co", "v", "1", "dtxhh", "xhh", "yes", "✓", "✔"}
_FALSE = {"", "khong", "0", "-", "no"}
_BONUS = ("diem thuong", "diem cong")
_PENALTY = ("diem phat", "diem tru")
_TOTAL = ("tong cong", "tong diem", "tong so diem", "cong")
_EXAMPLE = ("vi du:", "vd:")
_META_YEAR = "nam ap dung:"
_META_LEVEL = "cap ap dung:"
_META_SOURCE = "nguon:"
_FORMULA_MESSAGE = "ô có công thức chưa được tính; hãy mở tệp bằng Excel, lưu lại rồi nhập"


def _roman(text: str) -> int | None:
    if not text or not re.fullmatch(r"[IVXLC]+", text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN[ch]
        nxt = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < nxt else value
    return total if total > 0 else None


def _text(value: Any) -> str:
    """A cell as one line of text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vntext.clean_line(str(value))


def _code_text(value: Any) -> str:
    """The code cell as text: 1 -> '1', 1.1 (float) -> '1.1', ' 1.1. ' -> '1.1', '2)' -> '2'."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return vntext.clean_line(str(value)).replace(" ", "").rstrip(".)")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind(title: str) -> str:
    folded = vntext.fold(title)
    if folded.startswith(_BONUS):
        return "bonus"
    if folded.startswith(_PENALTY):
        return "penalty"
    return "item"


def _points_value(value: Any) -> int | None:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return parse_points(value)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise PointsError(f"“{value}” là ngày giờ, không phải là số điểm.")
    return parse_points(str(value))


def _unreadable(path: Path) -> ParclerkError:
    return ParclerkError(
        f"Không đọc được tệp “{path.name}”: đây không phải là tệp Excel .xlsx hợp lệ. Nếu là tệp .xls cũ, hãy "
        "mở bằng Excel và lưu lại dưới dạng .xlsx rồi nhập."
    )


# The compound file of an .xls, and of an .xlsx saved with a password (its "EncryptedPackage" stream).
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _open_file(path: Path):
    """The file opened for reading, or a ParclerkError saying why not."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise ParclerkError(f"Không tìm thấy tệp “{path}”.") from None
    except PermissionError:
        raise ParclerkError(
            f"Không mở được tệp “{path.name}”: không có quyền đọc hoặc tệp đang bị khóa."
        ) from None
    except OSError:
        raise _unreadable(path) from None


def _check_package(path: Path) -> None:
    """Refuse, before openpyxl opens it, a file that is too big, not an .xlsx (an old .xls, a password-protected
    workbook), a zip bomb, or whose XML would make openpyxl use unbounded time or memory (readers.scan_package_xml:
    a DTD, too many elements, a row with more cells than Excel has columns). Reads the zip's directory, then
    streams each part through expat; nothing is unpacked to disk."""
    from parclerk.parsing.readers import PackageLimit, scan_package_xml

    with _open_file(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(8)
    if size > MAX_FILE_BYTES:
        raise ParclerkError(
            f"Tệp “{path.name}” quá lớn ({size / 1024 / 1024:,.0f} MB): một bộ chỉ số chỉ vài trăm KB, parclerk "
            f"chỉ nhập tệp Excel đến {MAX_FILE_BYTES // 1024 // 1024} MB. Hãy kiểm tra lại tệp (có thể chọn nhầm tệp)."
        )
    if head == _OLE2_MAGIC:
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            raise ParclerkError(
                f"Tệp “{path.name}” được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, bỏ mật khẩu (Tệp → "
                "Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập."
            )
        raise ParclerkError(
            f"Tệp “{path.name}” là tệp Excel 97-2003 (.xls), không phải .xlsx. Hãy mở tệp bằng Excel, lưu lại dưới "
            "dạng Sổ làm việc Excel (.xlsx) rồi nhập tệp mới."
        )
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ParclerkError(
                    f"Tệp “{path.name}” quá lớn khi giải nén ({unpacked / 1024 / 1024:,.0f} MB) nên parclerk không "
                    "đọc. Một bộ chỉ số chỉ vài MB; hãy kiểm tra lại tệp (có thể chọn nhầm tệp)."
                )
            scan_package_xml(package, max_elements=MAX_XML_ELEMENTS, max_row_cells=MAX_ROW_CELLS)
    except ParclerkError:
        raise
    except PackageLimit as limit:
        if limit.reason == "dtd":
            raise ParclerkError(
                f"Tệp “{path.name}” có khai báo DTD (tệp Excel thật không có phần này) nên parclerk không đọc, để "
                "an toàn. Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi nhập."
            ) from None
        if limit.reason == "elements":
            raise ParclerkError(
                f"Tệp “{path.name}” có quá nhiều ô hoặc phần tử (hơn {vntext.format_count(MAX_XML_ELEMENTS)}); một "
                "bộ chỉ số không lớn như vậy. Hãy kiểm tra lại tệp (có thể chọn nhầm tệp), hoặc chép riêng trang bộ "
                "chỉ số sang một tệp mới rồi nhập."
            ) from None
        raise _unreadable(path) from None  # thousands of parts, a row wider than Excel's, a part in UTF-32
    except Exception:  # BadZipFile (not a zip, a bad CRC), zlib errors
        raise _unreadable(path) from None


def _open_rows(path: Path, *, data_only: bool, last_row: int | None = None) -> tuple[list[tuple], bool]:
    """The first sheet's rows as value tuples (row n at index n - 1), and whether it has more than MAX_ROWS
    rows with content. Unreadable files raise ParclerkError."""
    from openpyxl import load_workbook

    _check_package(path)
    rows: list[tuple] = []
    too_long = False
    # openpyxl is given an open file, not the path: when it fails half-way it leaves its zip open, and the
    # file would stay open until the garbage collector found it.
    handle = _open_file(path)
    with handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions and styles it does not read
        try:
            workbook = load_workbook(handle, read_only=True, data_only=data_only, keep_links=False)
        except MemoryError:
            raise
        except Exception:  # InvalidFileException, BadZipFile, and the XML parsers' errors (a SyntaxError)
            raise _unreadable(path) from None
        try:
            if not workbook.worksheets:
                raise ParclerkError(f"Tệp “{path.name}” không có trang tính nào.")
            sheet = workbook.worksheets[0]
            if not hasattr(sheet, "iter_rows"):
                raise ParclerkError(f"Trang đầu tiên của tệp “{path.name}” không phải là bảng tính.")
            sheet.reset_dimensions()
            for number, values in enumerate(
                sheet.iter_rows(max_col=_SCAN_COLUMNS, values_only=True), start=1
            ):
                if last_row is not None and number > last_row:
                    break
                has_content = any(not _is_empty(v) for v in values)
                if number > MAX_ROWS:
                    if has_content:
                        too_long = True
                        break
                    if number > MAX_ROWS + _EMPTY_ROWS_AFTER_LIMIT:
                        break
                    continue
                rows.append(tuple(values))
        except ParclerkError:
            raise
        except MemoryError:
            raise
        except Exception:  # a damaged or hostile sheet: openpyxl's parse errors are many and undocumented
            raise _unreadable(path) from None
        finally:
            workbook.close()
    return rows, too_long


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row index, field -> column index, field -> label as written) of the best header row, or None."""
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for column, value in enumerate(values[:MAX_COLUMNS]):
            name = _ALIAS_INDEX.get(_label_key(value))
            if name and name not in columns:
                columns[name] = column
                labels[name] = _text(value)
        required = sum(1 for name in REQUIRED if name in columns)
        if required >= 2 and (best is None or required > sum(1 for n in REQUIRED if n in best[1])):
            best = (index, columns, labels)
            if required == len(REQUIRED):
                break
    return best


def read_criteria_xlsx(
    path: str | os.PathLike[str], *, year: int | None = None, level: str | None = None
) -> tuple[CriteriaSet | None, list[RowProblem]]:
    """Read the first sheet of an .xlsx criteria set. Returns (set, []) or (None, every problem)."""
    path = Path(path)
    rows, too_long = _open_rows(path, data_only=True)
    if too_long:
        return None, [
            RowProblem(
                None,
                "",
                f"Bảng có hơn {MAX_ROWS:,} dòng; một bộ chỉ số không dài như vậy. Hãy kiểm tra tệp (có thể "
                "chọn nhầm tệp hoặc nhầm trang tính).".replace(",", "."),
            )
        ]
    wide = next(
        (n for n, values in enumerate(rows, start=1) if any(not _is_empty(v) for v in values[MAX_COLUMNS:])),
        None,
    )
    if wide is not None:
        return None, [
            RowProblem(
                wide,
                "",
                f"bảng có nội dung ở quá {MAX_COLUMNS} cột; hãy xóa các cột thừa hoặc kiểm tra lại tệp.",
            )
        ]
    header = _find_header(rows)
    if header is None:
        return None, [
            RowProblem(
                None,
                "",
                f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN_ROWS} dòng đầu (cần các cột "
                f"“{CANONICAL_LABELS['code']}”, “{CANONICAL_LABELS['title']}”, “{CANONICAL_LABELS['maximum']}”).",
            )
        ]
    header_index, columns, labels = header
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        names = ", ".join(f"“{CANONICAL_LABELS[name]}”" for name in missing)
        return None, [RowProblem(header_index + 1, "", f"không tìm thấy cột {names} trong dòng tiêu đề cột.")]
    reader = _SheetReader(rows, header_index, columns, labels)
    reader.read()
    problems = reader.problems
    if reader.pending_formula:
        _mark_formulas(path, reader)

    name, source, meta_year, meta_level = _title_block(rows[:header_index])
    if year is None:
        year = meta_year
    if year is None:
        found = _YEAR.findall(name)
        year = int(found[-1]) if found else None
    if year is None:
        problems.append(
            RowProblem(
                None, "", "Không xác định được năm của bộ chỉ số (tiêu đề không ghi năm); hãy chọn năm."
            )
        )
    level = level or meta_level or "xa"
    if level not in glossary.LEVELS:
        problems.append(RowProblem(None, "", f"Cấp “{level}” không hợp lệ."))
    if not reader.criteria and not problems:
        problems.append(RowProblem(None, "", "Không có tiêu chí nào dưới dòng tiêu đề cột."))
    if problems:
        return None, _sorted(problems)

    criteria_set = CriteriaSet(
        name=name or f"Bộ chỉ số CCHC năm {year}",
        year=year or 0,
        level=level,
        source=source,
        criteria=tuple(reader.criteria),
    )
    structure = [reader.locate(message) for message in check_set(criteria_set, expected_total=10000)]
    if structure:
        return None, _sorted(structure)
    return criteria_set, []


def _sorted(problems: list[RowProblem]) -> list[RowProblem]:
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def _title_block(rows: list[tuple]) -> tuple[str, str, int | None, str | None]:
    """(name, source, year, level) from the rows above the header."""
    lines = [next((_text(v) for v in values if not _is_empty(v)), "") for values in rows]
    name = source = ""
    year: int | None = None
    level: str | None = None
    others = []
    for line in filter(None, lines):
        folded = vntext.fold(line)
        if folded.startswith(_META_YEAR):
            found = _YEAR.findall(line)
            year = int(found[0]) if found else year
        elif folded.startswith(_META_LEVEL):
            value = vntext.fold(line.split(":", 1)[1])
            level = next(
                (key for key, label in glossary.LEVELS.items() if value in (key, vntext.fold(label))), level
            )
        elif folded.startswith(_META_SOURCE):
            source = line.split(":", 1)[1].strip()
        elif line.startswith("(") and _SOURCE_IN_TITLE.search(folded) and not source:
            source = line.strip("() ")
        else:
            others.append(line)
    name = next(
        (line for line in others if "chi so" in vntext.fold(line) or "bo tieu chi" in vntext.fold(line)), ""
    )
    if not name and others:
        name = others[-1]  # the line nearest the table
    return name, source, year, level


class _SheetReader:
    def __init__(self, rows: list[tuple], header_index: int, columns: dict[str, int], labels: dict[str, str]):
        self.rows = rows
        self.header_index = header_index
        self.columns = columns
        self.labels = {name: labels.get(name) or CANONICAL_LABELS[name] for name in FIELDS}
        self.criteria: list[Criterion] = []
        self.code_rows: dict[str, list[int]] = {}
        self.problems: list[RowProblem] = []
        self.pending_formula: dict[tuple[int, int], int] = {}  # (row, column index) -> index in problems

    def cell(self, values: tuple, name: str) -> Any:
        column = self.columns.get(name)
        if column is None or column >= len(values):
            return None
        value = values[column]
        return None if _is_empty(value) else value

    def problem(self, row: int, name: str, message: str, *, maybe_formula: bool = False) -> None:
        if maybe_formula:
            self.pending_formula[(row, self.columns[name])] = len(self.problems)
        self.problems.append(RowProblem(row, self.labels[name], message))

    def read(self) -> None:
        roman_field: str | None = None
        relative: bool | None = None
        generated = {"bonus": "T", "penalty": "P"}
        for index in range(self.header_index + 1, len(self.rows)):
            values = self.rows[index]
            number = index + 1
            raw = {name: self.cell(values, name) for name in FIELDS}
            code_cell, title_cell, max_cell = raw["code"], raw["title"], raw["maximum"]
            if code_cell is None and title_cell is None and max_cell is None:
                continue
            title = _text(title_cell)
            folded_title = vntext.fold(title)
            if index <= self.header_index + 2 and re.fullmatch(r"\(?\d+\)?", title):
                continue  # the column-number row "(1) (2) (3)" under the header
            if folded_title.startswith(_EXAMPLE):
                continue
            code = _code_text(code_cell)
            if isinstance(code_cell, (datetime, date)):
                self.problem(
                    number,
                    "code",
                    f"mã “{code}” bị Excel đổi thành ngày tháng; hãy định dạng cột là văn bản.",
                )
                continue
            if not code and title:
                match = _CODE_IN_TITLE.match(title)
                if match:
                    code, title = match.group(1), match.group(2)
            if not code and folded_title.startswith(_TOTAL):
                continue
            kind = _kind(title)
            if not title:
                self.problem(
                    number, "title", "thiếu tên tiêu chí.", maybe_formula=title_cell is None and bool(code)
                )
                continue
            roman = _roman(code)
            if kind != "item":
                roman_field = None
                if not code or roman is not None or not _CODE.fullmatch(code):
                    code, suffix = generated[kind], 2
                    while code in self.code_rows:
                        code, suffix = f"{generated[kind]}{suffix}", suffix + 1
            elif not code:
                if not self.criteria and max_cell is None:
                    continue  # a heading between the header and the first criterion
                self.problem(number, "code", "có nội dung nhưng thiếu mã.", maybe_formula=code_cell is None)
                continue
            elif roman is not None:
                code = str(roman)
                roman_field, relative = code, None
            elif not _CODE.fullmatch(code):
                self.problem(number, "code", f"mã “{code}” không hợp lệ (viết 1, 1.1, 1.1.2 hoặc I, II).")
                continue
            elif roman_field is not None:
                if relative is None:
                    relative = not code.startswith(roman_field + ".")
                if relative:
                    code = f"{roman_field}.{code}"
            maximum = None
            if max_cell is None:
                self.problem(number, "maximum", "thiếu điểm tối đa.", maybe_formula=True)
            else:
                try:
                    maximum = _points_value(max_cell)
                except PointsError as exc:
                    self.problem(number, "maximum", str(exc))
            if maximum is None:
                continue
            rule_text = _text(raw["rule"])
            survey_text = vntext.fold(_text(raw["survey"]))
            if survey_text not in _TRUE and survey_text not in _FALSE:
                self.problem(
                    number, "survey", f"“{_text(raw['survey'])}”: ghi “x” nếu chấm bằng điều tra XHH."
                )
                continue
            self.code_rows.setdefault(code, []).append(number)
            self.criteria.append(
                Criterion(
                    code=code,
                    title=title,
                    maximum=maximum,
                    rule=parse_rule(rule_text, maximum),
                    survey=survey_text in _TRUE,
                    evidence=_multiline(raw["evidence"]),
                    department=_text(raw["department"]),
                    kind=kind,
                )
            )

    def locate(self, message: str) -> RowProblem:
        """A check_set() message with the row of the code it names."""
        match = re.match(r"Mã “?([^\s:”]+)”?", message)
        if not match or match.group(1) not in self.code_rows:
            return RowProblem(None, "", message)
        rows = self.code_rows[match.group(1)]
        duplicate = "bị trùng" in message
        column = "code" if duplicate or "không có mục cha" in message else "maximum"
        return RowProblem(rows[-1] if duplicate else rows[0], self.labels[column], message)


def _multiline(value: Any) -> str:
    if value is None:
        return ""
    lines = (vntext.clean_line(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _mark_formulas(path: Path, reader: _SheetReader) -> None:
    """Reopen without data_only: a required cell that was empty because its formula was never computed gets
    the formula message instead of 'missing'."""
    last = max(row for row, _ in reader.pending_formula)
    rows, _ = _open_rows(path, data_only=False, last_row=last)
    for (row, column), index in reader.pending_formula.items():
        values = rows[row - 1] if row - 1 < len(rows) else ()
        value = values[column] if column < len(values) else None
        if isinstance(value, str) and value.startswith("="):
            old = reader.problems[index]
            reader.problems[index] = RowProblem(old.row, old.column, _FORMULA_MESSAGE + ".")


# --- writing ----------------------------------------------------------------------------------------

FONT_NAME = "Times New Roman"
COLUMN_WIDTHS = (9.0, 60.0, 10.0, 50.0, 36.0, 20.0, 10.0)
TEMPLATE_TITLE = "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ...."
# The three example rows of the template: Cà Mau, QĐ 1880/QĐ-UBND năm 2013 (domain guide §5.8).
TEMPLATE_EXAMPLES = (
    ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 20, ""),
    ("1.1", "Kế hoạch CCHC năm", 5, ""),
    (
        "1.1.1",
        "Ban hành kế hoạch CCHC năm",
        1,
        "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0",
    ),
)
INSTRUCTIONS = (
    "HƯỚNG DẪN ĐIỀN BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
    "",
    "1. Điền bộ chỉ số vào trang tính đầu tiên, mỗi tiêu chí một dòng, ngay dưới dòng tiêu đề cột. Không đổi tên "
    "các cột; có thể thêm cột khác (chương trình bỏ qua).",
    "2. Mã: lĩnh vực ghi 1, 2, 3; tiêu chí ghi 1.1, 1.2; tiêu chí thành phần ghi 1.1.1, 1.1.2. Có thể ghi lĩnh "
    "vực bằng số La Mã (I, II) như văn bản của tỉnh.",
    "3. Điểm tối đa: ghi số, phần thập phân dùng dấu phẩy (0,5; 0,25). Điểm của mục cha phải bằng tổng điểm các "
    "mục con; tổng điểm các lĩnh vực là 100.",
    "4. Cách chấm điểm: ghi các lựa chọn cách nhau bằng dấu chấm phẩy, mỗi lựa chọn dạng “Lựa chọn: điểm”, ví "
    "dụ “Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0”. Mức hoàn thành ghi như "
    "“Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0”.",
    "5. Điều tra XHH: ghi “x” ở tiêu chí chấm bằng điều tra xã hội học; để trống nếu đơn vị tự chấm.",
    "6. Điểm thưởng, điểm phạt: mỗi loại một dòng, cột nội dung ghi “Điểm thưởng …” hoặc “Điểm phạt …”, mã "
    "ghi T và P (hoặc để trống), cột điểm tối đa ghi mức thưởng/phạt tối đa. Hai dòng này không tính vào tổng 100.",
    "7. Ghi năm áp dụng, cấp áp dụng (Xã, phường, đặc khu / Sở, ban, ngành) và văn bản ban hành ở các dòng "
    "trên bảng.",
    "8. Các dòng chữ nghiêng màu xám bắt đầu bằng “Ví dụ:” là dòng mẫu, chương trình bỏ qua; hãy xóa hoặc ghi "
    "đè lên.",
    "9. Không dùng công thức cho cột điểm; nếu có, hãy mở tệp bằng Excel và lưu lại trước khi nhập.",
)


def write_template_xlsx(out_path: str | os.PathLike[str]) -> None:
    """The blank template ("Tải file mẫu"): title rows, the canonical header, three example rows in grey
    italic, and a "Hướng dẫn" sheet."""
    meta = ("Năm áp dụng: ", "Cấp áp dụng: ", "Nguồn: ")
    rows = [
        (code, f"Ví dụ: {title}", points * 100, rule, "", "", False, "example")
        for code, title, points, rule in TEMPLATE_EXAMPLES
    ]
    _save(Path(out_path), lambda path: _write_book(path, TEMPLATE_TITLE, meta, rows, instructions=True))


def export_criteria_xlsx(criteria_set: CriteriaSet, out_path: str | os.PathLike[str]) -> int:
    """Write a set in the template's layout (read back by read_criteria_xlsx to an equal set, classifications
    and the sample flag aside); return the number of criteria written."""
    level = glossary.LEVELS.get(criteria_set.level, criteria_set.level)
    meta = (f"Năm áp dụng: {criteria_set.year}", f"Cấp áp dụng: {level}", f"Nguồn: {criteria_set.source}")
    rows = [
        (
            c.code,
            c.title,
            c.maximum,
            c.rule.text,
            c.evidence,
            c.department,
            c.survey,
            "field" if c.kind == "item" and c.depth == 0 else "text",
        )
        for c in criteria_set.criteria
    ]
    _save(Path(out_path), lambda path: _write_book(path, criteria_set.name, meta, rows, instructions=True))
    return len(rows)


def _save(out_path: Path, write: Callable[[Path], None]) -> None:
    """Write next to the target, then move into place: a failed export leaves no half-written file."""
    temp = out_path.with_name(f".{out_path.stem}.{secrets.token_hex(4)}.tmp")
    created = replacing = False
    try:
        temp.touch(exist_ok=False)
        created = True
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        replacing = True
        os.replace(temp, out_path)
        created = False
    except OSError as exc:
        if replacing:
            message = (
                f"Không ghi đè được tệp “{out_path.name}”: tệp đang được mở (ví dụ trong Excel) hoặc chỉ cho phép "
                "đọc. Hãy đóng tệp hoặc chọn tên khác rồi thử lại."
            )
        elif not out_path.parent.is_dir():
            message = f"Không ghi được tệp: thư mục “{out_path.parent}” không tồn tại."
        else:
            message = (
                f"Không ghi được tệp vào thư mục “{out_path.parent}”. Hãy kiểm tra quyền ghi hoặc ổ đĩa."
            )
        raise ParclerkError(message) from exc
    finally:
        if created:
            try:
                temp.unlink()
            except OSError:
                pass


def _write_book(
    path: Path, title: str, meta: tuple[str, ...], rows: list[tuple], *, instructions: bool
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.creator = "parclerk"
    ws = wb.create_sheet(title="Bộ chỉ số")
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = len(meta) + 3
    ws.freeze_panes = f"A{header_row + 1}"

    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    styles = {
        "title": NamedStyle(
            font=Font(name=FONT_NAME, size=14, bold=True),
            alignment=Alignment(horizontal="centerContinuous", vertical="center"),
        ),
        "meta": NamedStyle(font=Font(name=FONT_NAME, size=12, italic=True)),
        "header": NamedStyle(
            font=Font(name=FONT_NAME, size=12, bold=True),
            border=grid,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        "text": NamedStyle(font=Font(name=FONT_NAME, size=12), border=grid, alignment=top_left),
        "number": NamedStyle(font=Font(name=FONT_NAME, size=12), border=grid, alignment=top_center),
        "field": NamedStyle(font=Font(name=FONT_NAME, size=12, bold=True), border=grid, alignment=top_left),
        "field_number": NamedStyle(
            font=Font(name=FONT_NAME, size=12, bold=True), border=grid, alignment=top_center
        ),
        "example": NamedStyle(
            font=Font(name=FONT_NAME, size=12, italic=True, color="808080"), border=grid, alignment=top_left
        ),
        "example_number": NamedStyle(
            font=Font(name=FONT_NAME, size=12, italic=True, color="808080"), border=grid, alignment=top_center
        ),
        "plain": NamedStyle(font=Font(name=FONT_NAME, size=12), alignment=top_left),
    }
    for key, style in styles.items():
        style.name = f"Bộ chỉ số - {key}"
        wb.add_named_style(style)

    def text_cell(sheet: Any, value: str, style: str) -> Any:
        value = _clean(value)
        cell = WriteOnlyCell(sheet, value=value or None)
        if value:
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.style = styles[style].name
        return cell

    def number_cell(value: int, style: str) -> Any:
        number: int | float = value // 100 if value % 100 == 0 else float(Decimal(value) / 100)
        cell = WriteOnlyCell(ws, value=number)
        cell.style = styles[style].name
        return cell

    ncols = len(FIELDS)
    ws.append([text_cell(ws, title, "title")] + [text_cell(ws, "", "title") for _ in range(ncols - 1)])
    for line in meta:
        ws.append([text_cell(ws, line, "meta")])
    ws.append([])
    ws.append([text_cell(ws, CANONICAL_LABELS[name], "header") for name in FIELDS])
    for code, name, maximum, rule, evidence, department, survey, style in rows:
        numbers = f"{style}_number" if style in ("field", "example") else "number"
        ws.append(
            [
                text_cell(ws, code, numbers),
                text_cell(ws, name, style),
                number_cell(maximum, numbers),
                text_cell(ws, rule, style if style == "example" else "text"),
                text_cell(ws, evidence, style if style == "example" else "text"),
                text_cell(ws, department, style if style == "example" else "text"),
                text_cell(ws, "x" if survey else "", numbers),
            ]
        )
    if instructions:
        guide = wb.create_sheet(title="Hướng dẫn")
        guide.column_dimensions["A"].width = 120
        for index, line in enumerate(INSTRUCTIONS):
            guide.append([text_cell(guide, line, "title" if index == 0 else "plain")])
    wb.save(path)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub(" ", text or "")[:32_767]


__all__ = ["RowProblem", "export_criteria_xlsx", "read_criteria_xlsx", "write_template_xlsx"]
