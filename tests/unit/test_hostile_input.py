"""Hostile input (issue 8, item 6): the Excel criteria importer, the Word and PDF readers and the directive parser
given formulas, external links, huge sheets, entity expansion, zip bombs, deep nesting, invalid UTF-8, looping
PDFs and catastrophic-backtracking text. Each case ends in a result or a Vietnamese ParclerkError, within a
generous time bound, with nothing stored; exported spreadsheets never hold a live formula from user text.

Every malicious file is made here, in tmp_path. Time bounds are generous (a busy CI machine is slow, house style
§11): each one is far below what the unprotected code took on the case (given in the comments), so removing a
protection fails the test. Memory is measured with tracemalloc where the cost is Python objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import socket
import struct
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from parclerk.criteria import CriteriaSet, Criterion
from parclerk.errors import ParclerkError
from parclerk.excel import criteria_import
from parclerk.excel.criteria_import import CANONICAL_LABELS, FIELDS, export_criteria_xlsx, read_criteria_xlsx
from parclerk.parsing import readers
from parclerk.parsing.directive import MAX_TEXT_CHARS, parse_directive
from parclerk.parsing.readers import read_document

DATA = Path(__file__).resolve().parents[1] / "data"
PDF_107 = DATA / "cv-107.pdf"
SAMPLE_107 = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "demo"
    / "samples"
    / "cv-107-UBND-NC-quang-ngai-2021.txt"
)
# Letters only Vietnamese uses (not in Latin-1): a message with one is Vietnamese.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
HOSTILE_SETTINGS = settings(
    max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@contextlib.contextmanager
def within(seconds: float):
    """The block must finish in `seconds` (generous: each case took far longer before its protection)."""
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s, more than {seconds} s"


@contextlib.contextmanager
def python_memory_below(megabytes: int):
    """Python's own allocations in the block stay under `megabytes` at their peak."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"


@pytest.fixture
def offline(monkeypatch):
    """No network, and a record of every file opened: a link must never be followed."""
    opened: list[str] = []

    def refuse(*_args, **_kwargs):
        raise AssertionError("a network connection was attempted")

    for name in ("create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    real_open = io.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setattr("builtins.open", recording_open)
    return opened


def refused(call, *args, match: str, seconds: float = 10, **kwargs) -> ParclerkError:
    """call(*args) raises a Vietnamese ParclerkError matching `match`, within `seconds`."""
    with within(seconds), pytest.raises(ParclerkError, match=match) as info:
        call(*args, **kwargs)
    assert VIETNAMESE.search(info.value.message), info.value.message
    return info.value


def read_or_refuse(read, data: bytes, name: str):
    """read(a file holding `data`) within the hang bound: its result, or None when it was refused with a
    Vietnamese message (Hypothesis cases run outside tmp_path, which is per test, not per example)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            with within(10):
                return read(path)
        except ParclerkError as exc:
            assert VIETNAMESE.search(exc.message), exc.message
            return None


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return out.getvalue()


def rezip(data: bytes, change) -> bytes:
    """The package with each member passed through change(name, content) -> content."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_bytes(
            {info.filename: change(info.filename, source.read(info)) for info in source.infolist()}
        )


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """`doctype` inserted after the XML declaration (or at the start)."""
    at = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return xml[:at] + doctype + xml[at:]


def billion_laughs(root: str) -> bytes:
    """The classic: &lol9; expands to 10^9 "lol"s (3 GB)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return f"<!DOCTYPE {root} [{entities}]>".encode()


XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def deflate_bomb(gigabytes: int = 1) -> tuple[bytes, int, int]:
    """(raw deflate data, CRC, size) of `gigabytes` GB of zeros: about 1 MB, made in a fraction of a second (a
    full flush resets the compressor, so every 1 MB block compresses to the same bytes)."""
    block = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks = gigabytes * 1024
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    return segment * blocks + compressor.flush(), crc, blocks << 20


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand, sizes as given: (name, deflated data, CRC, declared size, method)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size, method in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0,
            0, offset,
        )  # fmt: skip
        central += encoded
    out_end = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), out_end, 0)
    return bytes(out)


def deflated(content: bytes) -> tuple[bytes, int, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content), 8


# --- the Excel criteria importer ---------------------------------------------------------------------------------

HEADER = [CANONICAL_LABELS[name] for name in FIELDS]
SET_ROWS = [["1", "Lĩnh vực", 20], ["1.1", "Tiêu chí", 20], ["2", "Khác", 80]]
TITLE = "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _cell(ref: str, value) -> str:
    """One cell's XML; `ref` like "B5"."""
    if value is None:
        return ""
    if isinstance(value, bytes):  # raw XML of the cell
        return value.decode()
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def sheet_xml(
    rows: list[list], *, doctype: bytes = b"", before_data: str = "", more_rows: bytes = b""
) -> bytes:
    """A worksheet: rows from row 1, values as text, numbers or raw cell XML (bytes)."""
    from openpyxl.utils import get_column_letter

    body = "".join(
        f'<row r="{n}">'
        + "".join(_cell(f"{get_column_letter(i + 1)}{n}", v) for i, v in enumerate(row))
        + "</row>"
        for n, row in enumerate(rows, start=1)
    )
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype
    return (
        head
        + f'<worksheet xmlns="{_S}" xmlns:r="{_R}">{before_data}<sheetData>{body}'.encode()
        + more_rows
        + b"</sheetData></worksheet>"
    )


def criteria_rows(*rows: list) -> list[list]:
    return [[TITLE], [], HEADER, *rows]


def xlsx(sheet: bytes, *, shared: bytes | None = None, parts: dict[str, bytes] | None = None,
         workbook_rels: str = "", workbook_extra: str = "") -> bytes:  # fmt: skip
    """A minimal .xlsx written part by part, as a hostile tool would: the sheet, optional shared strings."""
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
    overrides += f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
    rels = f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        rels += f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_S}" xmlns:r="{_R}"><sheets><sheet name="Bộ chỉ '
            f'số" sheetId="1" r:id="rId1"/></sheets>{workbook_extra}</workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">{rels}{workbook_rels}'
            "</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        members["xl/sharedStrings.xml"] = shared
    members.update(parts or {})
    return zip_bytes(members)


def shared_strings(*texts: str, doctype: bytes = b"") -> bytes:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)  # not escaped: entity references pass
    return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + f'<sst xmlns="{_S}">{items}</sst>'.encode()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_set(path: Path, seconds: float = 10):
    """read_criteria_xlsx within `seconds`: (set, problems)."""
    with within(seconds):
        return read_criteria_xlsx(path)


def test_the_hand_made_workbook_is_a_valid_set(tmp_path):
    """The builder above makes files the importer reads: the refusals below are about the attack only."""
    criteria_set, problems = read_set(
        write(tmp_path, "hop-le.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS))))
    )
    assert problems == [] and criteria_set is not None
    assert [(c.code, c.maximum) for c in criteria_set.criteria] == [("1", 2000), ("1.1", 2000), ("2", 8000)]
    shared = shared_strings("Tiêu chí")
    row = ["1.1", b'<c r="B5" t="s"><v>0</v></c>', 20]
    criteria_set, problems = read_set(
        write(
            tmp_path,
            "chuoi-chung.xlsx",
            xlsx(sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])), shared=shared),
        )
    )
    assert problems == [] and criteria_set.criteria[1].title == "Tiêu chí"


