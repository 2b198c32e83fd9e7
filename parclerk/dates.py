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
