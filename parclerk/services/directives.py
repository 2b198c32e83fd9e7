"""The incoming-document register (sổ văn bản đến): register, edit, cancel, attach, find.

Each write is one transaction. Số đến runs per calendar year of the date received, with no gaps and
no reuse: a wrong entry is cancelled and keeps its number, so every number can be explained.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import dates, glossary, paths, vntext
from parclerk.data import repo_directives, tables
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import Directive, DirectiveInput, DuplicateHit, RegisterResult
from parclerk.queries import Changes, DirectiveQuery
from parclerk.services import attachments
from parclerk.services.tasks import refresh_scope

if TYPE_CHECKING:
    from sqlite_utils import Database

L = glossary.LABELS
_ONE_LINE = (
    "issuer",
    "number",
    "issued_place",
    "doc_type",
    "signer",
    "signer_title",
    "reply_number",
    "file_code",
)
_MULTI_LINE = ("subject", "assigned_to", "direction", "notes", "recipients", "noi_nhan", "related_documents")


def validate(values: DirectiveInput, *, today: dt.date | None = None) -> DirectiveInput:
    """Normalise the text (NFC, spaces) and check every rule; all problems are reported at once."""
    today = today or dates.today()
    clean = {name: vntext.clean_line(getattr(values, name)) for name in _ONE_LINE}
    clean.update({name: vntext.nfc(getattr(values, name)).strip() for name in _MULTI_LINE})
    clean["number"] = clean["number"].replace(" /", "/").replace("/ ", "/")
    errors: dict[str, str] = {}
    for name in ("issuer", "subject"):
        if not clean[name]:
            errors[L[name]] = f"Chưa nhập “{L[name]}”."
    for name, limit in glossary.MAX_LENGTH.items():
        if name in clean and len(clean[name]) > limit:
            errors[L[name]] = f"“{L[name]}” dài {len(clean[name])} ký tự, quá giới hạn {limit} ký tự."
    if values.ngay_den is None:
        errors[L["ngay_den"]] = f"Chưa nhập “{L['ngay_den']}”."
    elif values.ngay_den > today:
        errors[L["ngay_den"]] = f"Ngày đến {dates.format_dmy(values.ngay_den)} ở sau ngày hôm nay."
    elif values.issued_date and values.issued_date > values.ngay_den:
        errors[L["issued_date"]] = (
            f"Ngày văn bản {dates.format_dmy(values.issued_date)} ở sau ngày đến {dates.format_dmy(values.ngay_den)}."
        )
    if values.handed_date and values.ngay_den and values.handed_date < values.ngay_den:
        errors[L["handed_date"]] = "Ngày chuyển không thể trước ngày đến."
    if values.urgency not in glossary.URGENCY:
        errors[L["urgency"]] = "Độ khẩn không hợp lệ."
    if values.secrecy not in glossary.SECRECY:
        errors[L["secrecy"]] = "Độ mật không hợp lệ."
    if values.page_count is not None and not 0 < values.page_count < 100_000:
        errors[L["page_count"]] = "Số trang phải là số nguyên dương."
    if errors:
        raise ValidationError(errors)
    return dataclasses.replace(values, **clean)


_FORM_DATES = ("ngay_den", "issued_date", "handed_date", "deadline", "handled_date")


def input_from_form(form: Mapping[str, object], *, today: dt.date | None = None) -> DirectiveInput:
    """What the edit form holds (texts as typed, dates as dd/mm/yyyy text) -> a checked DirectiveInput.

    Every unparseable date and every other problem is reported at once, keyed by its label.
    """
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name in _FORM_DATES:
        try:
            values[name] = dates.parse_dmy(str(form.get(name) or ""), L[name])
        except ValidationError as exc:
            values[name] = None
            errors.update(exc.fields)
    page_text = str(form.get("page_count") or "").strip()
    values["page_count"] = None
    if page_text:
        if page_text.isdigit():
            values["page_count"] = int(page_text)
        else:
            errors[L["page_count"]] = "Số trang phải là số nguyên dương."
    for name in ("urgency", "secrecy"):
        values[name] = int(form.get(name) or 0)
    for name in (*_ONE_LINE, *_MULTI_LINE):
        values[name] = str(form.get(name) or "")
    try:
        checked = validate(DirectiveInput(**values), today=today)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValidationError({**exc.fields, **errors}) from None
    if errors:
        raise ValidationError(errors)
    return checked


def find_duplicates(
    db: Database, values: DirectiveInput, *, exclude_id: int | None = None
) -> list[DuplicateHit]:
    """Registered directives with the same số/ký hiệu and issuer in the same year: warn, let the clerk decide."""
    return repo_directives.find_duplicates(db, values, exclude_id=exclude_id)


def register_directive(
    db: Database,
    values: DirectiveInput,
    *,
    files: Sequence[Path] = (),
    today: dt.date | None = None,
) -> RegisterResult:
    """Register an incoming document: allocate the year's next số đến, store it and its original files."""
    clean = validate(values, today=today)
    stored = _store_files(db, files)
    stamp = repo_directives.now_text()
    with db.atomic():
        so_den = repo_directives.next_so_den(db, clean.ngay_den.year)
        directive_id = repo_directives.insert(db, clean, so_den=so_den, stamp=stamp)
        for sha256, name, size in stored:
            repo_directives.add_attachment(db, directive_id, sha256, name, size)
    return RegisterResult(directive=get_directive(db, directive_id))