# Formulas: never evaluated. With a cached value (Excel saved it) the value is read as it was shown; without one
# the cell is reported. A DDE formula ("=cmd|' /C calc'!A0") is text at most, never run.
DDE = "cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["1.1", b'<c r="B5" t="str"><f>HYPERLINK("http://x.invalid","Bam")</f><v>Tieu chi da tinh</v></c>',
             b'<c r="C5"><f>10+10</f><v>20</v></c>'],
            ("Tieu chi da tinh", 2000), id="cached-values-are-read",
        ),
        pytest.param(
            ["1.1", f'<c r="B5" t="str"><f>{escape(DDE)}</f><v>={escape(DDE)}</v></c>'.encode(), 20],
            (f"={DDE}", 2000), id="dde-cached-as-text-stays-text",
        ),
        pytest.param(
            [f'<c r="A5"><f>{escape(DDE)}</f></c>'.encode(), "Tiêu chí", 20],
            "Dòng 5, cột “Mã”: ô có công thức chưa được tính", id="dde-in-the-code-column",
        ),
        pytest.param(
            ["1.1", b'<c r="B5"><f>HYPERLINK("http://x.invalid","Bam")</f></c>', 20],
            "Dòng 5, cột “Lĩnh vực/Tiêu chí/Tiêu chí thành phần”: ô có công thức chưa được tính",
            id="hyperlink-in-the-title-column",
        ),
        pytest.param(
            ["1.1", "Tiêu chí", b'<c r="C5"><f>1+1</f></c>'],
            "Dòng 5, cột “Điểm tối đa”: ô có công thức chưa được tính", id="sum-in-the-points-column",
        ),
    ],
)  # fmt: skip
def test_formulas_are_never_evaluated(tmp_path, offline, row, expected):
    path = write(tmp_path, "cong-thuc.xlsx", xlsx(sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2]))))
    criteria_set, problems = read_set(path)
    if isinstance(expected, tuple):
        assert problems == []
        assert (criteria_set.criteria[1].title, criteria_set.criteria[1].maximum) == expected
    else:
        assert criteria_set is None
        assert [str(p) for p in problems] == [f"{expected}; hãy mở tệp bằng Excel, lưu lại rồi nhập."]


def test_external_links_are_never_followed(tmp_path, offline):
    """An external workbook link (\\\\server\\share and http): the cached value is read, the link is not opened
    nor even parsed (keep_links=False), no connection is made."""
    link = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{_S}" xmlns:r="{_R}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="S"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1">'
        "<v>99</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
    ).encode()
    link_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_R}/externalLinkPath" Target="file:///\\\\server\\share\\diem.xlsx" TargetMode="External"/>'
        f'<Relationship Id="rId2" Type="{_R}/externalLinkPath" Target="http://x.invalid/diem.xlsx" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    row = ["1.1", "Tiêu chí", b'<c r="C5"><f>[1]S!A1</f><v>20</v></c>']
    hyperlink = '<hyperlinks><hyperlink ref="B5" r:id="rId9"/></hyperlinks>'
    data = xlsx(
        sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])).replace(
            b"</worksheet>", hyperlink.encode() + b"</worksheet>"
        ),
        parts={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            "xl/worksheets/_rels/sheet1.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId9" '
                f'Type="{_R}/hyperlink" Target="\\\\server\\share\\x.exe" TargetMode="External"/></Relationships>'
            ).encode(),
        },
        workbook_rels=f'<Relationship Id="rId8" Type="{_R}/externalLink" Target="externalLinks/externalLink1.xml"/>',
        workbook_extra='<externalReferences><externalReference r:id="rId8"/></externalReferences>',
    )
    criteria_set, problems = read_set(write(tmp_path, "lien-ket.xlsx", data))
    assert problems == [] and criteria_set.criteria[1].maximum == 2000
    assert not [name for name in offline if "server" in name or "x.invalid" in name]


