"""What the parser returns: plain frozen values, the field names of `parclerk parse --json`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

RECURRENCES = ("monthly", "quarterly", "semiannual", "annual")


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase resolved on the calendar. `date` is None for "thường xuyên" or when only a
    recurrence is known; `text` is the phrase as written, kept beside the date so the clerk can check it."""

    date: dt.date | None = None
    text: str = ""
    recurrence: str | None = None  # one of RECURRENCES
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedTask:
    ref: str
    text: str
    lead_unit: str = ""
    coordinating_units: tuple[str, ...] = ()
    deadline: dt.date | None = None
    deadline_text: str = ""
    recurrence: str | None = None
    uncertain: frozenset[str] = frozenset()  # field names the clerk should check
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedDirective:
    issuer: str = ""
    parent_body: str = ""
    number: str | None = None
    doc_type: str = ""
    issued_place: str = ""
    issued_date: dt.date | None = None
    subject: str = ""
    recipients: tuple[str, ...] = ()
    signer: str = ""
    signer_title: str = ""
    signer_authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH" ...
    noi_nhan: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # enclosed documents, e.g. "Thông báo số 89/TB-UBND ngày 16/3/2021 ..."
    tasks: tuple[ParsedTask, ...] = ()
    warnings: tuple[str, ...] = ()
    uncertain: frozenset[str] = field(default_factory=frozenset)
    text: str = ""  # the cleaned source text the fields came from


def as_json(parsed: ParsedDirective) -> dict[str, object]:
    """The `parclerk parse --json` contract: exactly these keys, dates in ISO form or null."""
    return {
        "issuer": parsed.issuer,
        "number": parsed.number,
        "doc_type": parsed.doc_type,
        "issued_place": parsed.issued_place,
        "issued_date": parsed.issued_date.isoformat() if parsed.issued_date else None,
        "subject": parsed.subject,
        "recipients": list(parsed.recipients),
        "signer": parsed.signer,
        "signer_title": parsed.signer_title,
        "tasks": [
            {
                "ref": task.ref,
                "text": task.text,
                "lead_unit": task.lead_unit,
                "coordinating_units": list(task.coordinating_units),
                "deadline": task.deadline.isoformat() if task.deadline else None,
                "deadline_text": task.deadline_text,
                "recurrence": task.recurrence,
            }
            for task in parsed.tasks
        ],
        "warnings": list(parsed.warnings),
    }