def update_directive(
    db: Database, directive_id: int, values: DirectiveInput, *, today: dt.date | None = None
) -> RegisterResult:
    current = get_directive(db, directive_id)
    clean = validate(values, today=today)
    if clean.ngay_den.year != current.so_den_year:
        raise ValidationError(
            {
                L["ngay_den"]: (
                    f"Văn bản đã được cấp số đến {current.so_den_label} của năm {current.so_den_year}; không đổi "
                    "ngày đến sang năm khác được. Hãy hủy văn bản này và đăng ký lại."
                )
            }
        )
    with db.atomic():
        repo_directives.update(db, directive_id, clean, stamp=repo_directives.now_text())
    return RegisterResult(directive=get_directive(db, directive_id))


def cancel_directive(db: Database, directive_id: int, reason: str) -> RegisterResult:
    """Soft delete: the row and its số đến stay, marked cancelled with the reason."""
    current = get_directive(db, directive_id)
    if current.cancelled:
        raise ValidationError(
            {
                L[
                    "cancel_reason"
                ]: f"Văn bản số đến {current.so_den_label} đã được hủy trước đó ({current.cancel_reason})."
            }
        )
    reason = vntext.clean_line(reason)
    if not reason:
        raise ValidationError({L["cancel_reason"]: "Hãy ghi lý do hủy (ví dụ: đăng ký trùng, nhập nhầm)."})
    if len(reason) > glossary.MAX_LENGTH["cancel_reason"]:
        raise ValidationError({L["cancel_reason"]: "Lý do hủy dài quá 500 ký tự."})
    with db.atomic():
        repo_directives.set_cancelled(db, directive_id, reason, stamp=repo_directives.now_text())
        refresh_scope(db, directive_id=directive_id)  # its tasks leave the lists and the figures
    return RegisterResult(
        directive=get_directive(db, directive_id), changes=Changes(directives=True, tasks=True)
    )


def restore_directive(db: Database, directive_id: int) -> RegisterResult:
    """Undo a cancellation made by mistake; the số đến never changed."""
    get_directive(db, directive_id)
    with db.atomic():
        repo_directives.set_cancelled(db, directive_id, "", stamp=None)
        refresh_scope(db, directive_id=directive_id)
    return RegisterResult(
        directive=get_directive(db, directive_id), changes=Changes(directives=True, tasks=True)
    )


def attach_files(db: Database, directive_id: int, files: Sequence[Path]) -> RegisterResult:
    get_directive(db, directive_id)
    stored = _store_files(db, files)
    with db.atomic():
        for sha256, name, size in stored:
            repo_directives.add_attachment(db, directive_id, sha256, name, size)
    return RegisterResult(directive=get_directive(db, directive_id))


def _store_files(db: Database, files: Sequence[Path]) -> list[tuple[str, str, int]]:
    """Copy originals into the store before the transaction: a file without a row is harmless, a row
    without its file is not."""
    if not files:
        return []
    folder = paths.files_dir(attachments.db_path_of(db))
    result = []
    for file in files:
        sha256, size = attachments.store_file(folder, Path(file))
        result.append((sha256, Path(file).name, size))
    return result


def attachment_for_viewing(db: Database, directive_id: int, attachment_id: int) -> Path:
    directive = get_directive(db, directive_id)
    for attachment in directive.attachments:
        if attachment.id == attachment_id:
            return attachments.copy_for_viewing(attachments.db_path_of(db), attachment)
    raise NotFoundError("Không tìm thấy tệp đính kèm này.")


def get_directive(db: Database, directive_id: int) -> Directive:
    directive = repo_directives.get(db, directive_id)
    if directive is None:
        raise NotFoundError(f"Không tìm thấy văn bản có mã {directive_id}.")
    return directive


def search_directives(db: Database, query: DirectiveQuery, *, limit: int = 50) -> list[Directive]:
    """Matching directives in register order, for the command line."""
    ids = tables.directive_ids(db.conn, query)[:limit]
    rows = (
        {
            row["id"]: row
            for row in db.query(f"SELECT * FROM directives WHERE id IN ({', '.join('?' for _ in ids)})", ids)
        }
        if ids
        else {}
    )
    return [repo_directives.from_row(rows[i]) for i in ids]


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]
    issuers: list[tuple[str, str]]  # (folded key, display name)
    doc_types: list[str]


def filter_choices(db: Database) -> FilterChoices:
    """What the register's filter lists offer: years, issuers and document types in use."""
    return FilterChoices(
        years=tables.register_years(db.conn),
        issuers=tables.issuers(db.conn),
        doc_types=tables.doc_types_in_use(db.conn),
    )
