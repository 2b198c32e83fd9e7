"""Deadline phrases in a task's text, resolved on the calendar (domain guide §7.1-7.2).

`find_deadline` finds the phrase that sets a task's deadline ("chậm nhất trong tháng 2/2021", "trước ngày 15 tháng
01 hằng năm", "hàng quý", "thường xuyên" ...) and turns it into a `Deadline`: a date, a recurrence, the phrase as
written, and Vietnamese warnings for the clerk. Nothing doubtful is fixed silently: a date that is not on the
calendar stays None, and a missing year, a deadline earlier than the document or a day taken from the document's
date instead of the unknown day of receipt is said in a warning.

Pure functions over text; the only file read is the holiday list, by `load_holidays`, and only when a phrase counts
working days and the caller passed no holidays.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from parclerk.dates import add_months, add_working_days, clamp_day, format_dmy, month_end
from parclerk.parsing.model import Deadline
from parclerk.paths import resource_path
from parclerk.vntext import clean_line

__all__ = ["clean_markup", "find_deadline", "load_holidays", "parse_vn_date"]

# --- Building blocks (all patterns run on NFC text with single spaces, case-insensitively) -----------------------

_HANG = r"h[àằ]ng"  # hàng / hằng
_QUY = r"qu[ýí]"  # quý / quí
_ROMAN_Q = r"(?:IV|III|II|I|0?[1-4])(?!\w)"
_SEP_DM = r"\s*(?:[/.-]|tháng)\s*"
_SEP_MY = r"\s*(?:[/.-]|,?\s*năm)\s*"
# A day and month with an optional year: "30/6/2021", "30/06/2021", "30 tháng 6 năm 2021", "15/01", "15 tháng 01".
# A yearless date must not run on into more digits ("30/6/21", "35/63"), nor be a percentage range ("10-15%").
_DATE = (
    rf"(?<![\d/.,])\d{{1,2}}{_SEP_DM}\d{{1,2}}"
    rf"(?:{_SEP_MY}\d{{4}}(?!\d)|(?!\s*[/.-]?\s*\d)(?!\s*%))"
)
# Words that tie a date, month or quarter to the task: "chậm nhất", "hoàn thành", "Thời hạn:", "hạn chót là" ...
_LEAD = (
    r"(?:(?:chậm nhất|muộn nhất|hạn chót|hoàn thành|xong"
    r"|thời hạn(?: thực hiện| hoàn thành| giải quyết| xử lý)?|thời gian(?: thực hiện| hoàn thành)?)"
    r"\s*:?\s*(?:là\s+)?(?:vào\s+)?)"
)
_LABEL_LEADS = ("chậm nhất", "muộn nhất", "hạn chót", "thời hạn", "thời gian")
_NUMWORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười lăm": 15,
    "hai mươi": 20,
    "ba mươi": 30,
}
_NUMWORD = "|".join(sorted(_NUMWORDS, key=len, reverse=True))
_DOC_NOUN = r"(?:văn bản|công văn|quyết định|kế hoạch|thông báo|chỉ thị)"

_I = re.IGNORECASE

_DAY_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>(?:xong\s+)?trước|đến hết|đến|(?:xong\s+)?trong)\s*)?"
    rf"(?P<ngay>ngày\s+)?(?P<date>{_DATE})(?P<rec>\s*,?\s*{_HANG}\s+năm(?!\s*\d))?",
    _I,
)
_MONTH_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>trong|đến hết|đến)\s*)?tháng\s*(?P<m>\d{{1,2}})"
    rf"(?:(?:\s*[/.-]\s*|\s*,?\s*năm\s+)(?P<y>\d{{4}})(?!\d)|(?!\s*[/.-]?\s*\d))"
    rf"(?P<rec>\s*,?\s*{_HANG}\s+năm(?!\s*\d))?",
    _I,
)
_QUARTER_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>trong|đến hết|đến)\s*)?{_QUY}\s*(?P<q>{_ROMAN_Q})"
    rf"(?:(?:\s*[/.-]\s*|\s*,?\s*năm\s+)(?P<y>\d{{4}})(?!\d))?(?P<rec>\s*,?\s*{_HANG}\s+năm(?!\s*\d))?",
    _I,
)
_HALF_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>trong|đến hết)\s+)?(?P<n>0?6|sáu|0?9|chín)\s+tháng\s+"
    rf"(?P<half>đầu|cuối)\s+năm(?:\s+(?P<y>\d{{4}})(?!\d))?",
    _I,
)
_YEAR_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>trong|đến hết)\s+)?năm\s+(?P<y>\d{{4}})(?!\d)", _I
)
# "trước ngày 15 hàng tháng", "trước ngày 20 của tháng cuối quý"
_DAY_OF_PERIOD_RX = re.compile(
    rf"(?<!\w)(?P<lead>{_LEAD})?(?:(?P<kw>(?:xong\s+)?trước|đến hết|đến|trong|vào)\s+)?ngày\s+(?P<d>\d{{1,2}})\s+"
    rf"(?:(?P<monthly>(?:của\s+)?(?:{_HANG}|mỗi)\s+tháng)"
    rf"|(?P<quarterly>(?:của\s+)?tháng\s+cuối\s+(?:(?:của\s+)?(?:{_HANG}|mỗi)\s+)?{_QUY}))(?!\w)",
    _I,
)
_DURATION_RX = re.compile(
    rf"(?<!\w)(?:(?P<kw>(?:(?:chậm nhất|muộn nhất)\s+(?:là\s+)?)?"
    rf"(?:trong\s+(?:thời hạn|vòng|thời gian)|trong|sau|không quá|chậm nhất|muộn nhất))\s+)?"
    rf"(?P<n>\d{{1,3}}|{_NUMWORD})\s+(?P<unit>ngày làm việc|ngày|tuần|tháng)(?!\w)"
    rf"(?P<from>\s*,?\s*(?:được\s+)?(?:kể|tính)\s+từ\s+(?:"
    rf"(?:ngày\s+)?(?P<date>{_DATE})"
    rf"|(?P<doc>(?:ngày\s+)?(?:ký|ban hành)(?:\s+ban hành)?(?:\s+{_DOC_NOUN})?(?:\s+này)?)(?!\w)"
    rf"|(?P<rcv>(?:ngày\s+)?(?:nhận được|nhận)(?:\s+{_DOC_NOUN})?(?:\s+này)?)(?!\w)"
    rf"|(?P<eff>(?:ngày\s+)?(?:{_DOC_NOUN}\s+)?(?:này\s+)?có hiệu lực(?:\s+thi hành)?)(?!\w)"
    rf"|(?P<other>ngày(?:\s+[^\s,.;:()\d]+){{1,3}})))?",
    _I,
)
_NEXT_WORKING_DAY_RX = re.compile(
    r"(?<!\w)(?:trong\s+(?:cùng\s+)?ngày\s*[,;]?\s*)?(?:chậm nhất|muộn nhất)\s+(?:là\s+)?(?:trong\s+)?"
    r"(?:01\s+|một\s+)?ngày làm việc\s+(?:tiếp theo|kế tiếp|sau đó)(?!\w)",
    _I,
)
_SAME_DAY_RX = re.compile(
    r"(?<!\w)(?:ngay\s+)?trong\s+(?:cùng\s+)?ngày(?:\s+làm việc(?!\s+(?:tiếp|kế|sau))|\s+hôm nay)?"
    r"(?=\s*(?:[,.;:!?)\]]|$)|\s+(?:và|hoặc|để|khi|sau khi|kể từ)(?!\w))",
    _I,
)
_RECEIPT_RX = re.compile(
    rf"(?<!\w)ngay\s+(?:sau\s+)?khi\s+(?:nhận được|nhận)(?:\s+{_DOC_NOUN})?(?:\s+này)?(?!\w)",
    _I,
)
# Recurrence: "hàng quý", "định kỳ 6 tháng", "định kỳ quý, 6 tháng và năm", "hằng quý, 6 tháng, năm" ...
_PERIOD = (
    rf"(?:(?:0?6|sáu)\s+tháng|(?:0?9|chín)\s+tháng|tháng(?!\s*\d)"
    rf"|{_QUY}(?!\s*(?:IV|III|II|I|\d)(?!\w))|năm(?!\s*\d))(?!\w)"
)
_PERIOD_SEP = r"(?:\s*,\s*(?:và\s+|hoặc\s+)?|\s+(?:và|hoặc)\s+|\s*/\s*)"
_RECURRENCE_RX = re.compile(
    rf"(?<!\w)(?:định kỳ\s+(?:(?:{_HANG}|mỗi)\s+)?|{_HANG}\s+|mỗi\s+)"
    rf"(?P<list>{_PERIOD}(?:{_PERIOD_SEP}(?:(?:{_HANG}|mỗi)\s+)?{_PERIOD})*)",
    _I,
)
_ONCE_RX = re.compile(
    rf"(?<!\w)(?:định kỳ\s+)?(?:(?P<n>\d{{1,2}}|mười hai|một|ba|sáu)\s+)?(?P<unit>tháng|{_QUY}|năm)\s+(?:một|0?1)\s+lần(?!\w)",
    _I,
)
_EACH_RX = re.compile(rf"(?<!\w)theo\s+từng\s+(?P<unit>tháng|{_QUY})(?!\w)", _I)
# "thường xuyên" only where it is the deadline; never "chi thường xuyên", "kinh phí thường xuyên".
_ONGOING_LABEL_RX = re.compile(
    r"(?<!\w)(?:(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành|triển khai))?\s*:?\s*(?:là\s+)?"
    r"thường xuyên|\(\s*thường xuyên\s*\)|nhiệm vụ thường xuyên)(?!\w)",
    _I,
)
_ONGOING_RX = re.compile(
    r"(?<!\w)(?<!chi )(?<!phí )(?:(?:thực hiện|triển khai)\s+thường xuyên"
    r"|thường xuyên\s+(?:thực hiện|theo dõi|triển khai|cập nhật|kiểm tra|rà soát)"
    r"|thường xuyên(?:\s*,\s*|\s+và\s+)liên tục|liên tục(?:\s*,\s*|\s+và\s+)thường xuyên)(?!\w)",
    _I,
)
_RANGE_START_RX = re.compile(rf"từ\s+(?:ngày\s+)?{_DATE}\s*$", _I)

_FULL_DATE_RX = re.compile(
    rf"(?<![\d/.,])(?P<d>\d{{1,2}}){_SEP_DM}(?P<m>\d{{1,2}}){_SEP_MY}(?P<y>\d{{4}})(?!\d)", _I
)
_YEARLESS_DATE_RX = re.compile(
    r"(?<![\d/.,])(?:(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})|(?P<d2>\d{1,2})\s*tháng\s*(?P<m2>\d{1,2}))"
    r"(?!\s*[/.-]?\s*\d)(?!\s*%)",
    _I,
)

_FREQUENCY = ("monthly", "quarterly", "semiannual", "annual")  # most frequent first
ONGOING_TEXT = "thường xuyên"

# --- Messages shown to the clerk ----------------------------------------------------------------------------------


def _msg_missing_year(year: int) -> str:
    return f"Không ghi năm; đã lấy năm {year} theo ngày văn bản."


def _msg_not_on_calendar(day: int, month: int, year: int | None) -> str:
    return f"Ngày {_dm(day, month, year)} không có trên lịch."


def _msg_month_not_on_calendar(month: int, year: int | None) -> str:
    return f"Tháng {month:02d}{f'/{year:04d}' if year is not None else ''} không có trên lịch."


def _msg_earlier(day: dt.date, doc_date: dt.date) -> str:
    return f"Hạn {format_dmy(day)} sớm hơn ngày văn bản {format_dmy(doc_date)} — kiểm tra lại năm."


def _msg_from_doc_date(doc_date: dt.date) -> str:
    return f"Không rõ ngày nhận văn bản; đã tính theo ngày văn bản {format_dmy(doc_date)}."


_MSG_NO_DOC_DATE = "Không có ngày văn bản; chưa tính được hạn."
_MSG_OUT_OF_RANGE = "Hạn vượt quá phạm vi lịch; kiểm tra lại."


def _dm(day: int, month: int, year: int | None) -> str:
    return f"{day:02d}/{month:02d}" + (f"/{year:04d}" if year is not None else "")


# --- Public functions ---------------------------------------------------------------------------------------------


def clean_markup(text: str) -> str:
    """NFC text on one line, without the OCR/Markdown markup left in converted directives (**, ~~, *)."""
    return clean_line(text.replace("**", "").replace("~~", "").replace("*", ""))


@functools.cache
def load_holidays() -> frozenset[dt.date]:
    """The public holidays and days off in resources/holidays.json (editable data), read once."""
    data = json.loads(resource_path("holidays.json").read_text(encoding="utf-8"))
    days: set[dt.date] = set()
    for year, names in data.items():
        if year.startswith("_"):
            continue
        for name, values in names.items():
            if not name.startswith("_"):
                days.update(dt.date.fromisoformat(value) for value in values)
    return frozenset(days)


def parse_vn_date(text: str, default_year: int | None) -> tuple[dt.date | None, list[str]]:
    """The first date in `text`: "ngày 05 tháng 01 năm 2020", "08/8/2022", "14/01/2021"; a date without a year
    ("15/01", "15 tháng 01") takes `default_year`, with a warning. Returns (None, warnings) for a date that is not
    on the calendar, (None, []) when there is no date."""
    cleaned = clean_markup(text)
    warnings: list[str] = []
    match = _FULL_DATE_RX.search(cleaned)
    if match:
        day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
    else:
        match = _YEARLESS_DATE_RX.search(cleaned)
        if not match:
            return None, []
        day, month = int(match["d1"] or match["d2"]), int(match["m1"] or match["m2"])
        if default_year is None:
            return None, [f"Ngày {_dm(day, month, None)} không ghi năm."]
        year = default_year
        warnings.append(f"Không ghi năm; đã lấy năm {year}.")
    try:
        return dt.date(year, month, day), warnings
    except ValueError:
        return None, [*warnings, _msg_not_on_calendar(day, month, year)]


def find_deadline(
    text: str,
    doc_date: dt.date | None,
    *,
    before_is_inclusive: bool = False,
    holidays: frozenset[dt.date] | None = None,
) -> Deadline:
    """The deadline of one task's text, resolved against the document's date (domain guide §7.2).

    "trước ngày X" is the day before X unless `before_is_inclusive` (a setting: some offices read it as X).
    `holidays` are the days off for "ngày làm việc"; None reads resources/holidays.json when needed.
    """
    cleaned = clean_markup(text)
    if not cleaned:
        return Deadline()
    context = _Context(doc_date, before_is_inclusive, holidays)
    candidates = _without_overlaps([c for finder in _FINDERS for c in finder(cleaned, context)])
    return _choose(candidates, doc_date)


# --- Candidates ---------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    doc_date: dt.date | None
    before_is_inclusive: bool
    _holidays: frozenset[dt.date] | None

    @property
    def holidays(self) -> frozenset[dt.date]:
        return load_holidays() if self._holidays is None else self._holidays


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    kind: str  # "explicit", "recurrence", "ongoing_label", "ongoing", "unresolved"
    # explicit only: 2 tied to chậm nhất/hoàn thành/trước/đến ..., 1 "trong tháng ...", 0 a bare "quý I/2024"
    strength: int = 2
    date: dt.date | None = None
    recurrence: str | None = None
    warnings: list[str] = field(default_factory=list)


def _candidate(
    match: re.Match[str],
    kind: str,
    *,
    strength: int = 2,
    date: dt.date | None = None,
    recurrence: str | None = None,
    warnings: list[str] | None = None,
) -> _Candidate:
    """A candidate whose text is the matched phrase as written, without surrounding spaces and commas."""
    start, end = match.span()
    text = match.string[start:end]
    stripped = text.strip(" ,;:")
    start += len(text) - len(text.lstrip(" ,;:"))
    return _Candidate(
        start, start + len(stripped), stripped, kind, strength, date, recurrence, warnings or []
    )


def _safe(compute: Callable[[], dt.date | None], warnings: list[str]) -> dt.date | None:
    """Date arithmetic near year 1 or 9999 overflows; say so instead of raising."""
    try:
        return compute()
    except (OverflowError, ValueError):
        warnings.append(_MSG_OUT_OF_RANGE)
        return None


def _lead_kw(match: re.Match[str]) -> tuple[str, str]:
    lead = " ".join((match["lead"] or "").lower().split())
    kw = " ".join((match["kw"] or "").lower().split())
    return lead, kw


def _year_or_doc(year: str | None, context: _Context, warnings: list[str]) -> int | None:
    if year is not None:
        return int(year)
    if context.doc_date is None:
        warnings.append(_MSG_NO_DOC_DATE)
        return None
    warnings.append(_msg_missing_year(context.doc_date.year))
    return context.doc_date.year


def _first_on_or_after(
    make: Callable[[int], dt.date | None], doc_date: dt.date, *, periods: int, step: Callable[[int], int]
) -> dt.date | None:
    """The first of make(0), make(1) ... that is a real date on or after doc_date."""
    for index in range(periods):
        try:
            day = make(step(index))
        except (ValueError, OverflowError):
            continue
        if day is not None and day >= doc_date:
            return day
    return None


def _date_parts(token: str) -> tuple[int, int, int | None]:
    numbers = [int(n) for n in re.findall(r"\d+", token)]
    return numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else None


def _find_days(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _DAY_RX.finditer(text):
        lead, kw = _lead_kw(match)
        recurring = match["rec"] is not None
        if not (lead or kw or (match["ngay"] and recurring)):
            continue  # "Quyết định số 20/2013/QĐ-UBND ngày 07/5/2013": a reference, not a deadline
        if kw.endswith("trong") and not match["ngay"]:
            continue
        strength = 2 if (lead or kw) else 1
        if kw == "đến" and _RANGE_START_RX.search(text[max(0, match.start() - 40) : match.start()]):
            strength = 1  # the end of "từ ngày ... đến ngày ...": a period, perhaps not the deadline
        before = "trước" in kw and not context.before_is_inclusive
        day, month, year = _date_parts(match["date"])
        warnings: list[str] = []
        if recurring and year is None:
            date = _next_yearly(day, month, before, context, warnings)
            yield _candidate(
                match, "explicit", strength=strength, date=date, recurrence="annual", warnings=warnings
            )
            continue
        resolved_year = _year_or_doc(str(year) if year is not None else None, context, warnings)
        date = None
        if resolved_year is not None:
            try:
                date = dt.date(resolved_year, month, day)
            except ValueError:
                warnings.append(_msg_not_on_calendar(day, month, resolved_year))
            if date is not None and before:
                date = _safe(lambda d=date: d - dt.timedelta(days=1), warnings)
        yield _candidate(
            match,
            "explicit",
            strength=strength,
            date=date,
            recurrence="annual" if recurring else None,
            warnings=warnings,
        )


def _next_yearly(
    day: int, month: int, before: bool, context: _Context, warnings: list[str]
) -> dt.date | None:
    try:
        dt.date(2000, month, day)  # a leap year: is this day/month ever on the calendar?
    except ValueError:
        warnings.append(_msg_not_on_calendar(day, month, None))
        return None
    if context.doc_date is None:
        warnings.append(_MSG_NO_DOC_DATE)
        return None
    shift = dt.timedelta(days=1 if before else 0)
    doc_date = context.doc_date
    found = _first_on_or_after(
        lambda year: dt.date(year, month, day) - shift, doc_date, periods=9, step=lambda i: doc_date.year + i
    )
    if found is None:
        warnings.append(_MSG_OUT_OF_RANGE)
    return found


def _period_end(
    match: re.Match[str], last_month: int, year: str | None, recurring: bool, context: _Context, strength: int
) -> _Candidate:
    """The last day of a month or quarter (`last_month` is its last month), once or every year."""
    warnings: list[str] = []
    if recurring and year is None:
        if context.doc_date is None:
            warnings.append(_MSG_NO_DOC_DATE)
            date = None
        else:
            doc_date = context.doc_date
            date = _first_on_or_after(
                lambda y: month_end(y, last_month), doc_date, periods=2, step=lambda i: doc_date.year + i
            )
            if date is None:
                warnings.append(_MSG_OUT_OF_RANGE)
        return _candidate(
            match, "explicit", strength=strength, date=date, recurrence="annual", warnings=warnings
        )
    resolved = _year_or_doc(year, context, warnings)
    date = None if resolved is None else _safe(lambda: month_end(resolved, last_month), warnings)
    return _candidate(
        match,
        "explicit",
        strength=strength,
        date=date,
        recurrence="annual" if recurring else None,
        warnings=warnings,
    )


def _find_months(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _MONTH_RX.finditer(text):
        lead, kw = _lead_kw(match)
        if not (lead or kw):
            continue  # "báo cáo tháng 3/2021": a period named, no deadline
        strength = 1 if (kw == "trong" and not lead) else 2
        month = int(match["m"])
        if not 1 <= month <= 12:
            year = int(match["y"]) if match["y"] else None
            yield _candidate(
                match, "explicit", strength=strength, warnings=[_msg_month_not_on_calendar(month, year)]
            )
            continue
        yield _period_end(match, month, match["y"], match["rec"] is not None, context, strength)


def _find_quarters(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _QUARTER_RX.finditer(text):
        lead, kw = _lead_kw(match)
        if lead or kw.startswith("đến"):
            strength = 2
        elif kw:
            strength = 1
        elif match["y"]:
            strength = (
                0  # "quý III năm 2022" on its own: perhaps the deadline, perhaps only the period reported
            )
        else:
            continue
        quarter = _quarter_number(match["q"])
        yield _period_end(match, quarter * 3, match["y"], match["rec"] is not None, context, strength)


def _quarter_number(token: str) -> int:
    token = token.upper()
    return {"I": 1, "II": 2, "III": 3, "IV": 4}.get(token) or int(token)


def _find_halves(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _HALF_RX.finditer(text):
        lead, kw = _lead_kw(match)
        if not (lead or kw):
            continue
        months = 6 if match["n"].lower() in ("6", "06", "sáu") else 9
        last_month = months if match["half"].lower() == "đầu" else 12
        yield _period_end(match, last_month, match["y"], False, context, 2 if lead else 1)


def _find_years(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _YEAR_RX.finditer(text):
        lead, kw = _lead_kw(match)
        if not (kw == "đến hết" or (kw == "trong" and lead) or lead.startswith(_LABEL_LEADS)):
            continue  # "Trong năm 2021, ...", "định hướng đến năm 2030": no deadline
        yield _period_end(match, 12, match["y"], False, context, 2)


def _find_days_of_period(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _DAY_OF_PERIOD_RX.finditer(text):
        lead, kw = _lead_kw(match)
        day = int(match["d"])
        recurrence = "monthly" if match["monthly"] else "quarterly"
        warnings: list[str] = []
        date = None
        if not 1 <= day <= 31:
            warnings.append(f"Ngày {day:02d} không có trên lịch.")
        elif context.doc_date is None:
            warnings.append(_MSG_NO_DOC_DATE)
        else:
            before = "trước" in kw and not context.before_is_inclusive
            date = _next_day_of_month(day, recurrence, before, context.doc_date)
            if date is None:
                warnings.append(_MSG_OUT_OF_RANGE)
        strength = 2 if (lead or kw) else 1
        yield _candidate(
            match, "explicit", strength=strength, date=date, recurrence=recurrence, warnings=warnings
        )


def _next_day_of_month(day: int, recurrence: str, before: bool, doc_date: dt.date) -> dt.date | None:
    """The first "ngày 15 hàng tháng" (or of the last month of a quarter) on or after doc_date; a day past the
    month's end (31 in April) is the month's last day."""
    index = doc_date.year * 12 + doc_date.month - 1
    for offset in range(15):
        year, month0 = divmod(index + offset, 12)
        if recurrence == "quarterly" and month0 % 3 != 2:
            continue
        try:
            due = clamp_day(year, month0 + 1, day)
            due -= dt.timedelta(days=1 if before else 0)
        except (ValueError, OverflowError):
            return None
        if due >= doc_date:
            return due
    return None


def _find_durations(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _DURATION_RX.finditer(text):
        kw = " ".join((match["kw"] or "").lower().split())
        bounded = kw.endswith(("thời hạn", "vòng", "thời gian"))
        if not (match["from"] or bounded):
            continue  # "trong 6 tháng", "6 tháng một lần": not a period counted from a day
        number = match["n"].lower()
        n = _NUMWORDS.get(number) or int(number)
        unit = " ".join(match["unit"].lower().split())
        warnings: list[str] = []
        doc_date = context.doc_date
        anchor: dt.date | None = None
        if match["date"]:
            day, month, year = _date_parts(match["date"])
            resolved = _year_or_doc(str(year) if year is not None else None, context, warnings)
            if resolved is not None:
                try:
                    anchor = dt.date(resolved, month, day)
                except ValueError:
                    warnings.append(_msg_not_on_calendar(day, month, resolved))
        elif match["other"]:
            candidate = _candidate(match, "unresolved")
            candidate.warnings.append(
                f"Chưa tính được hạn “{candidate.text}”: mốc “{match['other']}” không có ngày cụ thể."
            )
            yield candidate
            continue
        elif doc_date is None:
            warnings.append(_MSG_NO_DOC_DATE)
        else:
            anchor = doc_date
            if match["rcv"]:
                warnings.append(_msg_from_doc_date(doc_date))
            elif match["eff"]:
                warnings.append(
                    f"Không rõ ngày có hiệu lực; đã tính theo ngày văn bản {format_dmy(doc_date)}."
                )
            elif not match["doc"]:
                warnings.append(
                    f"Không ghi mốc tính thời hạn; đã tính từ ngày văn bản {format_dmy(doc_date)}."
                )
        date = None
        if anchor is not None:
            date = _safe(functools.partial(_add_period, anchor, n, unit, context), warnings)
        yield _candidate(match, "explicit", date=date, warnings=warnings)


def _add_period(anchor: dt.date, n: int, unit: str, context: _Context) -> dt.date:
    """anchor + n days, weeks, calendar months (clamped to the month's end) or working days."""
    if unit == "ngày làm việc":
        return add_working_days(anchor, n, context.holidays)
    if unit == "tháng":
        return add_months(anchor, n)
    return anchor + dt.timedelta(days=n * 7 if unit == "tuần" else n)


def _from_doc_date(match: re.Match[str], context: _Context, working_days: int = 0) -> _Candidate:
    warnings: list[str] = []
    doc_date = context.doc_date
    if doc_date is None:
        warnings.append(_MSG_NO_DOC_DATE)
        return _candidate(match, "explicit", warnings=warnings)
    warnings.append(_msg_from_doc_date(doc_date))
    if not working_days:
        return _candidate(match, "explicit", date=doc_date, warnings=warnings)
    date = _safe(lambda: add_working_days(doc_date, working_days, context.holidays), warnings)
    return _candidate(match, "explicit", date=date, warnings=warnings)


def _find_same_day(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _NEXT_WORKING_DAY_RX.finditer(text):
        yield _from_doc_date(match, context, working_days=1)
    for rx in (_SAME_DAY_RX, _RECEIPT_RX):
        for match in rx.finditer(text):
            yield _from_doc_date(match, context)


def _find_recurrences(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _RECURRENCE_RX.finditer(text):
        periods = re.findall(_PERIOD, match["list"], _I)
        kinds = {_period_kind(period) for period in periods}
        yield _candidate(match, "recurrence", recurrence=min(kinds, key=_FREQUENCY.index))
    for match in _ONCE_RX.finditer(text):
        unit = match["unit"].lower()
        count = (match["n"] or "1").lower()
        months = _NUMWORDS.get(count) or (12 if count == "mười hai" else int(count))
        if unit.startswith("qu"):
            months *= 3
        elif unit == "năm":
            months *= 12
        recurrence = {1: "monthly", 3: "quarterly", 6: "semiannual", 12: "annual"}.get(months)
        if recurrence:
            yield _candidate(match, "recurrence", recurrence=recurrence)
    for match in _EACH_RX.finditer(text):
        unit = match["unit"].lower()
        yield _candidate(match, "recurrence", recurrence="monthly" if unit == "tháng" else "quarterly")


def _period_kind(period: str) -> str:
    period = " ".join(period.lower().split())
    if re.match(r"(?:0?6|sáu)\s", period):  # "6 tháng", "06 tháng", "sáu tháng"
        return "semiannual"
    if re.match(r"(?:0?9|chín)\s", period):  # "9 tháng": the yearly nine-month report
        return "annual"
    if period.startswith("tháng"):
        return "monthly"
    if period.startswith("qu"):
        return "quarterly"
    return "annual"


def _find_ongoing(text: str, context: _Context) -> Iterator[_Candidate]:
    for match in _ONGOING_LABEL_RX.finditer(text):
        yield _candidate(match, "ongoing_label")
    for match in _ONGOING_RX.finditer(text):
        yield _candidate(match, "ongoing")


_FINDERS: tuple[Callable[[str, _Context], Iterator[_Candidate]], ...] = (
    _find_days,
    _find_months,
    _find_quarters,
    _find_halves,
    _find_years,
    _find_days_of_period,
    _find_durations,
    _find_same_day,
    _find_recurrences,
    _find_ongoing,
)


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Where phrases overlap the longest wins ("trước ngày 15/01 hằng năm" over "hằng năm"); in text order.

    The kept phrases never overlap, so in order of (start, end) their ends rise too: a candidate overlaps one of
    them exactly when it overlaps the last that starts before it ends. (Comparing with every kept phrase was
    quadratic: 8,000 dates in one task took 5 s.)"""
    kept: list[_Candidate] = []
    spans: list[tuple[int, int]] = []  # (start, end) of the kept phrases, sorted
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        before = bisect.bisect_left(spans, (candidate.end,))  # the kept phrases that start before it ends
        if before and spans[before - 1][1] > candidate.start:
            continue
        bisect.insort(spans, (candidate.start, candidate.end))
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)


def _choose(candidates: list[_Candidate], doc_date: dt.date | None) -> Deadline:
    by_kind: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_kind.setdefault(candidate.kind, []).append(candidate)
    explicit = by_kind.get("explicit", [])
    recurring = by_kind.get("recurrence", [])
    notes = [w for c in by_kind.get("unresolved", []) for w in c.warnings]
    if explicit:
        strongest = max(c.strength for c in explicit)
        chosen = [c for c in explicit if c.strength == strongest][-1]  # the one nearest the end
        warnings = list(chosen.warnings)
        if chosen.date is not None and doc_date is not None and chosen.date < doc_date:
            warnings.append(_msg_earlier(chosen.date, doc_date))
        others = [c for c in explicit if c is not chosen and c.strength >= 1 and _key(c) != _key(chosen)]
        if others:
            skipped = ", ".join(f"“{c.text}”" for c in others)
            warnings.append(f"Có nhiều thời hạn trong nhiệm vụ; đã lấy “{chosen.text}”, bỏ qua {skipped}.")
        if chosen.recurrence is None and recurring:
            warnings.append(f"Nhiệm vụ còn ghi “{recurring[0].text}”; hạn lấy theo “{chosen.text}”.")
        return Deadline(chosen.date, chosen.text, chosen.recurrence, tuple(warnings + notes))
    if "ongoing_label" in by_kind:
        return Deadline(None, ONGOING_TEXT, None, tuple(notes))
    if recurring:
        chosen = min(recurring, key=lambda c: _FREQUENCY.index(c.recurrence or "annual"))
        return Deadline(None, chosen.text, chosen.recurrence, tuple(notes))
    if "ongoing" in by_kind:
        return Deadline(None, ONGOING_TEXT, None, tuple(notes))
    if "unresolved" in by_kind:
        return Deadline(None, by_kind["unresolved"][-1].text, None, tuple(notes))
    return Deadline()


def _key(candidate: _Candidate) -> tuple[object, ...]:
    """Two phrases that resolve to the same day are one deadline; unresolved ones differ by their text."""
    return (candidate.date, candidate.recurrence, "" if candidate.date else candidate.text.lower())