def test_a_sheet_declared_a_million_rows_by_16384_columns_reads_quickly(tmp_path):
    """The dimension says A1:XFD1048576 and one cell sits at XFD1048576: blank rows are not walked to the end
    (the cell far below the table is past the rows read and is not looked at)."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet_xml(criteria_rows(*SET_ROWS), before_data='<dimension ref="A1:XFD1048576"/>', more_rows=far)
    criteria_set, problems = read_set(write(tmp_path, "kich-thuoc.xlsx", xlsx(sheet)), seconds=5)
    assert problems == [] and len(criteria_set.criteria) == 3


def test_rows_reaching_column_xfd_do_not_blow_up_memory(tmp_path):
    """5,000 rows with one empty cell at XFD: openpyxl pads each row to 16,384 values (before: 8 s, 660 MB for
    this 250 KB file). Only the first 256 columns are read now."""
    wide = b"".join(b'<row r="%d"><c r="XFD%d"/></row>' % (n, n) for n in range(7, 5001))
    path = write(tmp_path, "rong.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS), more_rows=wide)))
    with python_memory_below(150):
        criteria_set, problems = read_set(path, seconds=10)
    assert problems == [] and len(criteria_set.criteria) == 3


def test_content_beyond_thirty_columns_is_still_refused_within_the_columns_read(tmp_path):
    row = ["1.1", "Tiêu chí", 20]
    sheet = sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])).replace(
        b'<c r="C5"><v>20</v></c>', b'<c r="C5"><v>20</v></c><c r="IV5" t="inlineStr"><is><t>x</t></is></c>'
    )  # column 256, the last one read
    criteria_set, problems = read_set(write(tmp_path, "cot-256.xlsx", xlsx(sheet)))
    assert criteria_set is None and "quá 30 cột" in str(problems[0])


def test_two_hundred_thousand_rows_are_refused_quickly(tmp_path):
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>1.%d</t></is></c><c r="B%d" t="inlineStr"><is><t>Ti\xc3\xaau '
        b'ch\xc3\xad</t></is></c><c r="C%d"><v>1</v></c></row>' % (n, n, n, n, n)
        for n in range(7, 200_007)
    )
    path = write(tmp_path, "dai.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS), more_rows=rows)))
    error = refused(read_criteria_xlsx, path, match="quá nhiều ô hoặc phần tử", seconds=10)
    assert "nhầm tệp" in error.message


def test_six_thousand_rows_hit_the_row_limit(tmp_path):
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>1.%d</t></is></c><c r="C%d"><v>1</v></c></row>'
        % (n, n, n, n)
        for n in range(7, 6_007)
    )
    criteria_set, problems = read_set(
        write(tmp_path, "6000.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS), more_rows=rows)))
    )
    assert criteria_set is None and "hơn 5.000 dòng" in str(problems[0])


def test_a_row_of_a_million_cells_is_refused_before_openpyxl_holds_it(tmp_path):
    """11 MB of XML, 40 KB zipped: openpyxl kept every cell of the row (before: 4 s, 630 MB)."""
    cells = b'<c r="B5"/>' * 1_000_000
    sheet = sheet_xml(criteria_rows(*SET_ROWS)).replace(b'<row r="5">', b'<row r="5">' + cells)
    path = write(tmp_path, "mot-dong.xlsx", xlsx(sheet))
    with python_memory_below(100):
        refused(read_criteria_xlsx, path, match="không phải là tệp Excel .xlsx hợp lệ", seconds=5)


def test_a_million_shared_strings_are_refused(tmp_path):
    """17 MB of shared strings, 60 KB zipped: openpyxl reads them all at open (before: 5.4 s)."""
    shared = shared_strings(*(["a"] * 1_000_000))
    path = write(tmp_path, "chuoi.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS)), shared=shared))
    refused(read_criteria_xlsx, path, match="quá nhiều ô hoặc phần tử", seconds=5)


@pytest.mark.parametrize("where", ["sheet", "shared-strings", "external-entity"])
def test_entity_expansion_and_external_entities_are_refused(tmp_path, offline, where):
    """Billion laughs (10^9 "lol"s) in the sheet or the shared strings, or an entity naming /etc/passwd: a DTD,
    which Excel never writes, refuses the file before any parser expands anything."""
    if where == "sheet":
        row = ["1.1", b'<c r="B5" t="inlineStr"><is><t>&lol9;</t></is></c>', 20]
        data = xlsx(
            sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2]), doctype=billion_laughs("worksheet"))
        )
    else:
        row = ["1.1", b'<c r="B5" t="s"><v>0</v></c>', 20]
        doctype = billion_laughs("sst") if where == "shared-strings" else XXE
        shared = shared_strings("&lol9;" if where == "shared-strings" else "&xxe;", doctype=doctype)
        data = xlsx(sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])), shared=shared)
    path = write(tmp_path, f"{where}.xlsx", data)
    with python_memory_below(50):
        refused(read_criteria_xlsx, path, match="có khai báo DTD", seconds=5)
    assert "/etc/passwd" not in offline


def _valid_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in criteria_rows(*SET_ROWS):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


VALID_XLSX = _valid_xlsx()


def test_a_zip_bomb_is_refused_without_unpacking(tmp_path):
    """A 1 MB member that inflates to 1 GB of zeros: the declared sizes refuse it before anything is read."""
    bomb, crc, size = deflate_bomb()
    with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as source:
        members = [(info.filename, *deflated(source.read(info))) for info in source.infolist()]
    data = raw_zip([*members, ("xl/sharedStrings.xml", bomb, crc, size, 8)])
    path = write(tmp_path, "bom.xlsx", data)
    with python_memory_below(30):
        refused(read_criteria_xlsx, path, match="quá lớn khi giải nén", seconds=5)


def test_a_member_lying_about_its_size_stops_at_the_size_it_declares(tmp_path):
    """The same bomb as the shared strings, declaring 1 KB: reading stops at the declared size and the CRC does
    not match."""
    bomb, _, _ = deflate_bomb()
    row = ["1.1", b'<c r="B5" t="s"><v>0</v></c>', 20]
    honest = xlsx(sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])), shared=shared_strings("Tiêu chí"))
    with zipfile.ZipFile(io.BytesIO(honest)) as source:
        members = [
            (info.filename, *deflated(source.read(info)))
            if info.filename != "xl/sharedStrings.xml"
            else (info.filename, bomb, 0, 1024, 8)
            for info in source.infolist()
        ]
    with python_memory_below(30):
        refused(
            read_criteria_xlsx,
            write(tmp_path, "noi-doi.xlsx", raw_zip(members)),
            match="không phải là tệp Excel",
        )


@pytest.mark.parametrize(
    ("name", "make", "match"),
    [
        ("invalid-utf8-shared", lambda: xlsx(sheet_xml(criteria_rows(*SET_ROWS)), shared=shared_strings("Tiêu chí").replace("ê".encode(), b"\xc3\x28\xff")), "không phải là tệp Excel .xlsx hợp lệ"),
        ("invalid-utf8-sheet", lambda: xlsx(sheet_xml(criteria_rows(*SET_ROWS)).replace("Khác".encode(), b"Kh\xff\xfec")), "không phải là tệp Excel .xlsx hợp lệ"),
        ("utf32-sheet", lambda: xlsx(sheet_xml(criteria_rows(*SET_ROWS)).decode().replace('encoding="UTF-8"', 'encoding="UTF-32"').encode("utf-32-be")), "không phải là tệp Excel .xlsx hợp lệ"),
        ("shift-jis-sheet", lambda: xlsx(sheet_xml(criteria_rows(*SET_ROWS)).replace(b'encoding="UTF-8"', b'encoding="Shift_JIS"')), "không phải là tệp Excel .xlsx hợp lệ"),
        ("empty", lambda: b"", "không phải là tệp Excel .xlsx hợp lệ"),
        ("not-a-zip", lambda: "Bộ chỉ số".encode() * 100, "không phải là tệp Excel .xlsx hợp lệ"),
        ("truncated", lambda: VALID_XLSX[: len(VALID_XLSX) // 2], "không phải là tệp Excel .xlsx hợp lệ"),
        ("old-xls-renamed", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le"), "Excel 97-2003 \\(.xls\\)"),
        ("password-protected", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le"), "được đặt mật khẩu"),
        ("no-sheet-part", lambda: rezip(VALID_XLSX, lambda n, c: b"" if n == "xl/worksheets/sheet1.xml" else c), "không phải là tệp Excel .xlsx hợp lệ"),
    ],
)  # fmt: skip
def test_broken_and_foreign_files_get_a_clear_message(tmp_path, name, make, match):
    refused(read_criteria_xlsx, write(tmp_path, f"{name}.xlsx", make()), match=match, seconds=5)


def test_too_big_a_file_is_not_opened(tmp_path, monkeypatch):
    monkeypatch.setattr(criteria_import, "MAX_FILE_BYTES", 1000)
    refused(read_criteria_xlsx, write(tmp_path, "lon.xlsx", VALID_XLSX), match="quá lớn")


def test_too_many_parts_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_PACKAGE_PARTS", 20)
    buffer = io.BytesIO(VALID_XLSX)
    with zipfile.ZipFile(buffer, "a") as package:
        for n in range(30):
            package.writestr(f"customXml/item{n}.xml", b"<a/>")
    path = write(tmp_path, "nhieu-phan.xlsx", buffer.getvalue())
    refused(read_criteria_xlsx, path, match="không phải là tệp Excel")


@pytest.mark.parametrize("where", ["sheet", "shared-strings", "row"])
def test_xml_nested_a_hundred_thousand_deep_is_no_recursion_error(tmp_path, where):
    deep = b"<x>" * 100_000 + b"</x>" * 100_000
    row = ["1.1", b'<c r="B5" t="s"><v>0</v></c>', 20]
    if where == "shared-strings":
        data = xlsx(
            sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2])),
            shared=shared_strings(deep.decode() + "Tiêu chí"),
        )
    else:
        sheet = sheet_xml(criteria_rows(*SET_ROWS))
        anchor = b"<sheetData>" if where == "sheet" else b'<row r="5">'
        data = xlsx(sheet.replace(anchor, anchor + deep))
    try:
        criteria_set, problems = read_set(write(tmp_path, f"sau-{where}.xlsx", data))
    except ParclerkError as exc:
        assert VIETNAMESE.search(exc.message)
    else:
        assert criteria_set is not None or problems


def test_huge_and_malformed_numbers_are_row_problems(tmp_path):
    """ "1E9999999" raised decimal.Overflow out of the importer, "1E99999" made a 100,000-digit maximum."""
    rows = criteria_rows(
        SET_ROWS[0], ["1.1", "Tiêu chí", "1E9999999"], ["1.2", "Tiêu chí", "1E99999"], SET_ROWS[2]
    )
    criteria_set, problems = read_set(write(tmp_path, "so-lon.xlsx", xlsx(sheet_xml(rows))))
    assert criteria_set is None
    assert [str(p) for p in problems] == [
        "Dòng 5, cột “Điểm tối đa”: “1E9999999”: số điểm quá lớn.",
        "Dòng 6, cột “Điểm tối đa”: “1E99999”: số điểm quá lớn.",
    ]


def test_long_cells_are_read_in_linear_time(tmp_path):
    """32,767-character cells (Excel's maximum) shaped for the regexes: a rule without a colon (9 s each
    before), a header cell of "(" (quadratic in _label_key), a digit run before "%" in a rule's label."""
    long_rule = "a" * 32_767
    digits = "1" * 30_000 + ": 20; Dưới 5%: 0"
    header = [*HEADER, "(" * 32_767]
    rows = [
        [TITLE],
        [],
        header,
        ["1", "Lĩnh vực", 20, long_rule],
        ["1.1", "Tiêu chí", 20, digits],
        SET_ROWS[2],
    ]
    criteria_set, problems = read_set(write(tmp_path, "o-dai.xlsx", xlsx(sheet_xml(rows))), seconds=5)
    assert problems == [] and criteria_set.criteria[0].rule.text == long_rule


