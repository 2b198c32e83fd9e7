"""Rows of the task list. Callers run these inside one `db.atomic()`; nothing here commits."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from parclerk import vntext
from parclerk.dates import from_iso, to_iso
from parclerk.models import Task, TaskInput

if TYPE_CHECKING:
    from sqlite_utils import Database


def insert_many(
    db: Database,
    directive_id: int | None,
    tasks: Sequence[TaskInput],
    *,
    stamp: str,
    unit_key: Callable[[str], tuple[int | None, str]],
) -> list[int]:
    """Insert tasks in order; `unit_key` maps a lead unit's name to (unit id, grouping key). Returns the ids."""
    ids = []
    for position, task in enumerate(tasks, start=1):
        unit_id, lead_key = unit_key(task.lead_unit)
        cursor = db.execute(
            """
            INSERT INTO tasks (directive_id, position, ref, content, lead_unit, coordinating_units, deadline,
                               deadline_text, recurrence, concerns_office, lead_unit_id, lead_unit_fold, search_fold,
                               created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                directive_id,
                position,
                task.ref,
                task.content,
                task.lead_unit,
                json.dumps(list(task.coordinating_units), ensure_ascii=False),
                to_iso(task.deadline),
                task.deadline_text,
                task.recurrence,
                1 if task.concerns_office else 0,
                unit_id,
                lead_key,
                search_fold(task),
                stamp,
                stamp,
            ],
        )
        ids.append(int(cursor.lastrowid or 0))
    return ids


def search_fold(task: TaskInput) -> str:
    return vntext.fold(" ".join([task.ref, task.content, task.lead_unit, *task.coordinating_units]))


def for_directive(db: Database, directive_id: int) -> list[Task]:
    rows = db.query("SELECT * FROM tasks WHERE directive_id = ? ORDER BY position, id", [directive_id])
    return [from_row(row) for row in rows]


def from_row(row: dict[str, Any]) -> Task:
    return Task(
        id=row["id"],
        directive_id=row["directive_id"],
        position=row["position"],
        ref=row["ref"],
        content=row["content"],
        lead_unit=row["lead_unit"],
        coordinating_units=tuple(json.loads(row["coordinating_units"] or "[]")),
        deadline=from_iso(row["deadline"]),
        deadline_text=row["deadline_text"],
        recurrence=row["recurrence"],
        concerns_office=bool(row["concerns_office"]),
        status=row["status"],
        completed_date=from_iso(row["completed_date"]),
        reply_number=row["reply_number"],
    )
