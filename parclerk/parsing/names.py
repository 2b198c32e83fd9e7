"""Names in administrative documents: bodies, titles, people, and lists of units.

Headers print names in upper case ("ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI"); the register wants them as
written in running text ("Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Thông tin và Truyền thông"). The
rules follow the capitalisation of Nghị định 30/2020 Phụ lục II: the kind of body and the first word
of its field take a capital, a place name after tỉnh/huyện/xã takes capitals, abbreviations stay.
"""

from __future__ import annotations

import re

from parclerk import vntext

ABBREVIATIONS = {
    "UBND", "HĐND", "MTTQ", "CCHC", "TTHC", "CNTT", "VP", "TW", "CP", "BCĐ", "KT-XH", "TN&MT", "GD&ĐT",
    "LĐ-TB&XH", "VH-TT&DL", "NN&PTNT", "KH&CN", "TT&TT", "KH&ĐT", "GTVT", "TP", "TP.", "BHXH", "QLNN",
}  # fmt: skip
_ADMIN_UNITS = ("thị xã", "thị trấn", "thành phố", "đặc khu", "tỉnh", "huyện", "xã", "phường", "quận")
# Kinds of body whose field name follows and takes a capital ("Sở Nội vụ", "Ban Chỉ đạo ...").
_HEADS_WITH_FIELD = (
    "tổng cục", "chi cục", "trung tâm", "bệnh viện", "cục", "sở", "phòng", "ban", "bộ", "viện", "đài",
    "hội", "thanh tra", "báo",
)  # fmt: skip
_PERSON_TITLES = ("giám đốc", "thủ trưởng", "chủ tịch", "lãnh đạo", "trưởng", "chánh văn phòng")


def is_upper_line(line: str) -> bool:
    """A line written in capitals (at least two letters, none lower case): header names and titles."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(not ch.islower() for ch in letters)


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def _keep_abbreviations(original: str, lowered: list[str]) -> list[str]:
    words = original.split()
    return [w if w in ABBREVIATIONS else low for w, low in zip(words, lowered, strict=True)]


_ADMIN_UNIT_WORDS = tuple(tuple(unit.split()) for unit in _ADMIN_UNITS)
_HEAD_WORDS = tuple(tuple(head.split()) for head in _HEADS_WITH_FIELD)


def _phrase_at(words: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The first of `phrases` that the words from i on begin with (compared word by word: linear in the
    line, where joining the rest of the line at every word was quadratic)."""
    return next((phrase for phrase in phrases if tuple(words[i : i + len(phrase)]) == phrase), None)