# Any text a cell can hold: every category but surrogates, and none of the control characters XML 1.0 forbids.
_NOT_IN_XML = "".join(chr(n) for n in (*range(9), 11, 12, *range(14, 32))) + "\ufffe\uffff"
_CELL_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=_NOT_IN_XML), max_size=40)
_CELL = st.one_of(
    st.none(),
    _CELL_TEXT,
    st.sampled_from(["1", "1.1", "1.1.1", "I", "II", "T", "P", "0,5", "1.000", "x", "Điểm thưởng", "Tổng cộng",
                     "Ví dụ: mẫu", "=1+1", f"={DDE}", "=HYPERLINK(\"http://x.invalid\")", "+1", "-1", "@SUM(A1)",
                     "Năm áp dụng: 2025", "1E999", "1E9999999", "NaN", "∞"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.builds(lambda n: "x" * n, st.integers(1000, 32_767)),
)  # fmt: skip


@HOSTILE_SETTINGS
@given(rows=st.lists(st.lists(_CELL, max_size=8), max_size=30), title=_CELL_TEXT)
def test_random_workbooks_in_the_layout_give_a_set_or_problems(rows, title):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ngau-nhien.xlsx"
        wb.save(path)
        try:
            with within(10):
                criteria_set, problems = read_criteria_xlsx(path)
        except ParclerkError as exc:
            assert VIETNAMESE.search(exc.message)
        else:
            assert (criteria_set is None) == bool(problems)
            assert all(isinstance(str(p), str) and str(p) for p in problems)


def flip(draw, data: bytes, most: int = 20) -> bytes:
    changed = bytearray(data)
    for _ in range(draw(st.integers(1, most))):
        changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
    return bytes(changed)


@st.composite
def _damaged_xlsx(draw) -> bytes:
    """The valid workbook with bytes changed: in the zip itself, or in one part's XML (rezipped, so the XML
    parsers see the damage rather than a CRC error)."""
    part = draw(
        st.sampled_from(
            ["", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]
        )
    )
    if not part:
        return flip(draw, VALID_XLSX)
    return rezip(VALID_XLSX, lambda name, content: flip(draw, content) if name == part else content)


@HOSTILE_SETTINGS
@given(_damaged_xlsx())
def test_damaged_workbooks_give_a_set_problems_or_a_clear_error(data):
    result = read_or_refuse(read_criteria_xlsx, data, "hong.xlsx")
    if result is not None:
        criteria_set, problems = result
        assert (criteria_set is None) == bool(problems)


_HOSTILE_TEXT = st.builds(
    lambda prefix, text: prefix + text,
    st.sampled_from(["=", "+", "-", "@", "=cmd|' /C calc'!", "=HYPERLINK(", "\t=", ""]),
    _CELL_TEXT,
)


@HOSTILE_SETTINGS
@given(titles=st.lists(_HOSTILE_TEXT, min_size=3, max_size=3), rule=_HOSTILE_TEXT, evidence=_HOSTILE_TEXT,
       department=_HOSTILE_TEXT, name=_HOSTILE_TEXT)  # fmt: skip
def test_any_text_exports_as_text_and_reads_back(titles, rule, evidence, department, name):
    """Whatever the clerk or a province typed ("=cmd|...", "+1", "@SUM"), the exported workbook holds it as text,
    no formula anywhere, and reading it back gives the same criteria."""
    from parclerk import vntext
    from parclerk.criteria import parse_rule

    clean = vntext.clean_line
    criteria = (
        Criterion("1", clean(titles[0]) or "x", 2000, department=clean(department)),
        Criterion("1.1", clean(titles[1]) or "x", 2000, rule=parse_rule(rule, 2000)),
        Criterion(
            "2",
            clean(titles[2]) or "x",
            8000,
            evidence="\n".join(filter(None, map(clean, evidence.splitlines()))),
        ),
    )
    original = CriteriaSet(clean(name) or "Bộ chỉ số", 2025, "xa", "", criteria)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "xuat.xlsx"
        export_criteria_xlsx(original, out)
        with zipfile.ZipFile(out) as package:
            for part in package.namelist():
                if part.startswith("xl/worksheets/"):
                    xml = package.read(part)
                    assert b"<f>" not in xml and b"<f " not in xml
        back, problems = read_criteria_xlsx(out)
    if problems:  # a title read as a bonus row or an example ("Ví dụ: ..."): never a formula
        assert not any("công thức" in str(p) for p in problems), problems
    else:
        assert back.criteria == original.criteria


# --- the Word and PDF readers ------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Số: 107/UBND-NC")
    document.add_paragraph("Chủ trì, phối hợp với các cơ quan liên quan.", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


VALID_DOCX = _docx_bytes()


def _in_body(xml: bytes) -> bytes:
    """The valid .docx with `xml` at the start of its body."""
    return rezip(
        VALID_DOCX,
        lambda name, c: c.replace(b"<w:body>", b"<w:body>" + xml) if name == "word/document.xml" else c,
    )


@pytest.mark.parametrize("part", ["word/document.xml", "word/numbering.xml", "word/styles.xml"])
def test_docx_entity_expansion_is_refused(tmp_path, offline, part):
    root = part.split("/")[1].removesuffix(".xml")
    data = rezip(
        VALID_DOCX, lambda name, c: with_doctype(c, billion_laughs(f"w:{root}")) if name == part else c
    )
    path = write(tmp_path, "lol.docx", data)
    with python_memory_below(50):
        refused(read_document, path, match="có khai báo DTD.*nhập tay", seconds=5)


def test_docx_external_entity_is_refused_and_the_file_never_read(tmp_path, offline):
    data = rezip(
        VALID_DOCX,
        lambda name, c: (
            with_doctype(c, XXE).replace(b"107/UBND-NC", b"&xxe;") if name == "word/document.xml" else c
        ),
    )
    refused(read_document, write(tmp_path, "xxe.docx", data), match="có khai báo DTD")
    assert "/etc/passwd" not in offline


def test_docx_external_relationships_are_never_followed(tmp_path, offline):
    """A picture linked from \\\\server\\share, hyperlinks to a UNC path and a URL, a remote template (the
    attachedTemplate trick): the text is read, nothing is fetched or opened."""
    rels = (
        f'<Relationship Id="rIdX1" Type="{_R}/image" Target="file://///server/share/logo.png" TargetMode="External"/>'
        f'<Relationship Id="rIdX2" Type="{_R}/hyperlink" Target="\\\\server\\share\\x.exe" TargetMode="External"/>'
        f'<Relationship Id="rIdX3" Type="{_R}/hyperlink" Target="http://x.invalid/a" TargetMode="External"/>'
    ).encode()
    body = (
        f'<w:p><w:hyperlink xmlns:r="{_R}" r:id="rIdX2"><w:r><w:t>Liên kết nội bộ</w:t></w:r></w:hyperlink>'
        f'<w:hyperlink xmlns:r="{_R}" r:id="rIdX3"><w:r><w:t> và web</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://'
        'schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip xmlns:r="'
        f'{_R}" r:link="rIdX1"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>'
        "</w:r></w:p>"
    ).encode()
    template = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rIdT" '
        f'Type="{_R}/attachedTemplate" Target="http://x.invalid/mau.dotm" TargetMode="External"/></Relationships>'
    ).encode()

    def change(name: str, content: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return content.replace(b"</Relationships>", rels + b"</Relationships>")
        if name == "word/document.xml":
            return content.replace(b"<w:body>", b"<w:body>" + body)
        if name == "word/settings.xml":
            return content.replace(
                b"</w:settings>", f'<w:attachedTemplate xmlns:r="{_R}" r:id="rIdT"/></w:settings>'.encode()
            )
        return content

    buffer = io.BytesIO(rezip(VALID_DOCX, change))
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/_rels/settings.xml.rels", template)
    with within(5):
        text = read_document(write(tmp_path, "lien-ket.docx", buffer.getvalue()))
    assert "Liên kết nội bộ và web" in text and "Số: 107/UBND-NC" in text
    assert not [name for name in offline if "server" in name or "x.invalid" in name]


@pytest.mark.parametrize(
    ("name", "xml"),
    [
        ("tables", b"<w:tbl><w:tr><w:tc>" * 10_000 + b"<w:p><w:r><w:t>s</w:t></w:r></w:p>" + b"</w:tc></w:tr></w:tbl>" * 10_000),
        ("content-controls", b"<w:sdt><w:sdtContent>" * 10_000 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 10_000),
        ("hyperlinks", b"<w:p>" + b"<w:hyperlink>" * 10_000 + b"<w:r><w:t>s</w:t></w:r>" + b"</w:hyperlink>" * 10_000 + b"</w:p>"),
    ],
)  # fmt: skip
def test_docx_nested_ten_thousand_deep_is_a_clear_error_never_a_recursion_error(tmp_path, name, xml):
    """lxml stops at 256 levels (python-docx parses without huge_tree): a corrupt-file message, no
    RecursionError from the walk."""
    refused(
        read_document, write(tmp_path, f"{name}.docx", _in_body(xml)), match="bị hỏng.*nhập tay", seconds=5
    )


def test_docx_a_hundred_levels_of_content_controls_are_walked(tmp_path):
    xml = (
        b"<w:sdt><w:sdtContent>" * 100
        + b"<w:p><w:r><w:t>s\xc3\xa2u</w:t></w:r></w:p>"
        + b"</w:sdtContent></w:sdt>" * 100
    )
    with within(5):
        assert read_document(write(tmp_path, "sdt.docx", _in_body(xml))).startswith("sâu")


@pytest.mark.parametrize(
    ("name", "change", "match"),
    [
        ("invalid-utf8", lambda c: c.replace("Số".encode(), b"S\xff\xfe"), "bị hỏng"),
        ("utf32", lambda c: c.decode().replace("encoding='UTF-8'", "encoding='UTF-32'").encode("utf-32-be"), "bị hỏng"),
        ("gb18030", lambda c: c.replace(b"encoding='UTF-8'", b"encoding='GB18030'"), "bị hỏng"),
        ("five-million-paragraphs", lambda c: c.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 5_000_000), "quá phức tạp"),
    ],
)  # fmt: skip
def test_docx_document_xml_damage(tmp_path, name, change, match):
    """Five million empty paragraphs: 30 MB unzipped, 100 KB zipped (before: 16 s, 840 MB of lxml nodes)."""
    data = rezip(VALID_DOCX, lambda part, c: change(c) if part == "word/document.xml" else c)
    refused(read_document, write(tmp_path, f"{name}.docx", data), match=match, seconds=5)


def test_docx_zip_bomb_is_refused_without_unpacking(tmp_path):
    bomb, crc, size = deflate_bomb()
    with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as source:
        members = [(info.filename, *deflated(source.read(info))) for info in source.infolist()]
    data = raw_zip([*members, ("word/media/image1.png", bomb, crc, size, 8)])
    with python_memory_below(30):
        refused(read_document, write(tmp_path, "bom.docx", data), match="quá lớn khi giải nén", seconds=5)


@st.composite
def _damaged_docx(draw) -> bytes:
    """A real .docx with bytes changed inside one XML part, rezipped: the damage reaches the parsers."""
    part = draw(st.sampled_from(["word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml",
                                 "word/_rels/document.xml.rels", "_rels/.rels"]))  # fmt: skip
    return rezip(VALID_DOCX, lambda name, content: flip(draw, content) if name == part else content)


@HOSTILE_SETTINGS
@given(_damaged_docx())
def test_damaged_docx_xml_gives_text_or_a_clear_error(data):
    text = read_or_refuse(read_document, data, "hong.docx")
    assert text is None or (isinstance(text, str) and text.strip())


def pdf_file(*objects: bytes) -> bytes:
    """A PDF with the given objects (object n is objects[n - 1]) and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (So 107/UBND-NC ve cai cach hanh chinh nam 2021) Tj ET"


def page(contents: bytes = b"4 0 R", resources: bytes = b"<< /Font << /F1 5 0 R >> >>") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %s >>" % (
        resources,
        contents,
    )


def test_the_hand_made_pdf_reads():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hop-le.pdf"
        path.write_bytes(
            pdf_file(CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(), stream(TEXT), FONT)
        )
        assert read_document(path) == "So 107/UBND-NC ve cai cach hanh chinh nam 2021"


@pytest.mark.parametrize(
    ("name", "objects"),
    [
        ("kids-point-to-themselves", [CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        ("kids-loop-through-a-page", [CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", page(), stream(TEXT), FONT]),
        ("two-page-trees-in-a-loop", [CATALOG, b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>", page(), stream(TEXT), FONT,
                                      b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        ("resources-referring-in-a-loop", [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(resources=b"6 0 R"),
                                           stream(TEXT), FONT, b"7 0 R", b"6 0 R"]),
        ("form-drawing-itself", [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                 page(contents=b"[4 0 R 7 0 R]", resources=b"<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>"),
                                 stream(TEXT), FONT,
                                 stream(b"BT (ab) Tj ET /X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /X1 6 0 R >> >>"),
                                 stream(b"/X1 Do")]),
        ("huge-declared-length", [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(),
                                  stream(TEXT).replace(b"/Length %d" % len(TEXT), b"/Length 99999999999999"), FONT]),
    ],
)  # fmt: skip
def test_pdf_loops_and_lies_end_quickly(tmp_path, name, objects):
    path = write(tmp_path, f"{name}.pdf", pdf_file(*objects))
    try:
        with within(5):
            text = read_document(path)
    except ParclerkError as exc:
        assert VIETNAMESE.search(exc.message) and "nhập tay" in exc.message
    else:
        assert "107/UBND-NC" in text


def test_pdf_compressed_stream_bomb_is_cut_short(tmp_path):
    """A FlateDecode stream of 1 GB of zeros (1 MB in the file): pypdf stops at its 75 MB output limit."""
    bomb, _, _ = deflate_bomb()
    zlib_stream = (
        b"\x78\xda" + bomb
    )  # zlib header around the raw deflate data (no checksum: it is cut off anyway)
    objects = [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(contents=b"[4 0 R 6 0 R]"), stream(TEXT),
               FONT, stream(zlib_stream, b"/Filter /FlateDecode")]  # fmt: skip
    with python_memory_below(400):
        refused(read_document, write(tmp_path, "bom.pdf", pdf_file(*objects)), match="nhập tay", seconds=10)


def _shared_content_pdf(pages: int, content: bytes) -> bytes:
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(pages))
    objects = [CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages), b"null",
               stream(zlib.compress(content, 9), b"/Filter /FlateDecode"), FONT]  # fmt: skip
    return pdf_file(*objects, *[page()] * pages)


def test_pdf_pages_sharing_a_heavy_content_stream_stop_at_the_content_budget(tmp_path, monkeypatch, caplog):
    """200 pages drawing one 840 KB stream of text operators (a 5 KB file): 190 s before, pypdf reading every
    page. Reading stops when MAX_PDF_CONTENT_BYTES of content is spent (lowered here to keep the test short)."""
    monkeypatch.setattr(readers, "MAX_PDF_CONTENT_BYTES", 2 * 1024 * 1024)
    content = b"BT /F1 12 Tf 72 720 Td " + b"(Chi thi) Tj " * 64_000 + b"ET"
    path = write(tmp_path, "200-trang.pdf", _shared_content_pdf(200, content))
    with within(10), caplog.at_level("INFO", logger="parclerk.parsing.readers"):
        text = read_document(path)
    assert text.count("Chi thi") == 2 * 64_000  # two pages of 832 KB fit in 2 MB
    assert "reading stops" in caplog.text


def test_pdf_a_first_page_over_the_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_PDF_CONTENT_BYTES", 100_000)
    path = write(tmp_path, "trang-lon.pdf", _shared_content_pdf(1, b"BT (x) Tj ET " * 20_000))
    refused(read_document, path, match="Trang đầu của tệp PDF .* quá lớn hoặc quá phức tạp.*nhập tay")


def test_pdf_scan_check_is_linear_in_the_content(tmp_path):
    """A page of 400,000 "BI" operators and no text: the inline-image regex rescanned the rest of the stream
    from each (40,000 took 23 s)."""
    objects = [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               stream(zlib.compress(b" BI" * 400_000), b"/Filter /FlateDecode")]  # fmt: skip
    refused(
        read_document,
        write(tmp_path, "bi.pdf", pdf_file(*objects)),
        match="Không tìm thấy chữ nào",
        seconds=5,
    )


def test_pdf_inline_image_is_still_a_scan(tmp_path):
    objects = [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               stream(b"q 100 0 0 100 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q")]  # fmt: skip
    with pytest.raises(readers.ScannedDocumentError):
        read_document(write(tmp_path, "quet.pdf", pdf_file(*objects)))


VALID_PDF = PDF_107.read_bytes()


@HOSTILE_SETTINGS
@given(st.data())
def test_damaged_pdf_gives_text_or_a_clear_error(data):
    text = read_or_refuse(read_document, flip(data.draw, VALID_PDF, most=30), "hong.pdf")
    assert text is None or (isinstance(text, str) and text.strip())


# --- the directive parser ----------------------------------------------------------------------------------------

SAMPLE = SAMPLE_107.read_text(encoding="utf-8")
HEAD = SAMPLE[: SAMPLE.index("1. Chủ trì")]  # the sample's header and opening, up to its first task
K = 200_000
# Text shaped against each super-linear spot the parser had, about 200 KB each. Before the fixes (this machine):
# a paragraph of short lines 17 s (joined line by line), a run of spaces in a task 7.6 s at 20 KB and hours at
# 200 KB (lead-unit regexes), a long capital line 14 s (names.proper_body_name, quadratic in words), a task
# with 8,000 dates 5 s (deadline overlaps compared pairwise), a 100 KB heading over 400 items 37 s (its deadline
# read again for each item), unclosed "(" quadratic in every paren strip.
PATHOLOGICAL = {
    "continuation-lines": HEAD + "1. Sở Nội vụ chủ trì\n" + "và x\n" * (K // 6),
    "continuation-lines-in-the-opening": HEAD + "và x\n" * (K // 6),
    "paragraphs-under-one-item": HEAD + "1. Sở Nội vụ chủ trì.\n\n" + "Và x.\n\n" * (K // 7),
    "space-run-in-a-task": HEAD + "1. Sở" + " " * K + "x\n",
    "space-run-after-a-closing-mark": HEAD + "1. Sở Nội vụ chủ trì" + " " * K + "./.\n",
    "space-run-in-the-opening": HEAD.replace("Kính gửi", "Đề nghị Sở" + " " * K + "x\n\nKính gửi"),
    "tab-and-nbsp-runs": HEAD + "1. Sở" + "\t\u00a0" * (K // 2) + "chủ trì\n",
    "requests-without-a-verb": HEAD + "Đề nghị " * (K // 8) + "\n\n1. Sở Nội vụ chủ trì.\n",
    "unclosed-parentheses": HEAD + "1. Sở (" + "( " * (K // 2) + "chủ trì\n",
    "unclosed-parentheses-in-the-opening": HEAD.replace("Kính gửi", "Yêu cầu (" + "( " * (K // 2) + "\n\nKính gửi"),
    "phoi-hop-repeated": HEAD + "1. Sở Nội vụ phối hợp " + "phối hợp " * (K // 9) + "\n",
    "long-heading-over-many-items": HEAD + "1. Sở Nội vụ chủ trì " + "x " * (K // 4) + "\n" + "- Thực hiện việc x;\n" * 5000,
    "many-dates-in-one-task": HEAD + "1. Sở Nội vụ chủ trì, hoàn thành trước ngày 15/02/2021 " * (K // 55) + "\n",
    "long-capital-line": "ỦY BAN NHÂN DÂN " * (K // 16),
    "many-national-mottos": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" * (K // 35),
    "motto-with-capital-lines": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + "ỦY BAN\n" * 5000) * 5,
    "noi-nhan-with-capitals": HEAD + "Nơi nhận:\n- " + "; AB" * (K // 4) + "x\n",
    "deeply-marked-items": HEAD + "".join(f"{'I' if n % 5 == 0 else n % 9 + 1}. Sở\na) b\n- c\n" for n in range(K // 20)),
    "number-lines": "\n".join("Số: 1/" + "a" * 10 for _ in range(K // 17)),
    "one-line-of-digits-and-slashes": "Số: " + "1/" * (K // 2),
}  # fmt: skip


@pytest.mark.parametrize("text", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_pathological_text_parses_in_linear_time(text):
    with within(5):
        parsed = parse_directive(text)
    assert isinstance(parsed.tasks, tuple)


def test_a_megabyte_of_text_parses_in_bounded_time():
    """1 MB of paragraphs under one item (joined pairwise before: quadratic, some 20 s at this size)."""
    text = HEAD + "1. Sở Nội vụ chủ trì.\n\n" + "Và x.\n\n" * (1_000_000 // 7)
    with within(15):
        parsed = parse_directive(text)
    assert parsed.tasks


def test_text_beyond_the_limit_is_left_out_with_a_warning():
    text = SAMPLE + "\n\n" + "x " * MAX_TEXT_CHARS
    with within(15):
        parsed = parse_directive(text)
    assert parsed.number == "107/UBND-NC" and len(parsed.text) <= MAX_TEXT_CHARS
    assert any(w.startswith("Văn bản quá dài") and "1.000.000 ký tự đầu" in w for w in parsed.warnings)


PARSER_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(PARSER_SETTINGS, max_examples=100)
@given(st.text(st.characters(codec=None), max_size=3000))
def test_any_short_text_parses(text):
    with within(5):
        parsed = parse_directive(text)
    assert isinstance(parsed.text, str)


def _to_size(unit: str, size: int) -> str:
    return (unit * (size // max(len(unit), 1) + 1))[:size] if unit else ""


@settings(PARSER_SETTINGS, max_examples=25)
@given(st.text(st.characters(codec=None), min_size=1, max_size=400), st.integers(10_000, 200_000))
def test_any_text_repeated_to_200_kb_parses(unit, size):
    """Any characters (every category: marks, separators, controls, private use), repeated: long lines, many
    lines, up to 200 KB."""
    with within(5):
        parsed = parse_directive(_to_size(unit, size))
    assert isinstance(parsed.text, str)


# Lines built from the parser's own vocabulary (item marks, header words, deadline phrases, units) and runs of
# white space: random text rarely reaches the regexes' hard paths, these do.
_WORDS = st.sampled_from([
    "1.", "2)", "1.2.", "I.", "IV.", "a)", "đ)", "-", "+", "•", "Số:", "Kính gửi:", "Nơi nhận:", "V/v", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Quảng Ngãi, ngày 09 tháng 01 năm 2021", "107/UBND-NC",
    "Sở Nội vụ", "UBND", "các cơ quan", "chủ trì", "phối hợp", "với", "giao", "Đề nghị", "yêu cầu", "thực hiện", "hoàn thành",
    "trước ngày", "15/02/2021", "chậm nhất", "trong", "tháng 2/2021", "quý I", "hằng năm", "hàng tháng", "thường xuyên",
    "trong 5 ngày làm việc", "kể từ ngày", "(", ")", ",", ";", ":", ".", "./.", "TM.", "KT.", "CHỦ TỊCH", "Đặng Văn Minh",
    "**", "~~", "*", "%", "…", "..",
])  # fmt: skip
_GAP = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " " * 50, "\n", "\n\n"])


@settings(PARSER_SETTINGS, max_examples=40)
@given(st.lists(st.tuples(_WORDS, _GAP), min_size=1, max_size=300), st.integers(1_000, 200_000))
def test_directive_like_text_parses(parts, size):
    with within(5):
        parsed = parse_directive(_to_size("".join(word + gap for word, gap in parts), size))
    assert isinstance(parsed.tasks, tuple)


# --- exported spreadsheets hold no live formula ----------------------------------------------------------------

# Text a clerk may type or a file may carry: each would run as a formula in a cell stored as one.
HOSTILE = {
    "=": '=HYPERLINK("http://x.invalid","Bấm")',
    "+": "+1+1 cộng",
    "-": "-2+3 trừ",
    "@": "@SUM(A1:A2) còng",
    "dde": "=cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_db(db):
    """A database whose every text field an export writes starts like a formula."""
    from parclerk.criteria import Classification, parse_rule
    from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
    from parclerk.services import assessment, settings
    from parclerk.services.intake import register_with_tasks

    today = dt.date(2025, 6, 30)
    settings.save_profile(db, OfficeProfile(unit_name=HOSTILE["@"], place_name="Sơn Tây"))
    register_with_tasks(
        db,
        DirectiveInput(
            ngay_den=dt.date(2025, 1, 10), issuer=HOSTILE["-"], number="+12/UBND", subject=HOSTILE["="],
            assigned_to=HOSTILE["@"], notes=HOSTILE["dde"], issued_date=dt.date(2025, 1, 8),
        ),
        [TaskInput(ref="1", content=HOSTILE["="], lead_unit=HOSTILE["+"], deadline=dt.date(2025, 3, 1)),
         TaskInput(ref="2", content=HOSTILE["dde"], lead_unit=HOSTILE["-"])],
        today=today,
    )  # fmt: skip
    criteria = (
        Criterion("1", HOSTILE["="], 6000, department=HOSTILE["@"]),
        Criterion("1.1", HOSTILE["dde"], 6000, rule=parse_rule(HOSTILE["+"], 6000), evidence=HOSTILE["-"]),
        Criterion("2", HOSTILE["+"], 4000, survey=True),
    )
    ranks = (Classification("Tốt", Decimal(80)), Classification("Khá", Decimal(65)))
    set_id = assessment.save_set(db, CriteriaSet(HOSTILE["-"], 2025, "xa", HOSTILE["dde"], criteria, ranks))
    assessment_id = assessment.start_assessment(db, set_id, 2025, unit_name=HOSTILE["="])
    assessment.set_score(db, assessment_id, "1.1", "30", explanation=HOSTILE["@"])
    assessment.add_evidence(db, assessment_id, "1.1", description=HOSTILE["dde"], locator=HOSTILE["+"])
    return db, assessment_id, set_id


def _consolidation():
    from parclerk.criteria import Classification
    from parclerk.services.ranking import Consolidation, FieldColumn, Group, UnitResult, WeakItem

    def unit(number: int, name: str, rank: int | None) -> UnitResult:
        return UnitResult(
            unit_id=number, name=name, ranked=rank is not None, rank=rank, submission_id=number, version=1,
            exported_at="2025-11-01T09:00:00", fields={"1": 5000}, achieved=5000, maximum=6000,
            index_percent=Decimal("83.33"), classification="Tốt", unscored=1,
        )  # fmt: skip

    group = Group(
        set_id=1, level="xa", set_name=HOSTILE["="], fields=(FieldColumn("1", HOSTILE["dde"], 6000),),
        results=(unit(1, HOSTILE["+"], 1), unit(2, HOSTILE["@"], None)),
        weak_items=(WeakItem("1.1", HOSTILE["-"], 6000, 1, 2, 5000, 1000),),
        classifications=(Classification("Tốt", Decimal(80)),), survey_maximum=4000,
    )  # fmt: skip
    return Consolidation(year=2025, groups=(group,), missing=(HOSTILE["="],), expected=3, submitted=2)


def _export(kind: str, hostile_db, out: Path) -> None:
    db, assessment_id, set_id = hostile_db
    if kind == "register":
        from parclerk.excel.register_export import export_register_xlsx

        export_register_xlsx(db, 2025, out)
    elif kind == "task-view":
        from parclerk.excel.task_exports import TASK_COLUMNS, export_task_view_xlsx
        from parclerk.queries import TaskQuery

        export_task_view_xlsx(
            db, TaskQuery(today=dt.date(2025, 6, 30), own_only=False), list(TASK_COLUMNS), out
        )
    elif kind == "handling-log":
        from parclerk.excel.task_exports import export_handling_log_xlsx

        export_handling_log_xlsx(db, 2025, out, today=dt.date(2025, 6, 30))
    elif kind == "assessment":
        from parclerk.excel.assessment_export import export_assessment_xlsx

        export_assessment_xlsx(db, assessment_id, out)
    elif kind == "ranking":
        from parclerk.excel.ranking_export import export_ranking_xlsx

        export_ranking_xlsx(_consolidation(), out)
    else:
        from parclerk.services import assessment

        export_criteria_xlsx(assessment.load_set(db, set_id), out)


@pytest.mark.parametrize(
    "kind", ["register", "task-view", "handling-log", "assessment", "ranking", "criteria"]
)
def test_every_export_writes_formula_like_text_as_text(hostile_db, tmp_path, kind):
    from openpyxl import load_workbook

    out = tmp_path / f"{kind}.xlsx"
    _export(kind, hostile_db, out)
    with zipfile.ZipFile(out) as package:
        sheets = [package.read(name) for name in package.namelist() if name.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula element at all
    book = load_workbook(out)  # not data_only: a formula would load as one
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    found = {key for key, text in HOSTILE.items() if any(text in value for value in texts)}
    assert len(found) >= 2, (kind, found)  # the hostile texts did reach the sheet, as text
    starting = [value for value in texts if value.startswith(("=", "+", "-", "@"))]
    assert starting, kind  # and at least one cell starts with a formula character, stored as text


# --- nothing stored ------------------------------------------------------------------------------------------


def _counts(db_path: Path) -> dict[str, int]:
    import sqlite3

    tables = (
        "criteria_sets",
        "criteria",
        "assessments",
        "assessment_scores",
        "directives",
        "attachments",
        "tasks",
    )
    connection = sqlite3.connect(db_path)
    try:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    finally:
        connection.close()


def test_a_refused_workbook_stores_nothing(db_path, tmp_path, capsys):
    """The import command (read, then save only a clean set) on hostile workbooks: a clear message, exit 1,
    the database unchanged. The dialog calls the same reader and imports only a set without problems."""
    from parclerk.cli import EXIT_KNOWN, main

    bomb, crc, size = deflate_bomb()
    with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as source:
        members = [(info.filename, *deflated(source.read(info))) for info in source.infolist()]
    row = ["1.1", b'<c r="B5" t="inlineStr"><is><t>&lol9;</t></is></c>', 20]
    files = {
        "bom.xlsx": raw_zip([*members, ("xl/sharedStrings.xml", bomb, crc, size, 8)]),
        "lol.xlsx": xlsx(sheet_xml(criteria_rows(SET_ROWS[0], row, SET_ROWS[2]), doctype=billion_laughs("worksheet"))),
        "cong-thuc.xlsx": xlsx(sheet_xml(criteria_rows(SET_ROWS[0], ["1.1", "Tiêu chí", b'<c r="C5"><f>1+1</f></c>'], SET_ROWS[2]))),
        "so-lon.xlsx": xlsx(sheet_xml(criteria_rows(SET_ROWS[0], ["1.1", "Tiêu chí", "1E9999999"], SET_ROWS[2]))),
        "hong.xlsx": VALID_XLSX[:500],
        "mat-khau.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le"),
    }  # fmt: skip
    before = _counts(db_path)
    for name, data in files.items():
        with within(10):
            code = main(["import-criteria", "--db", str(db_path), str(write(tmp_path, name, data))])
        err = capsys.readouterr().err
        assert code == EXIT_KNOWN, (name, err)
        assert VIETNAMESE.search(err) and ("Chưa có gì được ghi" in err or err.startswith("Lỗi: ")), (
            name,
            err,
        )
        assert _counts(db_path) == before, name
    good = write(tmp_path, "tot.xlsx", xlsx(sheet_xml(criteria_rows(*SET_ROWS))))
    assert (
        main(["import-criteria", "--db", str(db_path), str(good)]) == 0
    )  # the same database does take a set
    assert _counts(db_path)["criteria_sets"] == before["criteria_sets"] + 1


def test_a_refused_directive_file_stores_nothing(db, db_path, tmp_path):
    """Registering from a file reads and parses it before anything is written: a refused file leaves no
    directive, no task and no stored original."""
    from parclerk import paths
    from parclerk.services import intake

    files = {
        "lol.docx": rezip(VALID_DOCX, lambda n, c: with_doctype(c, billion_laughs("w:document")) if n == "word/document.xml" else c),
        "sau.docx": _in_body(b"<w:tbl><w:tr><w:tc>" * 10_000 + b"</w:tc></w:tr></w:tbl>" * 10_000),
        "vong.pdf": pdf_file(CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        "bom.pdf": VALID_PDF[:1000],
        "hong.txt": b"\x00\x01\x02\xff" * 100,
    }  # fmt: skip
    before = _counts(db_path)
    for name, data in files.items():
        refused(intake.parse_file, write(tmp_path, name, data), match="nhập tay|bảng mã", seconds=10)
    assert _counts(db_path) == before
    assert not paths.files_dir(db_path).exists() or not any(paths.files_dir(db_path).rglob("*"))
