"""Tracking the tasks directives assign: work items per period, completion, progress notes, units,
the dashboard figures and the 30% rule. Each write is one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parclerk import dates, tracking, vntext
from parclerk.data import repo_tasks
from parclerk.data.repo_directives import now_text
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import TaskInput
from parclerk.queries import Changes, TaskQuery
from parclerk.services.settings import get_setting, put_setting
from parclerk.tracking import directive_label

if TYPE_CHECKING:
    from sqlite_utils import Database

TRACKING_KEY = "tracking"
NO_DUE = "9999-12-31"  # task_items.due_sort of an item with no deadline: sorts last


# --- settings -------------------------------------------------------------------------------------


def get_tracking_settings(db: Database) -> tracking.TrackingSettings:
    stored = get_setting(db, TRACKING_KEY, {})
    assert isinstance(stored, dict)
    known = {f.name for f in dataclasses.fields(tracking.TrackingSettings)}
    return tracking.TrackingSettings(**{k: v for k, v in stored.items() if k in known})


def save_tracking_settings(db: Database, values: tracking.TrackingSettings) -> Changes:
    errors = {}
    if not 1 <= values.cutoff_day <= 28:
        errors["Ngày chốt số liệu"] = "Ngày chốt số liệu phải từ 1 đến 28."
    if not 0 <= values.report_due_working_days <= 30:
        errors["Hạn gửi báo cáo"] = "Số ngày làm việc sau ngày chốt phải từ 0 đến 30."
    if not 0 <= values.remind_within_days <= 60:
        errors["Nhắc trước"] = "Số ngày nhắc trước phải từ 0 đến 60."
    if not 0 < values.warn_rate <= values.fail_rate <= 1:
        errors["Ngưỡng cảnh báo"] = "Ngưỡng cảnh báo phải lớn hơn 0 và không vượt ngưỡng không hoàn thành."
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        put_setting(db, TRACKING_KEY, dataclasses.asdict(values))
    return Changes(settings=True, tasks=True)


def _holidays() -> frozenset[dt.date]:
    from parclerk.parsing.deadlines import load_holidays

    return load_holidays()


# --- units ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...]


def list_units(db: Database) -> list[Unit]:
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in db.execute("SELECT unit_id, alias FROM unit_aliases ORDER BY alias").fetchall():
        aliases.setdefault(unit_id, []).append(alias)
    rows = db.execute("SELECT id, name, kind FROM units WHERE active = 1 ORDER BY name_sort").fetchall()
    return [Unit(uid, name, kind, tuple(aliases.get(uid, []))) for uid, name, kind in rows]


def save_unit(
    db: Database, name: str, *, kind: str = "", aliases: Sequence[str] = (), unit_id: int | None = None
) -> Unit:
    """Add or rename a unit with its aliases ("Sở Nội vụ" = "SNV"); a name or alias used by another unit is refused."""
    name = vntext.clean_line(name)
    if not name:
        raise ValidationError({"Tên đơn vị": "Chưa nhập tên đơn vị."})
    clean_aliases = [vntext.clean_line(a) for a in aliases if vntext.clean_line(a)]
    keys = [vntext.fold_body_name(name), *(vntext.fold_body_name(a) for a in clean_aliases)]
    with db.atomic():
        for key in keys:
            owner = _unit_id_for_key(db, key)
            if owner is not None and owner != unit_id:
                raise ValidationError(
                    {"Tên đơn vị": f"“{key}” đã là tên hoặc tên gọi khác của một đơn vị khác."}
                )
        if unit_id is None:
            cursor = db.execute(
                "INSERT INTO units (name, kind, name_fold, name_sort) VALUES (?, ?, ?, ?)",
                [name, kind, keys[0], vntext.sort_key(name)],
            )
            unit_id = int(cursor.lastrowid or 0)
        else:
            db.execute(
                "UPDATE units SET name = ?, kind = ?, name_fold = ?, name_sort = ? WHERE id = ?",
                [name, kind, keys[0], vntext.sort_key(name), unit_id],
            )
            db.execute("DELETE FROM unit_aliases WHERE unit_id = ?", [unit_id])
        for alias, key in zip(clean_aliases, keys[1:], strict=True):
            db.execute(
                "INSERT INTO unit_aliases (unit_id, alias, alias_fold) VALUES (?, ?, ?)",
                [unit_id, alias, key],
            )
        # Tasks written with the name or an alias now count for this unit.
        marks = ", ".join("?" for _ in keys)
        db.execute(
            f"UPDATE tasks SET lead_unit_id = ?, lead_unit_fold = ? WHERE lead_unit_fold IN ({marks})",
            [unit_id, keys[0], *keys],
        )
    return Unit(unit_id, name, kind, tuple(clean_aliases))


def _unit_id_for_key(db: Database, key: str) -> int | None:
    row = db.execute(
        "SELECT id FROM units WHERE name_fold = ? UNION SELECT unit_id FROM unit_aliases WHERE alias_fold = ?",
        [key, key],
    ).fetchone()
    return int(row[0]) if row else None


def unit_key(db: Database, name: str) -> tuple[int | None, str]:
    """(unit id or None, the key tasks are grouped by): an alias maps to its unit's name."""
    key = vntext.fold_body_name(name)
    unit_id = _unit_id_for_key(db, key)
    if unit_id is not None:
        key = db.execute("SELECT name_fold FROM units WHERE id = ?", [unit_id]).fetchone()[0]
    return unit_id, key