def proper_body_name(text: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI' -> 'Ủy ban nhân dân tỉnh Quảng Ngãi'; mixed-case input is kept."""
    text = vntext.clean_line(text)
    if not text or not is_upper_line(text):
        return text
    words = _keep_abbreviations(text, text.lower().split())
    out: list[str] = []
    i = 0
    capital_next = True
    while i < len(words):
        unit = _phrase_at(words, i, _ADMIN_UNIT_WORDS)
        if unit and i > 0:
            # tỉnh / huyện / xã ... then the place name, every word capitalised.
            out.extend(unit)
            out.extend(_capitalize(w) for w in words[i + len(unit) :])
            break
        word = words[i]
        head = _phrase_at(words, i, _HEAD_WORDS)
        if head and (capital_next or i == 0):
            out.append(_capitalize(head[0]))
            out.extend(head[1:])
            i += len(head)
            capital_next = True  # the field name's first word
            continue
        if capital_next or word in ABBREVIATIONS:
            out.append(_capitalize(word) if word not in ABBREVIATIONS else word)
            capital_next = False
        else:
            out.append(word)
        capital_next = capital_next or word == "và"
        i += 1
    return " ".join(out)


def proper_title(text: str) -> str:
    """'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch', 'CHÁNH VĂN PHÒNG' -> 'Chánh Văn phòng', 'GIÁM ĐỐC' -> 'Giám đốc'."""
    text = vntext.clean_line(text)
    if not text or not is_upper_line(text):
        return text
    words = _keep_abbreviations(text, text.lower().split())
    out = [_capitalize(words[0])]
    for index, word in enumerate(words[1:], start=1):
        previous = words[index - 1]
        out.append(_capitalize(word) if previous in ("phó", "chánh") and index == 1 else word)
    return " ".join(out)


def proper_person(text: str) -> str:
    """'ĐẶNG VĂN MINH' -> 'Đặng Văn Minh'; a name already in mixed case is kept."""
    text = vntext.clean_line(text)
    if is_upper_line(text):
        return " ".join(_capitalize(w.lower()) for w in text.split())
    return text


_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$", re.UNICODE)


def looks_like_person(line: str) -> bool:
    """'Đặng Văn Minh': 2 to 5 words, each a capital then lower-case letters."""
    words = vntext.clean_line(line).split()
    if not 2 <= len(words) <= 5:
        return False
    return all(_NAME_WORD.match(unicode_upper_first(w)) for w in words)


def unicode_upper_first(word: str) -> str:
    """Normalise a word so the regex above sees precomposed capitals (Đ, Ư ...)."""
    return vntext.nfc(word)


def strip_person_title(unit: str) -> str:
    """'Giám đốc Sở Nội vụ' -> 'Sở Nội vụ', 'Thủ trưởng các cơ quan, đơn vị' -> 'các cơ quan, đơn vị'."""
    lowered = unit.lower()
    for title in _PERSON_TITLES:
        if lowered.startswith(title + " ") and len(unit) > len(title) + 3:
            rest = unit[len(title) + 1 :].strip()
            if rest.lower().startswith(
                ("các ", "sở ", "phòng ", "ban ", "ubnd", "ủy ban", "trung tâm", "văn phòng", "cơ quan")
            ):
                return rest
    return unit


UNIT_START = re.compile(
    r"^(các\s|Sở\s|Phòng\s|phòng\s|Ban\s|Văn phòng|UBND|Ủy ban|Uỷ ban|Trung tâm|Đài|Báo|Bộ\s|Cục|Chi cục|"
    r"Công an|Kho bạc|Thanh tra|Hội|Đoàn|Cơ quan|Bảo hiểm|Ngân hàng|Liên đoàn|Mặt trận|Viện|Trường|"
    r"Bệnh viện|Chủ tịch|Giám đốc|Thủ trưởng|Lãnh đạo|Tỉnh ủy|Huyện ủy|Đảng ủy|Công chức|Bộ phận)",
)


def split_units(text: str) -> list[str]:
    """'Văn phòng UBND tỉnh, các Sở: Thông tin và Truyền thông, Tài chính, Tư pháp và các cơ quan, đơn vị
    liên quan' -> ['Văn phòng UBND tỉnh', 'Sở Thông tin và Truyền thông', 'Sở Tài chính', 'Sở Tư pháp',
    'các cơ quan, đơn vị liên quan'].

    A comma or "và" separates units only where a unit starts after it ("các ...", "Sở ...", a capital):
    "các cơ quan, đơn vị liên quan" and "Thông tin và Truyền thông" stay whole.
    """
    text = vntext.clean_line(text).strip(" .;:,")
    if not text:
        return []
    units: list[str] = []
    # "các Sở: A, B và C" distributes the kind over the names that follow the colon.
    grouped = re.split(r"(các\s+(?:Sở|Phòng|Ban|Bộ|Trung tâm|Cục)\s*:)", text, flags=re.IGNORECASE)
    pending_kind: str | None = None
    for part in grouped:
        if not part.strip():
            continue
        kind = re.match(r"các\s+(Sở|Phòng|Ban|Bộ|Trung tâm|Cục)\s*:", part, flags=re.IGNORECASE)
        if kind:
            pending_kind = _capitalize(kind.group(1))
            continue
        pieces = _split_on_separators(part)
        for index, piece in enumerate(pieces):
            if pending_kind and index < len(pieces) and not piece.lower().startswith("các "):
                piece = f"{pending_kind} {piece}"
            elif piece.lower().startswith("các "):
                pending_kind = None
            units.append(piece)
        pending_kind = None
    return [u for u in (unit.strip(" .;:,") for unit in units) if u]


def _split_on_separators(text: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    tokens = re.split(r"(,\s*|;\s*|\s+và\s+)", text)
    for i, token in enumerate(tokens):
        if i % 2 == 0:
            current += token
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        separator = token.strip()
        starts_unit = bool(following) and (
            following.lower().startswith("các ")
            or UNIT_START.match(following) is not None
            or (separator in (",", ";") and following[:1].isupper())
        )
        if separator == ";" or starts_unit:
            pieces.append(current)
            current = ""
        else:
            current += token
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]
