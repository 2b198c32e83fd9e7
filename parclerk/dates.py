"""Dates the Vietnamese way: dd/mm/yyyy in the UI, the Decree 30 date line in documents.

The store keeps ISO dates (YYYY-MM-DD) as text; every conversion to and from what a person reads
goes through here, never through a locale-dependent strftime.
"""

from __future__ import annotations

import datetime as dt
import re

from parclerk.errors import ValidationError

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def today() -> dt.date:
    return dt.date.today()


def to_iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def from_iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def format_dmy(day: dt.date | str | None) -> str:
    """09/01/2021; '' for no date."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_dmy(text: str | None, label: str = "Ngày") -> dt.date | None:
    """'9/1/2021', '09/01/2021', '09-01-2021' -> date; '' -> None; anything else a Vietnamese error."""
    if text is None or not text.strip():
        return None
    match = _DMY.match(text)
    if not match:
        raise ValidationError(
            {label: f"{label} “{text.strip()}” không đúng dạng ngày/tháng/năm (dd/mm/yyyy)."}
        )
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError({label: f"{label} “{text.strip()}” không có trên lịch."}) from None


def decree30_date_line(place: str, day: dt.date) -> str:
    """'Quảng Ngãi, ngày 09 tháng 01 năm 2021': days below 10 and months 1-2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: month_end(2024, 2) -> 29/02/2024."""
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def clamp_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or its last day when the month is shorter: clamp_day(2024, 2, 31) -> 29/02/2024."""
    return dt.date(year, month, min(day, month_end(year, month).day))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's last day: 30/11/2023 + 3 -> 29/02/2024."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return clamp_day(year, month + 1, day.day)


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset()) -> bool:
    """Monday to Friday, and not a public holiday or compensatory day off (domain guide §7.2)."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(day: dt.date, n: int, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """The n-th working day after `day`, not counting `day` itself ("02 ngày làm việc kể từ ngày ..."); a negative
    n counts back, 0 returns `day`. Saturdays worked in exchange for a bridge day are not known here."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day, holidays):
            remaining -= 1
    return day