# --- tasks and their work items -------------------------------------------------------------------


def add_tasks(
    db: Database, directive_id: int | None, tasks: Sequence[TaskInput], *, today: dt.date | None = None
) -> list[int]:
    """Store tasks (inside the caller's transaction) and give each its work items."""
    stamp = now_text()
    ids = repo_tasks.insert_many(
        db, directive_id, tasks, stamp=stamp, unit_key=lambda name: unit_key(db, name)
    )
    _make_items(db, ids, today or dates.today())
    return ids


def create_task(
    db: Database, task: TaskInput, *, directive_id: int | None = None, follower: str = ""
) -> Changes:
    """A task entered by hand: linked to a directive, or the office's own (directive_id None)."""
    if not task.content.strip():
        raise ValidationError({"Nội dung nhiệm vụ": "Chưa nhập nội dung nhiệm vụ."})
    with db.atomic():
        (task_id,) = add_tasks(db, directive_id, [task])
        db.execute("UPDATE tasks SET follower = ? WHERE id = ?", [vntext.clean_line(follower), task_id])
    return Changes(tasks=True)


def ensure_items(db: Database, *, today: dt.date | None = None) -> int:
    """Give every recurring task its work items up to the current period; returns how many were added.
    Idempotent: run at start-up and whenever the date may have moved on."""
    today = today or dates.today()
    ids = [
        row[0]
        for row in db.execute("SELECT id FROM tasks WHERE recurrence IS NOT NULL AND status != 'cancelled'")
    ]
    with db.atomic():
        before = db.execute("SELECT count(*) FROM task_items").fetchone()[0]
        _make_items(db, ids, today)
        after = db.execute("SELECT count(*) FROM task_items").fetchone()[0]
    return int(after - before)


