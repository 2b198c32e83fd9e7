"""What views ask for and what writes report: the few light values the opening view needs (kept apart from
models.py, whose larger dataclasses cost milliseconds to create at import). The main window's frame paints
without this module."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """What a write changed, so each view decides whether to reload."""

    directives: bool = False
    tasks: bool = False
    assessment: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in dataclasses.fields(self)}
        )

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))


@dataclass(frozen=True)
class DirectiveQuery:
    """A register filter. Sort is a name from data.tables.SORTS; user text is only ever a parameter."""

    text: str = ""
    year: int | None = None
    issuer: str = ""  # folded issuer, exact
    doc_type: str = ""
    urgency: int | None = None
    overdue_only: bool = False
    include_cancelled: bool = True
    sort: str = "so_den"
    descending: bool = True
    today: dt.date | None = None


@dataclass(frozen=True)
class TaskQuery:
    """A task-list filter over work items; sort is a name from data.tables.TASK_SORTS."""

    text: str = ""
    unit: str = ""  # folded lead unit, exact
    bucket: str = ""  # a key of tracking.BUCKETS
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    directive_id: int | None = None
    follower: str = ""
    own_only: bool = True  # only tasks that concern this office
    open_only: bool = False
    sort: str = "due"
    descending: bool = False
    today: dt.date | None = None
