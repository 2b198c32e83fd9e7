"""Read a Vietnamese administrative document's text: its metadata (Nghị định 30/2020 layout) and the
tasks it assigns.

The input is text as it comes from a .txt, a .docx (header and footer tables read left cell then
right cell), a PDF's text layer or the clipboard: lines in order, blank lines between paragraphs or
not, OCR markup (**bold**, ~~strike~~) left in, page breaks in the middle of a sentence. Nothing here
guesses silently: what is uncertain is flagged, what looks wrong is a warning for the clerk.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from parclerk import glossary, vntext
from parclerk.parsing import names
from parclerk.parsing.deadlines import find_deadline, parse_vn_date
from parclerk.parsing.model import Deadline, ParsedDirective, ParsedTask

QUOC_HIEU = "cong hoa xa hoi chu nghia viet nam"
TIEU_NGU = "doc lap - tu do - hanh phuc"

_NUMBER_LINE = re.compile(r"^Số\s*[:.]?\s*(?P<num>[0-9]*)\s*(?:/\s*(?P<sym>[^\s,;]+))?", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"(?P<place>[^\d,;:]{2,60}?)\s*,\s*(?P<date>ngày\s*(?:\d{1,2}|\.+|…)\s*tháng\s*(?:\d{1,2}|\.+|…)\s*năm\s*(?:\d{4}|20\.*|…)"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^(?P<mark>(?:X{0,3})(?:IX|IV|V?I{0,3}))\s*[.)]\s+(?P<rest>\S.*)$")
_NUMBERED = re.compile(r"^(?P<mark>\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)]|(?<=\d)(?=\s))\s*(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?P<mark>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
_BULLET = re.compile(r"^(?P<mark>[-–—•+])\s+(?P<rest>\S.*)$")
_AUTHORITY = re.compile(r"^(TM|KT|TL|Q|TUQ)\s*\.\s*\S", re.IGNORECASE)

# Sections that describe and assess; their items assign nothing.
_DESCRIPTIVE = (
    "danh gia chung", "ket qua dat duoc", "ket qua thuc hien", "ket qua", "han che", "ton tai", "nguyen nhan",
    "tinh hinh", "boi canh", "muc dich", "yeu cau", "muc dich, yeu cau", "can cu", "dac diem", "thuc trang",
    "uu diem", "khuyet diem", "bai hoc kinh nghiem", "danh gia",
)  # fmt: skip
_ACTION_WORDS = (
    "chu tri", "phoi hop", "tham muu", "trien khai", "thuc hien", "ra soat", "bao cao", "to chuc", "giao",
    "de nghi", "yeu cau", "khan truong", "tang cuong", "day manh", "theo doi", "don doc", "hoan thanh",
    "xay dung", "ban hanh", "kiem tra", "so ket", "tong ket", "cap nhat", "tuyen truyen", "quan triet",
    "chan chinh", "bo tri", "lap ", "nghien cuu", "chiu trach nhiem", "co trach nhiem", "khac phuc",
    "gui ", "cung cap", "huong dan", "tiep tuc", "chu dong", "nang cao", "dam bao", "cong khai", "mo ",
    "ap dung", "duy tri", "giam sat", "xu ly", "sua doi", "thay the", "tham dinh", "phan cong",
)  # fmt: skip
_CLOSING_STARTS = (
    "de nghi thu truong", "de nghi lanh dao", "de nghi cac", "yeu cau thu truong", "yeu cau cac", "nay thong bao",
    "tren day la", "trong qua trinh", "nhan duoc van ban", "uy ban nhan dan", "ubnd tinh", "ubnd huyen",
)  # fmt: skip
_GROUP_DEADLINE = re.compile(
    r"^(hoàn thành|thời gian hoàn thành|thời hạn hoàn thành|thời hạn)\b.*\b(nêu trên|trên|nói trên|các nội dung|các nhiệm vụ)",
    re.IGNORECASE,
)
_LEAD_VERBS = (
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "theo dõi", "thực hiện", "tăng cường", "tham mưu",
    "triển khai", "tiếp tục", "chủ động", "khẩn trương", "rà soát", "tổ chức", "nghiên cứu", "cần", "phải",
    "báo cáo", "xây dựng", "đôn đốc", "hướng dẫn", "kiểm tra", "đẩy mạnh", "nâng cao", "căn cứ", "lập", "mở",
    "quán triệt", "bố trí", "ban hành", "sớm", "nghiêm túc", "đảm bảo", "bảo đảm", "cập nhật", "công khai",
)  # fmt: skip


_VERBS = "|".join(re.escape(verb) for verb in _LEAD_VERBS)
# Characters read: some 300 pages. The parser is linear, about 1-3 s a million characters; a 100 MB text file
# chosen by mistake would take minutes.
MAX_TEXT_CHARS = 1_000_000
_MAX_ISSUER_LINE = 200  # longer capital lines are not a body's name
_MAX_WHO = 300  # characters of a unit list between "yêu cầu" and its verb


def clean_text(text: str) -> str:
    """NFC, OCR markup (**, ~~, *italic*) removed, tabs as spaces, trailing spaces gone."""
    text = vntext.nfc(text).replace("**", "").replace("~~", "").replace("\t", " ")
    text = re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", text)
    text = re.sub(r"_\(", "(", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def parse_directive(text: str, *, today: dt.date | None = None) -> ParsedDirective:
    """Metadata and tasks of the (outer) document in `text`; an enclosed document becomes a reference. Only the
    first MAX_TEXT_CHARS characters are read (with a warning)."""
    cleaned = clean_text(text[:MAX_TEXT_CHARS])
    lines = _split_header_lines(cleaned.split("\n"))
    starts = _document_starts(lines)
    outer = lines[: starts[1]] if len(starts) > 1 else lines
    result = _parse_one(outer)
    references = list(result.references)
    warnings = list(result.warnings)
    for index, start in enumerate(starts[1:], start=1):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        enclosed = _parse_one(lines[start:end], with_tasks=False)
        references.append(_reference(enclosed))
    if not result.number and not result.issuer and not result.issued_date:
        warnings.append("Không nhận ra phần đầu văn bản (cơ quan ban hành, số, ngày); hãy nhập tay.")
    if len(text) > MAX_TEXT_CHARS:
        warnings.append(
            f"Văn bản quá dài ({vntext.format_count(len(text))} ký tự): chỉ đọc "
            f"{vntext.format_count(MAX_TEXT_CHARS)} ký tự đầu; hãy kiểm tra và nhập tay các nhiệm vụ ở phần sau."
        )
    return ParsedDirective(
        **{
            **result.__dict__,
            "references": tuple(references),
            "warnings": tuple(dict.fromkeys(warnings)),
            "text": cleaned,
        }
    )


def _reference(doc: ParsedDirective) -> str:
    parts = [doc.doc_type or "Văn bản"]
    if doc.number:
        parts.append(f"số {doc.number}")
    if doc.issued_date:
        parts.append(f"ngày {doc.issued_date.day}/{doc.issued_date.month}/{doc.issued_date.year}")
    if doc.issuer:
        parts.append(f"của {doc.issuer}")
    text = " ".join(parts)
    return f"{text}: {doc.subject}" if doc.subject else text


# --- splitting ------------------------------------------------------------------------------------


def _split_header_lines(lines: list[str]) -> list[str]:
    """Split lines where a PDF put both header columns on one line ("ỦY BAN NHÂN DÂN CỘNG HÒA ...")."""
    out: list[str] = []
    for line in lines:
        folded = vntext.fold(line)
        for marker in (QUOC_HIEU, "doc lap - tu do"):
            position = folded.find(marker)
            if position > 0 and len(line) == len(folded):
                out.append(line[:position].strip())
                line = line[position:]
                folded = folded[position:]
                break
        number = _NUMBER_LINE.match(line)
        date = _DATE_LINE.search(line, number.end()) if number else None
        if number and date and "ngày" in date.group("date").lower():
            out.extend([line[: date.start()].strip(), line[date.start() :].strip()])
            continue
        out.append(line)
    return out


def _document_starts(lines: list[str]) -> list[int]:
    """Where each document begins: the first at 0, each enclosed one at the header block before its
    Quốc hiệu (issuer lines, and an e-signature stamp: place, "Số: ...", date)."""
    hits = [i for i, line in enumerate(lines) if vntext.fold(line).startswith(QUOC_HIEU)]
    starts = [0]
    for hit in hits[1:]:
        start = hit
        i = hit - 1
        while i > starts[-1]:
            line = lines[i]
            if not line:
                i -= 1
                continue
            next_line = next((candidate for candidate in lines[i + 1 : hit] if candidate), "")
            if (
                names.is_upper_line(line)
                or _NUMBER_LINE.match(line)
                or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", line)
                or (_NUMBER_LINE.match(next_line) and len(line.split()) <= 4)
            ):
                start = i
                i -= 1
                continue
            break
        starts.append(start)
    return starts


# --- one document ---------------------------------------------------------------------------------


@dataclass
class _Header:
    issuer_lines: list[str] = field(default_factory=list)
    number_index: int | None = None
    date_index: int | None = None
    type_index: int | None = None
    subject_lines: list[int] = field(default_factory=list)
    recipients_index: int | None = None
    body_start: int = 0


def _parse_one(lines: list[str], *, with_tasks: bool = True) -> ParsedDirective:
    warnings: list[str] = []
    uncertain: set[str] = set()
    noi_nhan_index = next(
        (i for i, line in enumerate(lines) if vntext.fold(line).startswith(("noi nhan", "noi gui"))), None
    )
    head = _read_header(lines, noi_nhan_index if noi_nhan_index is not None else len(lines))

    parent, issuer = _issuer(head.issuer_lines)
    if not issuer:
        uncertain.add("issuer")

    number, symbol = None, ""
    if head.number_index is not None:
        match = _NUMBER_LINE.match(lines[head.number_index])
        assert match is not None
        symbol = (match.group("sym") or "").rstrip(".")
        if match.group("num") and symbol:
            number = f"{match.group('num')}/{symbol}"
        elif match.group("num"):
            number = match.group("num")
        else:
            warnings.append("Số văn bản để trống (có thể là bản dự thảo): chưa có số để ghi vào sổ.")
            uncertain.add("number")
    else:
        uncertain.add("number")

    doc_type = _doc_type(symbol, lines[head.type_index] if head.type_index is not None else "")
    place, issued_date = "", None
    if head.date_index is not None:
        place, issued_date, date_warnings = _date_line(lines[head.date_index])
        warnings.extend(date_warnings)
    if issued_date is None:
        uncertain.add("issued_date")

    subject = " ".join(lines[i] for i in head.subject_lines).strip()
    subject = (
        re.sub(r"^(V/v|Về việc)\s*:?\s*", "V/v ", subject, flags=re.IGNORECASE)
        if doc_type == "Công văn"
        else subject
    )
    if not subject:
        uncertain.add("subject")

    recipients = _recipients(lines, head.recipients_index)
    end_of_body = noi_nhan_index if noi_nhan_index is not None else _signature_start(lines)
    noi_nhan, signature_lines = _footer(lines, noi_nhan_index)
    authority, signer_title, signer = _signature(
        signature_lines if noi_nhan_index is not None else lines[end_of_body:]
    )
    if not signer:
        uncertain.add("signer")

    tasks: tuple[ParsedTask, ...] = ()
    if with_tasks:
        body = lines[head.body_start : end_of_body]
        tasks = tuple(_tasks(body, recipients, issued_date))
    warnings.extend(f"Nhiệm vụ {task.ref}: {w}" for task in tasks for w in task.warnings)

    return ParsedDirective(
        issuer=issuer,
        parent_body=parent,
        number=number,
        doc_type=doc_type,
        issued_place=place,
        issued_date=issued_date,
        subject=subject,
        recipients=tuple(recipients),
        signer=signer,
        signer_title=signer_title,
        signer_authority=authority,
        noi_nhan=tuple(noi_nhan),
        tasks=tasks,
        warnings=tuple(warnings),
        uncertain=frozenset(uncertain),
    )


def _read_header(lines: list[str], limit: int) -> _Header:
    head = _Header()
    quoc_hieu_seen = False
    i = 0
    scan_limit = min(limit, 80)
    while i < scan_limit:
        line = lines[i]
        folded = vntext.fold(line)
        if not line or set(line) <= set("_-–—=*. "):
            i += 1
            continue
        if folded.startswith(QUOC_HIEU) or folded.startswith("doc lap"):
            quoc_hieu_seen = True
            i += 1
            continue
        if (
            head.number_index is None
            and _NUMBER_LINE.match(line)
            and ("/" in line or re.match(r"^Số\s*:", line))
        ):
            following = next((candidate for candidate in lines[i + 1 : i + 4] if candidate), "")
            if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", following):
                # An e-signature stamp (place, "Số: ...", date) printed above the real header: skip it.
                i = lines.index(following, i + 1) + 1
                continue
            head.number_index = i
            i += 1
            continue
        if head.date_index is None and _is_date_line(line):
            head.date_index = i
            i += 1
            continue
        if re.match(r"^(V/v|Về việc)\b", line, re.IGNORECASE) and not head.subject_lines:
            i = _take_subject(lines, i, head, scan_limit)
            continue
        if folded.startswith("kinh gui"):
            head.recipients_index = i
            i = _skip_recipients(lines, i)
            head.body_start = i
            break
        # Issuer lines: capitals before the number (the left column; in a PDF it may follow the Quốc hiệu).
        issuer_place = not quoc_hieu_seen or (len(head.issuer_lines) < 3 and head.date_index is None)
        if (
            names.is_upper_line(line)
            and len(line) <= _MAX_ISSUER_LINE
            and head.number_index is None
            and issuer_place
            and _doc_type_name(line) is None
        ):
            head.issuer_lines.append(line)
            i += 1
            continue
        type_name = _doc_type_name(line)
        if (
            type_name is not None
            and head.type_index is None
            and (head.number_index is not None or quoc_hieu_seen)
        ):
            head.type_index = i
            i += 1
            while i < scan_limit and not lines[i]:
                i += 1
            if not head.subject_lines:
                i = _take_subject(lines, i, head, scan_limit, title=True)
            head.body_start = i
            continue
        if head.number_index is not None or head.date_index is not None:
            # The first line of running text: the header is over.
            head.body_start = i
            break
        i += 1
    else:
        head.body_start = i
    if head.body_start == 0:
        head.body_start = i
    return head


def _is_date_line(line: str) -> bool:
    """'Quảng Ngãi, ngày 09 tháng 01 năm 2021' or 'Quảng Ngãi, 09/01/2021'."""
    match = _DATE_LINE.match(line)
    return bool(match) and (
        "ngày" in line.lower() or re.fullmatch(r"[^\d,]{2,40},\s*\d{1,2}/\d{1,2}/\d{4}", line) is not None
    )


def _take_subject(lines: list[str], i: int, head: _Header, limit: int, *, title: bool = False) -> int:
    """Subject lines run until a blank line, a date line, Kính gửi, the Quốc hiệu, or body text."""
    while i < limit:
        line = lines[i]
        folded = vntext.fold(line)
        if (
            not line
            or folded.startswith(("kinh gui", QUOC_HIEU, "doc lap", "can cu"))
            or _NUMBER_LINE.match(line)
        ):
            break
        if head.date_index is None and _is_date_line(line):
            break
        if (
            title
            and head.subject_lines
            and (len(line) > 140 or _NUMBERED.match(line) or _ROMAN.match(line) or names.is_upper_line(line))
        ):
            break
        if len(head.subject_lines) >= 8:
            break
        head.subject_lines.append(i)
        i += 1
    return i


def _dash_list(lines: list[str], i: int) -> tuple[list[str], int]:
    """The "- ...;" lines from index i on (blank lines between them allowed): their texts, and the index
    of the first line after the list."""
    items: list[str] = []
    end = i
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        bullet = _BULLET.match(lines[i])
        if not bullet:
            break
        items.append(bullet.group("rest"))
        i += 1
        end = i
    return items, end


def _skip_recipients(lines: list[str], i: int) -> int:
    """Past "Kính gửi:" and its list (inline, or "- ...;" lines with blank lines between)."""
    return _dash_list(lines, i + 1)[1]


def _recipients(lines: list[str], index: int | None) -> list[str]:
    if index is None:
        return []
    first = re.sub(r"^kính\s*gửi\s*:?\s*", "", lines[index], flags=re.IGNORECASE).strip()
    found = [part for part in re.split(r";\s*", first) if part.strip()] if first else []
    found.extend(_dash_list(lines, index + 1)[0])
    return [r.strip(" ;.,") for r in found if r.strip(" ;.,")]


def _issuer(lines: list[str]) -> tuple[str, str]:
    """(parent body, issuer as written in running text) from the upper-case header lines."""
    lines = [line.strip(" _-–") for line in lines if line.strip(" _-–")]
    if not lines:
        return "", ""
    if len(lines) == 1:
        return "", names.proper_body_name(lines[0])
    folded_second = vntext.fold(lines[1])
    unit_continues = folded_second.startswith(
        ("tinh ", "huyen ", "xa ", "phuong ", "thi xa ", "thi tran ", "quan ", "thanh pho ", "dac khu ")
    )
    if len(lines) == 2 and unit_continues:
        return "", names.proper_body_name(f"{lines[0]} {lines[1]}")
    parent = names.proper_body_name(" ".join(lines[:-1]))
    own = names.proper_body_name(lines[-1])
    return parent, _full_name(own, parent)


def _full_name(own: str, parent: str) -> str:
    """'Văn phòng' under 'UBND tỉnh Quảng Trị' -> 'Văn phòng UBND tỉnh Quảng Trị'; 'Sở Nội vụ' under
    'UBND tỉnh Quảng Ngãi' -> 'Sở Nội vụ tỉnh Quảng Ngãi'."""
    if not parent:
        return own
    if vntext.fold(own) in ("van phong", "thanh tra"):
        return f"{own} {parent}"
    place = re.search(r"\b(tỉnh|huyện|xã|phường|thị xã|thị trấn|quận|thành phố|đặc khu)\s+\S.*$", parent)
    if place and place.group(0).lower() not in own.lower():
        return f"{own} {place.group(0)}"
    return own


def _doc_type_name(line: str) -> str | None:
    """'THÔNG BÁO' -> 'Thông báo' when the line is exactly a type name in capitals."""
    if not names.is_upper_line(line):
        return None
    folded = vntext.fold(line)
    for name in glossary.DOC_TYPES:
        if folded == vntext.fold(name) and name != "Công văn":
            return name
    return None


def _doc_type(symbol: str, type_line: str) -> str:
    from_line = _doc_type_name(type_line) if type_line else None
    if from_line:
        return from_line
    first = symbol.split("-")[0] if "-" in symbol else ""
    for name, abbrev in glossary.DOC_TYPES.items():
        if abbrev and vntext.fold(first) == vntext.fold(abbrev):
            return name
    return "Công văn"


def _date_line(line: str) -> tuple[str, dt.date | None, list[str]]:
    match = _DATE_LINE.search(line)
    if not match:
        return "", None, []
    place = match.group("place").strip(" ,")
    text = match.group("date")
    if re.search(r"\.\.|…|năm\s*20\.*\s*$", text):
        return place, None, ["Ngày tháng văn bản để trống (có thể là bản dự thảo)."]
    day, problems = parse_vn_date(text, None)
    return place, day, list(problems)


def _footer(lines: list[str], noi_nhan_index: int | None) -> tuple[list[str], list[str]]:
    """The Nơi nhận list, and the lines of the signature block that follow it."""
    if noi_nhan_index is None:
        return [], []
    first = re.sub(r"^n[ơo]i\s*(nhận|gửi)\s*:?\s*", "", lines[noi_nhan_index], flags=re.IGNORECASE).strip()
    listed, end = _dash_list(lines, noi_nhan_index + 1)
    if first:
        bullet = _BULLET.match(first)
        listed.insert(0, bullet.group("rest") if bullet else first)
    items: list[str] = []
    rest: list[str] = []
    for text in listed:
        # A PDF may run the signature column into the list line: "- Như trên; CHỦ TỊCH".
        tail = re.search(r"[;.]\s+((?:(?:TM|KT|TL|Q|TUQ)\.\s*)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{3,})$", text)
        if tail and names.is_upper_line(tail.group(1)):
            rest.append(tail.group(1))
            text = text[: tail.start(1)].strip()
        items.append(text)
    rest.extend(lines[end:])
    return [item.strip(" ;.") for item in items if item.strip(" ;.")], rest


def _signature_start(lines: list[str]) -> int:
    """With no Nơi nhận: the signature block is the upper-case title lines and a name at the end."""
    i = len(lines) - 1
    while i > 0 and (not lines[i] or names.looks_like_person(lines[i])):
        i -= 1
    while i > 0 and lines[i] and (names.is_upper_line(lines[i]) or _AUTHORITY.match(lines[i])):
        i -= 1
    return i + 1


def _signature(lines: list[str]) -> tuple[str, str, str]:
    """(authority lines "TM. ... / KT. ...", the signer's title, the signer's name)."""
    authority: list[str] = []
    titles: list[str] = []
    signer = ""
    for line in lines:
        if not line:
            continue
        if signer:
            break
        if _AUTHORITY.match(line):
            authority.append(re.sub(r"^(TM|KT|TL|Q|TUQ)\s*\.\s*", lambda m: m.group(1).upper() + ". ", line))
            continue
        if names.is_upper_line(line) and len(line.split()) <= 8:
            if names.looks_like_person(names.proper_person(line)) and titles:
                signer = names.proper_person(line)
                continue
            titles.append(line)
            continue
        if names.looks_like_person(line) and (titles or authority):
            signer = line
            continue
    title = names.proper_title(titles[-1]) if titles else ""
    if not title and authority:
        # "TL. CHỦ TỊCH" with no title line of its own: the authority names the office.
        title = names.proper_title(re.sub(r"^(TM|KT|TL|Q|TUQ)\.\s*", "", authority[-1]))
        authority = authority[:-1] if authority[-1].startswith(("TM", "Q")) else authority
    return " / ".join(authority), title, signer


# --- body structure and tasks ---------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "roman", "number", "letter", "bullet", "para"
    mark: str
    text: str
    level: int
    children: list[_Item] = field(default_factory=list)
    group_deadline: str = ""


def _blocks(lines: list[str]) -> list[tuple[str, str, str]]:
    """(kind, mark, text) paragraphs: a marked line starts an item; other lines continue the open
    paragraph unless it has ended (. ; : ! ?) and the new line starts with a capital."""
    # (kind, mark, the paragraph's lines, its length once joined): joining line by line, and searching the
    # whole paragraph for its end each time, was quadratic (a 170 KB paragraph of short lines took 17 s).
    blocks: list[list] = []  # [kind, mark, lines, joined length]
    pending_blank = False
    for line in lines:
        if not line:
            pending_blank = True
            continue
        kind, mark, rest = _marker(line)
        # In a PDF's text layer a wrapped line can start with "- 2020;" or "1. ": it opens an item only when the
        # paragraph before it has ended or is a short heading ("2. Giao Giám đốc Sở Nội vụ").
        if (
            blocks
            and kind in ("bullet", "number", "letter")
            and not pending_blank
            and not re.search(r"[.;:!?]\s*$", blocks[-1][2][-1])
            and blocks[-1][3] > 90
        ):
            kind, mark, rest = "para", "", line
        if blocks and kind == "para":
            ended = bool(re.search(r"[.;:!?]\s*$|\./\.\s*$", blocks[-1][2][-1]))
            starts_low = line[:1].islower() or line[:1].isdigit() or line[:1] in '("“'
            if not ended and (starts_low or not pending_blank):
                blocks[-1][2].append(line)
                blocks[-1][3] += 1 + len(line)
                pending_blank = False
                continue
        blocks.append([kind, mark, [rest], len(rest)])
        pending_blank = False
    return [(k, m, " ".join(parts).strip()) for k, m, parts, _ in blocks]


def _marker(line: str) -> tuple[str, str, str]:
    for kind, pattern in (
        ("roman", _ROMAN),
        ("number", _NUMBERED),
        ("letter", _LETTERED),
        ("bullet", _BULLET),
    ):
        match = pattern.match(line)
        if match and match.group("mark"):
            if kind == "number" and re.match(r"^\d{1,2}/\d", line):
                continue
            return kind, match.group("mark"), match.group("rest")
    return "para", "", line


def _level(kind: str, mark: str) -> int:
    if kind == "roman":
        return 0
    if kind == "number":
        return 1 + mark.count(".")
    if kind == "letter":
        return 6
    if kind == "bullet":
        return 7
    return 9


def _tree(blocks: list[tuple[str, str, str]]) -> tuple[list[str], list[_Item]]:
    """(preamble paragraphs, top-level items); unmarked paragraphs continue the item before them."""
    preamble: list[str] = []
    roots: list[_Item] = []
    stack: list[_Item] = []
    more: dict[int, list[str]] = {}  # id(item) -> paragraphs after its first; joined at the end (linear)
    for kind, mark, text in blocks:
        if kind == "para":
            if not stack:
                preamble.append(text)
                continue
            folded = vntext.fold(text)
            if folded.startswith(_CLOSING_STARTS) and text.rstrip().endswith("./."):
                stack = []  # a closing paragraph: the list is over
                continue
            current = stack[-1]
            if _GROUP_DEADLINE.match(text) and len(stack) >= 1:
                # "Hoàn thành các nhiệm vụ nêu trên chậm nhất ...": for the items of the enclosing group.
                owner = next((item for item in reversed(stack) if item.children), None)
                if owner is not None and current is not owner:
                    owner.group_deadline = text
                    stack = stack[: stack.index(owner) + 1]
                    continue
            more.setdefault(id(current), [current.text]).append(text)
            continue
        item = _Item(kind, mark, text, _level(kind, mark))
        while stack and stack[-1].level >= item.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    pending = roots[:]
    while pending:
        item = pending.pop()
        if id(item) in more:
            item.text = "\n".join(more[id(item)])
        pending.extend(item.children)
    return preamble, roots


def _is_descriptive(item: _Item) -> bool:
    title = vntext.fold(item.text.split("\n")[0]).strip(" .:")
    return any(
        title == d or title.startswith(d + " ") or title.startswith(d + ",") for d in _DESCRIPTIVE
    ) and (len(title) < 60)


def _default_lead(preamble: list[str], recipients: list[str]) -> str:
    """'... yêu cầu Sở Nội vụ (...), thực hiện các nhiệm vụ sau:' -> 'Sở Nội vụ'."""
    for text in reversed(preamble):
        # White space folded first: "\s*,?\s+" splits a run of spaces many ways (cubic on a long run).
        plain = " ".join(vntext.without_parentheses(text).split())
        match = re.search(
            rf"\b(?i:yêu cầu|đề nghị|giao)\s+(?:cho\s+)?(?P<who>.{{1,{_MAX_WHO}}}?)\s*,?\s+"
            rf"(?:{_VERBS}|tập trung|chỉ đạo)\b",
            plain,
        )
        if match:
            return _clean_unit(match.group("who"))
    return recipients[0] if len(recipients) == 1 else ""


def _clean_unit(text: str) -> str:
    text = vntext.without_parentheses(text)
    text = vntext.clean_line(text).strip(" ,.;:")
    text = names.strip_person_title(text)
    return text[:1].upper() + text[1:] if text else text


def _lead_and_coordination(text: str, inherited: str) -> tuple[str, list[str], bool]:
    """(lead unit, coordinating units, explicit) for one item's text."""
    # White space folded: "\s+" and "\s*[:,]?\s*" backtrack over a run of spaces (quadratic or worse). The
    # units found are cleaned the same way (vntext.clean_line), so nothing else changes.
    first = " ".join(vntext.without_parentheses(text.split("\n")[0]).split())
    coordinating: list[str] = []
    verbs = _VERBS
    coordination = re.search(
        r"phối hợp\s+(?:chặt chẽ\s+)?(?:với\s+)?(?P<who>.+?)(?:\s+(?:để|nhằm|trong|tham mưu|thực hiện|triển khai|tổ chức|"
        r"rà soát|xây dựng|kiểm tra|mở|hướng dẫn|tiếp tục|báo cáo|theo dõi)\b|[;.]|:\s*$|$)",
        first,
        re.IGNORECASE,
    )
    if coordination:
        coordinating = [_clean_unit(u) for u in names.split_units(coordination.group("who"))]
        coordinating = [u for u in coordinating if u and vntext.fold(u) not in ("", "cac")]
    # Verbs match in lower case only: unit names capitalise the same words ("phòng Hành chính - Tổ chức").
    giao = re.match(
        rf"^(?i:Giao\s+(?:cho\s+)?|Đề nghị\s+|Yêu cầu\s+)(?P<who>.+?)(?:\s*[:,]?\s*(?:{verbs})\b|\s*:|\s*$)",
        first,
    )
    leads = re.match(rf"^(?P<who>.+?)\s+(?:{verbs})\b", first)
    who = ""
    heading = re.fullmatch(r"(?P<who>[^:;.]{3,90}):", first.strip())
    if giao:
        who = giao.group("who")
    elif heading and names.UNIT_START.match(heading.group("who")):
        who = heading.group("who")
    elif leads and (
        names.UNIT_START.match(leads.group("who")) or leads.group("who").split()[0] in ("Mỗi", "Các")
    ):
        who = leads.group("who")
    if not who:
        return inherited, coordinating, False
    who = re.split(r"\s+(?:theo chức năng|theo thẩm quyền|căn cứ|trong phạm vi|trên cơ sở)\b", who)[0]
    units = [_clean_unit(u) for u in names.split_units(who)] or [_clean_unit(who)]
    if giao and not vntext.fold(first).startswith("giao") and len(units) > 1:
        # "Đề nghị A, B ...": the addressees act together; keep them as one lead, as written.
        joint = vntext.clean_line(vntext.without_parentheses(who)).strip(" ,.;:")
        return joint[:1].upper() + joint[1:], coordinating, True
    # "Giao A, B tăng cường ...": the first leads, the others work with it.
    return units[0], list(dict.fromkeys([*units[1:], *coordinating])), True


