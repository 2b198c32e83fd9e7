"""Registering a parsed directive with its tasks: one transaction, the clerk's edits respected."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from parclerk.data import repo_tasks
from parclerk.errors import ValidationError
from parclerk.models import TaskInput
from parclerk.services import directives, intake

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "demo"
    / "samples"
    / "cv-107-UBND-NC-quang-ngai-2021.txt"
)
RECEIVED = dt.date(2021, 1, 12)


def test_draft_from_a_parsed_directive():
    parsed = intake.parse_file(SAMPLE)
    draft = intake.draft_from_parsed(parsed, received=RECEIVED)
    assert draft.ngay_den == RECEIVED
    assert draft.number == "107/UBND-NC"
    assert draft.issued_date == dt.date(2021, 1, 9)
    assert draft.deadline == dt.date(2021, 2, 28)  # the earliest task deadline still ahead
    assert draft.recipients.splitlines()[0] == "Sở Nội vụ"


def test_register_with_tasks_stores_both_and_the_original(db):
    parsed = intake.parse_file(SAMPLE)
    result = intake.register_with_tasks(
        db,
        intake.draft_from_parsed(parsed, received=RECEIVED),
        intake.tasks_from_parsed(parsed),
        files=[SAMPLE],
        today=RECEIVED,
    )
    tasks = repo_tasks.for_directive(db, result.directive.id)
    assert [t.ref for t in tasks] == ["1.a", "1.b", "1.c", "1.d", "2"]
    assert tasks[4].coordinating_units[0] == "Văn phòng UBND tỉnh"
    assert (
        tasks[0].deadline == dt.date(2021, 2, 28) and tasks[0].deadline_text == "chậm nhất trong tháng 2/2021"
    )
    assert result.directive.attachments[0].original_name == SAMPLE.name
    assert result.directive.so_den == 1


def test_a_bad_task_stores_nothing(db):
    parsed = intake.parse_file(SAMPLE)
    tasks = intake.tasks_from_parsed(parsed)
    tasks[2] = dataclasses.replace(tasks[2], content="   ")
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        intake.register_with_tasks(
            db, intake.draft_from_parsed(parsed, received=RECEIVED), tasks, today=RECEIVED
        )
    assert db.execute("SELECT count(*) FROM directives").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    # No số đến was used up either.
    assert db.execute("SELECT count(*) FROM so_den_counters").fetchone()[0] == 0


def test_a_failing_directive_rolls_the_tasks_back(db):
    parsed = intake.parse_file(SAMPLE)
    draft = dataclasses.replace(intake.draft_from_parsed(parsed, received=RECEIVED), issuer="")
    with pytest.raises(ValidationError):
        intake.register_with_tasks(db, draft, intake.tasks_from_parsed(parsed), today=RECEIVED)
    assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_tasks_from_the_review_table():
    rows = [
        {"ref": "1", "content": "Báo cáo quý", "lead_unit": "Văn phòng", "coordinating_units": "A; B ;",
         "deadline": "31/3/2024", "deadline_text": "trong quý I/2024", "recurrence": None, "concerns_office": False},
    ]  # fmt: skip
    (task,) = intake.tasks_from_rows(rows)
    assert task == TaskInput(
        content="Báo cáo quý",
        ref="1",
        lead_unit="Văn phòng",
        coordinating_units=("A", "B"),
        deadline=dt.date(2024, 3, 31),
        deadline_text="trong quý I/2024",
        concerns_office=False,
    )
    with pytest.raises(ValidationError, match="Nhiệm vụ 7, hạn xử lý"):
        intake.tasks_from_rows([{"ref": "7", "content": "x", "deadline": "31/02/2024"}])


def test_duplicates_are_found_for_a_parsed_directive(db):
    parsed = intake.parse_file(SAMPLE)
    draft = intake.draft_from_parsed(parsed, received=RECEIVED)
    intake.register_with_tasks(db, draft, [], today=RECEIVED)
    assert directives.find_duplicates(db, draft)