def _make_items(db: Database, task_ids: Sequence[int], today: dt.date) -> None:
    if not task_ids:
        return
    settings = get_tracking_settings(db)
    holidays = _holidays()
    stamp = now_text()
    rows = db.execute(
        f"""
        SELECT t.id, t.recurrence, t.deadline, t.created_at, d.ngay_den, t.status,
               CASE WHEN d.cancelled = 1 THEN 0 WHEN t.concerns_office = 1 THEN 2 ELSE 1 END
        FROM tasks t LEFT JOIN directives d ON d.id = t.directive_id
        WHERE t.id IN ({", ".join("?" for _ in task_ids)})
        """,
        list(task_ids),
    ).fetchall()
    insert = (
        "INSERT OR IGNORE INTO task_items (task_id, period_key, period_label, due_date, due_sort, scope, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for task_id, recurrence, deadline, created_at, received, status, scope in rows:
        if status == "cancelled":
            continue
        if recurrence is None:
            db.execute(insert, [task_id, "", "", deadline, deadline or NO_DUE, scope, stamp, stamp])
            continue
        start = dates.from_iso(received) or dt.date.fromisoformat(created_at[:10])
        anchor = dates.from_iso(deadline)
        for period in tracking.periods_between(
            recurrence, start, today, settings, anchor=anchor, holidays=holidays
        ):
            due = period.due.isoformat()
            db.execute(insert, [task_id, period.key, period.label, due, due, scope, stamp, stamp])


@dataclass(frozen=True)
class BulkResult:
    changed: int
    skipped: int  # already in that state, left as they were
    changes: Changes = Changes(tasks=True)


def items_already_done(db: Database, item_ids: Sequence[int]) -> int:
    """How many of these items are already done (the UI asks before overwriting their dates)."""
    if not item_ids:
        return 0
    marks = ", ".join("?" for _ in item_ids)
    return int(
        db.execute(
            f"SELECT count(*) FROM task_items WHERE status = 'done' AND id IN ({marks})", list(item_ids)
        ).fetchone()[0]
    )


def complete_items(
    db: Database,
    item_ids: Sequence[int],
    completed: dt.date,
    *,
    reply_number: str = "",
    note: str = "",
    overwrite: bool = False,
    today: dt.date | None = None,
) -> BulkResult:
    """Mark work items done on `completed`; items already done keep their date unless `overwrite`."""
    today = today or dates.today()
    if completed > today:
        raise ValidationError(
            {"Ngày hoàn thành": f"Ngày hoàn thành {dates.format_dmy(completed)} ở sau hôm nay."}
        )
    reply_number = vntext.clean_line(reply_number)
    changed = skipped = 0
    stamp = now_text()
    with db.atomic():
        for item_id in item_ids:
            row = db.execute("SELECT task_id, status FROM task_items WHERE id = ?", [item_id]).fetchone()
            if row is None:
                raise NotFoundError(f"Không tìm thấy nhiệm vụ mã {item_id}.")
            task_id, status = row
            if status == "done" and not overwrite:
                skipped += 1
                continue
            db.execute(
                "UPDATE task_items SET status = 'done', completed_date = ?, reply_number = ?, updated_at = ?, "
                "late = (due_date IS NOT NULL AND due_date < ?) WHERE id = ?",
                [completed.isoformat(), reply_number, stamp, completed.isoformat(), item_id],
            )
            text = f"Hoàn thành ngày {dates.format_dmy(completed)}" + (
                f", văn bản trả lời {reply_number}" if reply_number else ""
            )
            _note(db, task_id, item_id, today, f"{text}. {note}".strip())
            changed += 1
    return BulkResult(changed, skipped)


def reopen_items(
    db: Database, item_ids: Sequence[int], *, reason: str, today: dt.date | None = None
) -> BulkResult:
    today = today or dates.today()
    changed = 0
    with db.atomic():
        for item_id in item_ids:
            row = db.execute("SELECT task_id, status FROM task_items WHERE id = ?", [item_id]).fetchone()
            if row is None or row[1] != "done":
                continue
            db.execute(
                "UPDATE task_items SET status = 'open', completed_date = NULL, late = 0, updated_at = ? WHERE id = ?",
                [now_text(), item_id],
            )
            _note(db, row[0], item_id, today, f"Mở lại: {vntext.clean_line(reason) or 'chưa hoàn thành'}")
            changed += 1
    return BulkResult(changed, len(item_ids) - changed)


def add_note(db: Database, item_id: int, text: str, *, note_date: dt.date | None = None) -> Changes:
    """A dated progress note; notes are a history and are never edited or overwritten."""
    text = vntext.nfc(text).strip()
    if not text:
        raise ValidationError({"Tiến độ": "Chưa nhập nội dung tiến độ."})
    row = db.execute("SELECT task_id FROM task_items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy nhiệm vụ mã {item_id}.")
    with db.atomic():
        _note(db, row[0], item_id, note_date or dates.today(), text)
    return Changes(tasks=True)


def _note(db: Database, task_id: int, item_id: int | None, day: dt.date, text: str) -> None:
    db.execute(
        "INSERT INTO task_notes (task_id, item_id, note_date, note, created_at) VALUES (?, ?, ?, ?, ?)",
        [task_id, item_id, day.isoformat(), text, now_text()],
    )


@dataclass(frozen=True)
class ItemDetail:
    item_id: int
    task_id: int
    ref: str
    content: str
    lead_unit: str
    coordinating_units: tuple[str, ...]
    follower: str
    period_label: str
    due_date: dt.date | None
    deadline_text: str
    recurrence: str | None
    status: str
    completed_date: dt.date | None
    reply_number: str
    directive_id: int | None
    directive_label: str
    notes: tuple[tuple[dt.date, str], ...]


def get_item(db: Database, item_id: int) -> ItemDetail:
    from parclerk.data import tables

    row = tables.task_item_rows(db.conn, [item_id]).get(item_id)
    if row is None:
        raise NotFoundError(f"Không tìm thấy nhiệm vụ mã {item_id}.")
    notes = db.execute(
        "SELECT note_date, note FROM task_notes WHERE task_id = ? ORDER BY note_date, id", [row["task_id"]]
    ).fetchall()
    return ItemDetail(
        item_id=item_id,
        task_id=row["task_id"],
        ref=row["ref"],
        content=row["content"],
        lead_unit=row["lead_unit"],
        coordinating_units=tuple(json.loads(row["coordinating_units"] or "[]")),
        follower=row["follower"],
        period_label=row["period_label"],
        due_date=dates.from_iso(row["due_date"]),
        deadline_text=row["deadline_text"],
        recurrence=row["recurrence"],
        status=row["status"],
        completed_date=dates.from_iso(row["completed_date"]),
        reply_number=row["reply_number"],
        directive_id=row["directive_id"],
        directive_label=directive_label(row),
        notes=tuple((dt.date.fromisoformat(d), n) for d, n in notes),
    )


# --- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    buckets: dict[str, int]
    due_soon: int
    overdue: int
    overdue_30: int
    recent_directives: int


def summary(db: Database, *, today: dt.date | None = None, days: int = 7) -> Summary:
    """The dashboard's counts over the office's own open and done work items."""
    from parclerk.data import tables
    from parclerk.queries import TaskQuery

    today = today or dates.today()
    query = TaskQuery(today=today)
    counts = tables.task_bucket_counts(db.conn, query)
    soon = tables.task_item_count(
        db.conn, dataclasses.replace(query, bucket="open_in_time", due_to=today + dt.timedelta(days=days))
    )
    late30 = tables.task_item_count(
        db.conn, dataclasses.replace(query, bucket="open_overdue", due_to=today - dt.timedelta(days=31))
    )
    recent = db.execute(
        "SELECT count(*) FROM directives WHERE cancelled = 0 AND ngay_den >= ?",
        [(today - dt.timedelta(days=days)).isoformat()],
    ).fetchone()[0]
    return Summary(counts, soon, counts["open_overdue"], late30, int(recent))


def unit_rates(db: Database, year: int, *, today: dt.date | None = None) -> list[tracking.UnitRate]:
    """Per lead unit, for the calendar year: items due so far (or done), and how many are late or undone."""
    today = today or dates.today()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.execute(
        """
        SELECT coalesce(u.name, t.lead_unit), i.status, i.due_date, i.completed_date
        FROM task_items i JOIN tasks t ON t.id = i.task_id
        LEFT JOIN units u ON u.id = t.lead_unit_id
        LEFT JOIN directives d ON d.id = t.directive_id
        WHERE t.status != 'cancelled' AND t.concerns_office = 1 AND (d.id IS NULL OR d.cancelled = 0)
          AND i.due_date BETWEEN ? AND ?
        """,
        [first.isoformat(), last.isoformat()],
    ).fetchall()
    tally: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for unit, status, due_text, completed_text in rows:
        due = dt.date.fromisoformat(due_text)
        if not tracking.counts_toward_rate(due, status, first, last, today):
            continue
        key = vntext.fold_body_name(unit) or ""
        names.setdefault(key, unit or "(chưa rõ đơn vị)")
        counter = tally.setdefault(key, dict.fromkeys(tracking.BUCKETS, 0))
        counter[tracking.bucket(status, due, dates.from_iso(completed_text), today)] += 1
    rates = [
        tracking.UnitRate(
            unit=names[key],
            assigned=sum(c.values()),
            done_on_time=c["done_on_time"],
            done_late=c["done_late"],
            open_overdue=c["open_overdue"],
            open_in_time=c["open_in_time"],
        )
        for key, c in tally.items()
    ]
    return sorted(rates, key=lambda r: (-r.rate, vntext.sort_key(r.unit)))


# --- the task list's choices (UI) -----------------------------------------------------------------

# The status filter: the official buckets plus two age bands the dashboard links to.


@dataclass(frozen=True)
class TaskFilterChoices:
    units: list[tuple[str, str]]  # (folded key, name)
    followers: list[str]
    years: list[int]  # newest first


def task_filter_choices(db: Database) -> TaskFilterChoices:
    from parclerk.data import tables

    return TaskFilterChoices(
        tables.task_units(db.conn), tables.task_followers(db.conn), tables.task_due_years(db.conn)
    )


@dataclass(frozen=True)
class Reminder:
    within_days: int
    due_soon: int  # open, due today or within `within_days`
    overdue: int


def reminder(db: Database, *, today: dt.date | None = None) -> Reminder:
    """What the start-up and hourly reminder says: the office's items due within the setting's days, and overdue."""
    from parclerk.data import tables

    today = today or dates.today()
    days = get_tracking_settings(db).remind_within_days
    query = TaskQuery(today=today)
    soon = tables.task_item_count(
        db.conn, dataclasses.replace(query, bucket="open_in_time", due_to=today + dt.timedelta(days=days))
    )
    overdue = tables.task_item_count(db.conn, dataclasses.replace(query, bucket="open_overdue"))
    return Reminder(days, soon, overdue)


def refresh_scope(db: Database, *, directive_id: int | None = None) -> None:
    """Recompute the work items' scope after a directive or task is cancelled or restored."""
    where = "WHERE t.directive_id = ?" if directive_id is not None else ""
    db.execute(
        f"""
        UPDATE task_items SET scope = (
            SELECT CASE WHEN t.status = 'cancelled' OR d.cancelled = 1 THEN 0 WHEN t.concerns_office = 1 THEN 2 ELSE 1 END
            FROM tasks t LEFT JOIN directives d ON d.id = t.directive_id WHERE t.id = task_items.task_id)
        WHERE task_id IN (SELECT t.id FROM tasks t {where})
        """,
        [directive_id] if directive_id is not None else [],
    )
