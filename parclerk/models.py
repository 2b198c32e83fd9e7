"""Plain values passed between the layers: frozen dataclasses, no I/O, no Qt."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from parclerk.queries import Changes


@dataclass(frozen=True)
class DirectiveInput:
    """What the clerk enters for an incoming document. Dates are dates; text is as typed."""

    ngay_den: dt.date
    issuer: str
    subject: str
    number: str = ""
    issued_date: dt.date | None = None
    issued_place: str = ""
    doc_type: str = "Công văn"
    signer: str = ""
    signer_title: str = ""
    urgency: int = 0
    secrecy: int = 0
    assigned_to: str = ""
    handed_date: dt.date | None = None
    deadline: dt.date | None = None
    handled_date: dt.date | None = None
    reply_number: str = ""
    page_count: int | None = None
    file_code: str = ""
    direction: str = ""
    notes: str = ""
    recipients: str = ""  # Kính gửi, one per line
    noi_nhan: str = ""  # Nơi nhận, one per line
    related_documents: str = ""  # enclosed or cited documents, one per line


@dataclass(frozen=True)
class TaskInput:
    """A task as entered or accepted from the parser."""

    content: str
    ref: str = ""
    lead_unit: str = ""
    coordinating_units: tuple[str, ...] = ()
    deadline: dt.date | None = None
    deadline_text: str = ""
    recurrence: str | None = None
    concerns_office: bool = True


@dataclass(frozen=True)
class Task(TaskInput):
    id: int = 0
    directive_id: int | None = None
    position: int = 0
    status: str = "open"
    completed_date: dt.date | None = None
    reply_number: str = ""


@dataclass(frozen=True)
class Attachment:
    id: int
    directive_id: int
    sha256: str
    original_name: str
    size: int
    added_at: str


@dataclass(frozen=True)
class Directive(DirectiveInput):
    """A registered directive: the input plus what the register gave it."""

    id: int = 0
    so_den: int = 0
    so_den_year: int = 0
    cancelled: bool = False
    cancel_reason: str = ""
    cancelled_at: str | None = None
    created_at: str = ""
    updated_at: str = ""
    attachments: tuple[Attachment, ...] = ()

    @property
    def so_den_label(self) -> str:
        return f"{self.so_den}/{self.so_den_year}"

    def to_input(self) -> DirectiveInput:
        names = [f.name for f in dataclasses.fields(DirectiveInput)]
        return DirectiveInput(**{name: getattr(self, name) for name in names})


@dataclass(frozen=True)
class DuplicateHit:
    id: int
    so_den: int
    so_den_year: int
    number: str
    issuer: str
    subject: str
    ngay_den: str
    cancelled: bool


@dataclass(frozen=True)
class RegisterResult:
    directive: Directive
    changes: Changes = field(default_factory=lambda: Changes(directives=True))


@dataclass(frozen=True)
class OfficeProfile:
    unit_name: str = ""
    parent_name: str = ""
    unit_abbrev: str = ""
    level: str = "xa"
    place_name: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signer_authority: str = ""
    reports_to: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.unit_name.strip()
