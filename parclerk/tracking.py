"""Task tracking rules, no I/O: reporting periods and due dates of recurring duties, the four official
status buckets, overdue age bands, and the lateness rate behind the 30% rule.

A recurring duty's due dates come from the calendar, never from when the last one was done: each
period (month, quarter, half-year, year) gets its own work item. The data cut-off day and how many
working days after it the report is due are settings (domain guide §6: the 15th of the month before
to the 14th of the period's last month, the report due a few days later).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from parclerk import dates, glossary
from parclerk.dates import add_working_days, clamp_day, month_end
from parclerk.queries import TaskQuery

BUCKETS = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "open_in_time": "Đang thực hiện trong hạn",
    "open_overdue": "Quá hạn chưa hoàn thành",
    "no_deadline": "Không có thời hạn",
}
AGE_BANDS = {"due_soon": "Sắp đến hạn (≤ 3 ngày)", "overdue": "Quá hạn", "overdue_30": "Quá hạn trên 30 ngày"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class TrackingSettings:
    cutoff_day: int = 14  # data to the 14th of the period's last month
    report_due_working_days: int = 2  # the report is due this many working days after the cut-off
    remind_within_days: int = 3
    warn_rate: float = 0.20  # a unit nearing the 30% line
    fail_rate: float = 0.30  # Thông báo 89/TB-UBND: 30% of tasks undone or late in a year


@dataclass(frozen=True)
class Period:
    key: str  # "2024-03", "2024-Q1", "2024-H1", "2024"
    label: str  # "Tháng 3/2024", "Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"
    last_day: dt.date  # the period's last calendar day
    due: dt.date


def _report_due(year: int, month: int, settings: TrackingSettings, holidays: frozenset[dt.date]) -> dt.date:
    cutoff = clamp_day(year, month, settings.cutoff_day)
    return add_working_days(cutoff, settings.report_due_working_days, holidays)


def period_of(
    recurrence: str,
    year: int,
    index: int,
    settings: TrackingSettings,
    *,
    anchor: dt.date | None = None,
    holidays: frozenset[dt.date] = frozenset(),
) -> Period:
    """The index-th period of a year (month 1-12, quarter 1-4, half 1-2, year 1) and its due date.

    With an anchor (the date the directive wrote, e.g. "trong tháng 11 hàng năm" -> 30/11), the due date
    keeps the anchor's day (and month, for a yearly duty); without one it is the reporting calendar's.
    """
    if recurrence == "monthly":
        month = index
        due = clamp_day(year, month, anchor.day) if anchor else _report_due(year, month, settings, holidays)
        return Period(f"{year}-{month:02d}", f"Tháng {month}/{year}", month_end(year, month), due)
    if recurrence == "quarterly":
        month = index * 3
        due = clamp_day(year, month, anchor.day) if anchor else _report_due(year, month, settings, holidays)
        return Period(f"{year}-Q{index}", f"Quý {_ROMAN[index]}/{year}", month_end(year, month), due)
    if recurrence == "semiannual":
        month = index * 6
        due = clamp_day(year, month, anchor.day) if anchor else _report_due(year, month, settings, holidays)
        label = f"6 tháng đầu năm {year}" if index == 1 else f"6 tháng cuối năm {year}"
        return Period(f"{year}-H{index}", label, month_end(year, month), due)
    if recurrence == "annual":
        due = (
            clamp_day(year, anchor.month, anchor.day) if anchor else _report_due(year, 12, settings, holidays)
        )
        return Period(str(year), f"Năm {year}", dt.date(year, 12, 31), due)
    raise ValueError(f"unknown recurrence {recurrence!r}")


_PER_YEAR = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}


def periods_between(
    recurrence: str,
    start: dt.date,
    today: dt.date,
    settings: TrackingSettings,
    *,
    anchor: dt.date | None = None,
    holidays: frozenset[dt.date] = frozenset(),
) -> list[Period]:
    """Every period whose due date falls on or after `start`, up to the one `today` is in: missed ones stay,
    and nothing is made beyond the current period."""
    found: list[Period] = []
    for year in range(start.year, today.year + 1):
        for index in range(1, _PER_YEAR[recurrence] + 1):
            period = period_of(recurrence, year, index, settings, anchor=anchor, holidays=holidays)
            first_day = _first_day(recurrence, year, index)
            if period.due >= start and first_day <= today:
                found.append(period)
    return found


def _first_day(recurrence: str, year: int, index: int) -> dt.date:
    months = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[recurrence]
    return dt.date(year, (index - 1) * months + 1, 1)


def bucket(status: str, due: dt.date | None, completed: dt.date | None, today: dt.date) -> str:
    """One of BUCKETS. Due on the day counts as on time; done with no deadline is done on time."""
    if status == "done":
        if due is None or completed is None or completed <= due:
            return "done_on_time"
        return "done_late"
    if due is None:
        return "no_deadline"
    return "open_in_time" if due >= today else "open_overdue"


def age_band(status: str, due: dt.date | None, today: dt.date, soon_days: int = 3) -> str:
    """'' (nothing to flag), 'due_soon', 'overdue' or 'overdue_30' for an open item."""
    if status == "done" or due is None:
        return ""
    days = (due - today).days
    if days < -30:
        return "overdue_30"
    if days < 0:
        return "overdue"
    if days <= soon_days:
        return "due_soon"
    return ""


@dataclass(frozen=True)
class UnitRate:
    unit: str
    assigned: int  # items with a deadline in the period that are due by now or already done
    done_on_time: int
    done_late: int
    open_overdue: int
    open_in_time: int

    @property
    def late(self) -> int:
        return self.done_late + self.open_overdue

    @property
    def rate(self) -> float:
        """The share of assigned items not done or done late (0 with nothing assigned yet)."""
        return self.late / self.assigned if self.assigned else 0.0

    def level(self, settings: TrackingSettings) -> str:
        """'fail' at or past the 30% line, 'warn' when nearing it, else 'ok'."""
        if self.assigned and self.rate >= settings.fail_rate:
            return "fail"
        if self.assigned and self.rate >= settings.warn_rate:
            return "warn"
        return "ok"


def counts_toward_rate(
    due: dt.date | None, status: str, first: dt.date, last: dt.date, today: dt.date
) -> bool:
    """An item counts for its unit's rate in [first, last] when it has a deadline in the period and that
    deadline has passed or the item is done (an item not yet due cannot be late yet)."""
    if due is None or not first <= due <= last:
        return False
    return status == "done" or due < today


def document_head(number: str, issued: dt.date | str | None, doc_type: str = "") -> str:
    """'Kế hoạch 05/KH-UBND ngày 20/01/2025' (without a type: '107/UBND-NC ngày 09/01/2021')."""
    parts = [doc_type, number or "(không số)"]
    if issued:
        parts.append(f"ngày {dates.format_dmy(issued)}")
    return " ".join(part for part in parts if part)


def directive_label(row: dict[str, Any]) -> str:
    """'107/UBND-NC ngày 09/01/2021', or 'Nhiệm vụ của đơn vị' for the office's own."""
    if row.get("directive_id") is None:
        return "Nhiệm vụ của đơn vị"
    return document_head(row.get("directive_number") or "", row.get("directive_date"))


