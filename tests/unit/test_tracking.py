"""Task tracking rules: buckets at their boundaries, recurring periods over year ends and leap years,
no copies beyond the current period, the 30% rule, and the services that store and count them."""

from __future__ import annotations

import datetime as dt

import pytest

from parclerk import tracking
from parclerk.data import tables
from parclerk.errors import ValidationError
from parclerk.models import DirectiveInput, TaskInput
from parclerk.queries import TaskQuery
from parclerk.services import intake, tasks

D = dt.date
S = tracking.TrackingSettings()
NO_HOLIDAYS: frozenset[dt.date] = frozenset()


@pytest.mark.parametrize(
    ("status", "due", "completed", "today", "expected"),
    [
        ("done", D(2024, 3, 31), D(2024, 3, 31), D(2024, 4, 5), "done_on_time"),  # on the day is on time
        ("done", D(2024, 3, 31), D(2024, 4, 1), D(2024, 4, 5), "done_late"),
        ("done", None, D(2024, 4, 1), D(2024, 4, 5), "done_on_time"),
        ("open", D(2024, 3, 31), None, D(2024, 3, 31), "open_in_time"),  # due today: not late yet
        ("open", D(2024, 3, 31), None, D(2024, 4, 1), "open_overdue"),
        ("open", None, None, D(2024, 4, 1), "no_deadline"),
    ],
)
def test_buckets_at_their_boundaries(status, due, completed, today, expected):
    assert tracking.bucket(status, due, completed, today) == expected


@pytest.mark.parametrize(
    ("due", "today", "band"),
    [
        (D(2024, 4, 4), D(2024, 4, 1), "due_soon"),  # 3 days ahead
        (D(2024, 4, 5), D(2024, 4, 1), ""),
        (D(2024, 3, 31), D(2024, 4, 1), "overdue"),
        (D(2024, 3, 2), D(2024, 4, 1), "overdue"),  # 30 days late
        (D(2024, 3, 1), D(2024, 4, 1), "overdue_30"),  # 31 days late
    ],
)
def test_age_bands(due, today, band):
    assert tracking.age_band("open", due, today) == band
    assert tracking.age_band("done", due, today) == ""


def test_quarterly_periods_follow_the_reporting_calendar_over_a_year_end():
    periods = tracking.periods_between("quarterly", D(2023, 10, 2), D(2024, 2, 10), S, holidays=NO_HOLIDAYS)
    assert [p.key for p in periods] == ["2023-Q4", "2024-Q1"]
    # Data to the 14th of the quarter's last month, the report 2 working days later.
    assert periods[0].due == D(2023, 12, 18)  # 14/12/2023 is a Thursday: Fri 15, Mon 18
    assert periods[1].label == "Quý I/2024" and periods[1].due == D(2024, 3, 18)


def test_nothing_beyond_the_current_period_and_missed_ones_stay():
    periods = tracking.periods_between("monthly", D(2024, 1, 5), D(2024, 4, 20), S, holidays=NO_HOLIDAYS)
    assert [p.key for p in periods] == ["2024-01", "2024-02", "2024-03", "2024-04"]


def test_an_anchored_yearly_duty_keeps_its_day_and_leap_years():
    anchor = D(2021, 11, 30)  # "trong tháng 11 hàng năm"
    periods = tracking.periods_between("annual", D(2021, 3, 16), D(2024, 12, 1), S, anchor=anchor)
    assert [p.due for p in periods] == [D(2021, 11, 30), D(2022, 11, 30), D(2023, 11, 30), D(2024, 11, 30)]
    leap = tracking.periods_between("monthly", D(2024, 1, 1), D(2024, 3, 1), S, anchor=D(2024, 1, 31))
    assert [p.due for p in leap] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]
    plain = tracking.periods_between("monthly", D(2023, 2, 1), D(2023, 2, 1), S, anchor=D(2023, 1, 31))
    assert [p.due for p in plain] == [D(2023, 2, 28)]


def test_semiannual_labels():
    periods = tracking.periods_between("semiannual", D(2024, 1, 1), D(2024, 12, 1), S, holidays=NO_HOLIDAYS)
    assert [p.label for p in periods] == ["6 tháng đầu năm 2024", "6 tháng cuối năm 2024"]


def test_the_thirty_percent_line():
    rate = tracking.UnitRate(
        "Văn phòng", assigned=10, done_on_time=7, done_late=2, open_overdue=1, open_in_time=0
    )
    assert rate.rate == pytest.approx(0.3) and rate.level(S) == "fail"
    assert tracking.UnitRate("A", 10, 8, 1, 1, 0).level(S) == "warn"  # 20%: nearing the line
    assert tracking.UnitRate("A", 10, 9, 1, 0, 0).level(S) == "ok"
    assert tracking.UnitRate("A", 0, 0, 0, 0, 0).level(S) == "ok"


# --- services -------------------------------------------------------------------------------------


