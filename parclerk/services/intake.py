"""Register a directive from its text or file: read it, extract its fields and tasks, and save what the
clerk accepted (the directive and its tasks in one transaction)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import dates
from parclerk.errors import ValidationError
from parclerk.models import DirectiveInput, RegisterResult, TaskInput
from parclerk.parsing.model import ParsedDirective
from parclerk.queries import Changes
from parclerk.services import directives
from parclerk.services.tasks import add_tasks

if TYPE_CHECKING:
    from sqlite_utils import Database


def parse_text(text: str) -> ParsedDirective:
    from parclerk.parsing.directive import parse_directive
    from parclerk.parsing.readers import read_text

    return parse_directive(read_text(text))


def parse_file(path: Path) -> ParsedDirective:
    from parclerk.parsing.directive import parse_directive
    from parclerk.parsing.readers import read_document

    return parse_directive(read_document(Path(path)))


def draft_from_parsed(parsed: ParsedDirective, *, received: dt.date | None = None) -> DirectiveInput:
    """The register entry the parser suggests; received today unless said otherwise."""
    received = received or dates.today()
    earliest_deadline = min(
        (t.deadline for t in parsed.tasks if t.deadline and t.deadline >= received), default=None
    )
    return DirectiveInput(
        ngay_den=received,
        issuer=parsed.issuer,
        subject=parsed.subject,
        number=parsed.number or "",
        issued_date=parsed.issued_date if parsed.issued_date and parsed.issued_date <= received else None,
        issued_place=parsed.issued_place,
        doc_type=parsed.doc_type or "Công văn",
        signer=parsed.signer,
        signer_title=parsed.signer_title,
        deadline=earliest_deadline,
        recipients="\n".join(parsed.recipients),
        noi_nhan="\n".join(parsed.noi_nhan),
        related_documents="\n".join(parsed.references),
    )


def tasks_from_parsed(parsed: ParsedDirective) -> list[TaskInput]:
    return [
        TaskInput(
            content=task.text,
            ref=task.ref,
            lead_unit=task.lead_unit,
            coordinating_units=task.coordinating_units,
            deadline=task.deadline,
            deadline_text=task.deadline_text,
            recurrence=task.recurrence,
        )
        for task in parsed.tasks
    ]


def validate_tasks(tasks: Sequence[TaskInput]) -> list[TaskInput]:
    errors: dict[str, str] = {}
    clean: list[TaskInput] = []
    for number, task in enumerate(tasks, start=1):
        content = task.content.strip()
        if not content:
            errors[f"Nhiệm vụ {task.ref or number}"] = f"Nhiệm vụ {task.ref or number} chưa có nội dung."
        clean.append(
            dataclasses.replace(
                task,
                content=content,
                lead_unit=task.lead_unit.strip(),
                coordinating_units=tuple(u.strip() for u in task.coordinating_units if u.strip()),
            )
        )
    if errors:
        raise ValidationError(errors)
    return clean


def register_with_tasks(
    db: Database,
    values: DirectiveInput,
    tasks: Sequence[TaskInput],
    *,
    files: Sequence[Path] = (),
    today: dt.date | None = None,
) -> RegisterResult:
    """The directive and the tasks the clerk kept, in one transaction: both or neither."""
    checked_tasks = validate_tasks(tasks)
    with db.atomic():
        result = directives.register_directive(db, values, files=files, today=today)
        add_tasks(db, result.directive.id, checked_tasks, today=today)
    return dataclasses.replace(result, changes=result.changes | Changes(tasks=True))


def tasks_from_rows(rows: Sequence[dict[str, object]]) -> list[TaskInput]:
    """Tasks as the review table holds them (texts; units separated by ';') -> checked TaskInputs."""
    errors: dict[str, str] = {}
    tasks: list[TaskInput] = []
    for number, row in enumerate(rows, start=1):
        ref = str(row.get("ref") or "").strip()
        label = f"Nhiệm vụ {ref or number}"
        try:
            deadline = dates.parse_dmy(str(row.get("deadline") or ""), f"{label}, hạn xử lý")
        except ValidationError as exc:
            errors.update(exc.fields)
            deadline = None
        units = [u.strip() for u in str(row.get("coordinating_units") or "").split(";")]
        recurrence = row.get("recurrence")
        tasks.append(
            TaskInput(
                content=str(row.get("content") or ""),
                ref=ref,
                lead_unit=str(row.get("lead_unit") or ""),
                coordinating_units=tuple(u for u in units if u),
                deadline=deadline,
                deadline_text=str(row.get("deadline_text") or ""),
                recurrence=str(recurrence) if recurrence else None,
                concerns_office=bool(row.get("concerns_office", True)),
            )
        )
    try:
        tasks = validate_tasks(tasks)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    return tasks