# The task list's status and period filters (keys are what the view stores).
STATUS_CHOICES: dict[str, str] = {
    **BUCKETS,
    "due_week": "Đến hạn trong 7 ngày tới",
    "overdue_30": "Quá hạn trên 30 ngày",
}
PERIOD_CHOICES: dict[str, str] = {
    "": "Mọi thời hạn",
    "month": "Tháng này",
    "quarter": "Quý này",
    "year": "Năm nay",
}


def list_query(base: TaskQuery, *, status: str = "", period: str = "", today: dt.date) -> TaskQuery:
    """The task list's filter: `status` a key of STATUS_CHOICES (or ''), `period` a key of PERIOD_CHOICES or a
    year ("2025"), both on the due date; where both limit it, the ranges intersect."""
    bucket, first, last = status, None, None
    if status == "due_week":
        bucket, first, last = "open_in_time", today, today + dt.timedelta(days=7)
    elif status == "overdue_30":
        bucket, last = "open_overdue", today - dt.timedelta(days=31)
    if period:
        if period == "month":
            start, end = dt.date(today.year, today.month, 1), dates.month_end(today.year, today.month)
        elif period == "quarter":
            month = (today.month - 1) // 3 * 3 + 1
            start, end = dt.date(today.year, month, 1), dates.month_end(today.year, month + 2)
        else:
            year = today.year if period == "year" else int(period)
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        first = max(first, start) if first else start
        last = min(last, end) if last else end
    return dataclasses.replace(base, bucket=bucket, due_from=first, due_to=last, today=today)


def directive_status(*, cancelled: bool, handled: bool, deadline: str | None, today: dt.date) -> str:
    """Cancelled, handled, overdue, open, or nothing to follow (no deadline)."""
    if cancelled:
        return glossary.STATUS_CANCELLED
    if handled:
        return glossary.STATUS_DONE
    if deadline:
        return glossary.STATUS_OVERDUE if deadline < today.isoformat() else glossary.STATUS_OPEN
    return glossary.STATUS_NONE