def _directive(db, received: dt.date, number: str, tasks_: list[TaskInput]):
    values = DirectiveInput(
        ngay_den=received, issuer="UBND huyện Ba Tơ", subject="V/v thử nghiệm", number=number
    )
    return intake.register_with_tasks(db, values, tasks_, today=received).directive


def test_recurring_items_are_made_once_per_period(db):
    directive = _directive(
        db,
        D(2024, 1, 10),
        "1/UBND",
        [TaskInput(content="Báo cáo hàng quý", lead_unit="Văn phòng", recurrence="quarterly")],
    )
    # Registered on 10/01/2024: Q1, the period then current, exists already.
    assert db.execute("SELECT count(*) FROM task_items").fetchone()[0] == 1
    assert tasks.ensure_items(db, today=D(2024, 8, 1)) == 2  # Q2 and Q3, the current period; no Q4 yet
    assert tasks.ensure_items(db, today=D(2024, 8, 1)) == 0  # idempotent
    assert tasks.ensure_items(db, today=D(2025, 1, 2)) == 2  # Q4/2024 and Q1/2025
    labels = [r[0] for r in db.execute("SELECT period_label FROM task_items ORDER BY due_date")]
    assert labels == ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024", "Quý I/2025"]
    assert directive.so_den == 1


def test_units_with_aliases_are_one_unit(db):
    tasks.save_unit(db, "Sở Nội vụ", aliases=["SNV"])
    _directive(
        db, D(2024, 5, 2), "2/UBND", [TaskInput(content="Việc một", lead_unit="SNV", deadline=D(2024, 5, 10))]
    )
    _directive(
        db,
        D(2024, 5, 3),
        "3/UBND",
        [TaskInput(content="Việc hai", lead_unit="Sở Nội vụ", deadline=D(2024, 5, 10))],
    )
    query = TaskQuery(unit="so noi vu", today=D(2024, 5, 4))
    assert tables.task_item_count(db.conn, query) == 2
    with pytest.raises(ValidationError, match="đơn vị khác"):
        tasks.save_unit(db, "Phòng Nội vụ", aliases=["SNV"])


def test_completing_asks_before_overwriting_and_keeps_a_history(db):
    _directive(
        db, D(2024, 5, 2), "4/UBND", [TaskInput(content="Việc", lead_unit="A", deadline=D(2024, 5, 10))]
    )
    (item_id,) = [r[0] for r in db.execute("SELECT id FROM task_items")]
    result = tasks.complete_items(
        db, [item_id], D(2024, 5, 9), reply_number="12/BC-UBND", today=D(2024, 5, 12)
    )
    assert (result.changed, result.skipped) == (1, 0)
    assert tasks.items_already_done(db, [item_id]) == 1
    again = tasks.complete_items(db, [item_id], D(2024, 5, 11), today=D(2024, 5, 12))
    assert (again.changed, again.skipped) == (0, 1)  # kept its first date
    tasks.add_note(db, item_id, "Đã gửi bản giấy", note_date=D(2024, 5, 12))
    detail = tasks.get_item(db, item_id)
    assert detail.completed_date == D(2024, 5, 9) and detail.reply_number == "12/BC-UBND"
    assert [n for _, n in detail.notes] == [
        "Hoàn thành ngày 09/05/2024, văn bản trả lời 12/BC-UBND.",
        "Đã gửi bản giấy",
    ]
    with pytest.raises(ValidationError, match="sau hôm nay"):
        tasks.complete_items(db, [item_id], D(2024, 6, 1), overwrite=True, today=D(2024, 5, 12))


def test_unit_rates_and_the_buckets_through_sql(db):
    today = D(2024, 6, 1)
    specs = [  # (deadline, completed or None)
        (D(2024, 3, 1), D(2024, 2, 28)),  # on time
        (D(2024, 3, 1), D(2024, 3, 5)),  # late
        (D(2024, 4, 1), None),  # overdue
        (D(2024, 5, 1), D(2024, 5, 1)),  # on time
        (D(2024, 7, 1), None),  # not due yet: does not count
    ]
    _directive(db, D(2024, 1, 15), "5/UBND", [
        TaskInput(content=f"Việc {n}", lead_unit="Tư pháp - Hộ tịch", deadline=deadline) for n, (deadline, _) in enumerate(specs)
    ])  # fmt: skip
    items = [r[0] for r in db.execute("SELECT id FROM task_items ORDER BY id")]
    for item_id, (_, completed) in zip(items, specs, strict=True):
        if completed:
            tasks.complete_items(db, [item_id], completed, today=today)
    (rate,) = tasks.unit_rates(db, 2024, today=today)
    assert (rate.assigned, rate.done_on_time, rate.done_late, rate.open_overdue) == (4, 2, 1, 1)
    assert rate.rate == 0.5 and rate.level(tracking.TrackingSettings()) == "fail"
    summary = tasks.summary(db, today=today)
    assert summary.buckets == {
        "done_on_time": 2,
        "done_late": 1,
        "open_in_time": 1,
        "open_overdue": 1,
        "no_deadline": 0,
    }