def _has_action(text: str) -> bool:
    folded = vntext.fold(text)
    return any(word in folded for word in _ACTION_WORDS)


def _ref(path: list[_Item]) -> str:
    """'II.2', '1.a', '1.2': the marks of the numbered ancestors (bullets are counted by the caller); a
    dotted number ("1.2" under "1") already carries its parent's."""
    parts: list[str] = []
    for item in path:
        if item.kind == "bullet":
            continue
        if item.kind == "number" and parts and item.mark.startswith(parts[-1] + "."):
            parts[-1] = item.mark
        else:
            parts.append(item.mark)
    return ".".join(parts)


def _tasks(body_lines: list[str], recipients: list[str], issued_date: dt.date | None) -> list[ParsedTask]:
    preamble, roots = _tree(_blocks(body_lines))
    default_lead = _default_lead(preamble, recipients)
    tasks: list[ParsedTask] = []
    # A group's and a heading's deadline, read once: read again for each item under them, a long heading over
    # many items was quadratic (a 100 KB heading over 400 items took 37 s).
    group_deadlines: dict[str, Deadline] = {}
    heading_deadlines: dict[int, Deadline] = {}  # id(item) -> the deadline in its first line

    def visit(
        items: list[_Item], path: list[_Item], lead: str, coordination: list[str], group_deadline: str
    ) -> None:
        bullet_number = 0
        for item in items:
            if item.kind == "roman" and _is_descriptive(item):
                continue
            if item.kind == "number" and _is_descriptive(item) and item.children:
                continue
            own_lead, coordinating, _explicit = _lead_and_coordination(item.text, lead)
            coordinating = coordinating or list(coordination)
            if item.children and all(c.kind == "bullet" and not _has_action(c.text) for c in item.children):
                # Dashes that only list things ("- bảng tin; - trang thông tin") are part of the item.
                item.text = "\n".join([item.text, *(f"- {c.text}" for c in item.children)])
                item.children = []
            if item.children:
                # A section's own paragraphs may name who does its items ("UBND tỉnh yêu cầu Thủ trưởng ...").
                context = _default_lead(item.text.split("\n")[1:], []) if not _explicit else ""
                visit(
                    item.children,
                    [*path, item],
                    context or own_lead,
                    coordinating,
                    item.group_deadline or group_deadline,
                )
                continue
            if item.kind == "roman" or _is_descriptive(item):
                continue
            if item.kind == "bullet":
                bullet_number += 1
            ref = _ref([*path, item])
            if item.kind == "bullet":
                ref = f"{ref}-{bullet_number}" if ref else str(bullet_number)
            deadline = find_deadline(item.text, issued_date)
            if not deadline.text and group_deadline:
                if group_deadline not in group_deadlines:
                    group_deadlines[group_deadline] = find_deadline(group_deadline, issued_date)
                deadline = group_deadlines[group_deadline]
            if not deadline.text:
                for ancestor in reversed(path):
                    if id(ancestor) not in heading_deadlines:
                        first_line = ancestor.text.split("\n", 1)[0]
                        heading_deadlines[id(ancestor)] = find_deadline(first_line, issued_date)
                    inherited = heading_deadlines[id(ancestor)]
                    if inherited.text:
                        deadline = inherited
                        break
            uncertain = set()
            if not own_lead:
                uncertain.add("lead_unit")
            if deadline.warnings:
                uncertain.add("deadline")
            if not _has_action(item.text):
                uncertain.add("text")
            task = ParsedTask(
                ref=ref,
                text=_task_text(item),
                lead_unit=own_lead,
                coordinating_units=tuple(dict.fromkeys(coordinating)),
                deadline=deadline.date,
                deadline_text=deadline.text,
                recurrence=deadline.recurrence,
                uncertain=frozenset(uncertain),
                warnings=deadline.warnings,
            )
            tasks.append(task)

    visit(roots, [], default_lead, [], "")
    if not tasks and not roots:
        # A short letter with no numbered items: each paragraph that asks for something is a task.
        for number, text in enumerate((p for p in preamble if _is_request(p)), start=1):
            lead, coordinating, _explicit = _lead_and_coordination(text, default_lead)
            deadline = find_deadline(text, issued_date)
            task = ParsedTask(
                ref=str(number),
                text=text,
                lead_unit=lead,
                coordinating_units=tuple(coordinating),
                deadline=deadline.date,
                deadline_text=deadline.text,
                recurrence=deadline.recurrence,
                uncertain=frozenset({"lead_unit"} if not lead else set()),
                warnings=deadline.warnings,
            )
            tasks.append(task)
    return tasks


def _is_request(text: str) -> bool:
    folded = vntext.fold(text)
    return any(word in folded for word in ("de nghi", "yeu cau", "giao ", "bao cao", "gui ve", "hoan thanh"))


def _task_text(item: _Item) -> str:
    r"""The item's text; a closing "./." becomes "." (re.sub(r"\s*\./\.\s*$", ".", text) was quadratic on a run
    of spaces)."""
    text = item.text.strip()
    return text[:-3].rstrip() + "." if text.endswith("./.") else text
