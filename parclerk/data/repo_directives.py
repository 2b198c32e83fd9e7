"""Rows of the incoming-document register. Writes fill the fold and sort shadow columns every time, from
vntext, so any SQLite tool can still write the file (no app functions in triggers).

Callers run these inside one `db.atomic()`; nothing here commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from parclerk import vntext
from parclerk.dates import from_iso, to_iso
from parclerk.models import Attachment, Directive, DirectiveInput, DuplicateHit

if TYPE_CHECKING:
    from sqlite_utils import Database

_DATE_FIELDS = ("ngay_den", "issued_date", "handed_date", "deadline", "handled_date")
INPUT_FIELDS = [f.name for f in dataclasses.fields(DirectiveInput)]


def now_text() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def derived_columns(values: DirectiveInput) -> dict[str, str]:
    """The fold and sort shadow columns for one directive."""
    searchable = " ".join(
        part
        for part in (
            values.number,
            values.issuer,
            values.doc_type,
            values.subject,
            values.signer,
            values.assigned_to,
            values.reply_number,
            values.notes,
        )
        if part
    )
    search_fold = vntext.fold(searchable)
    spelled_out = vntext.fold_body_name(values.issuer)
    if spelled_out != vntext.fold(values.issuer):
        search_fold += " " + spelled_out  # "uy ban nhan dan" finds "UBND", and the other way round
    return {
        "issuer_fold": vntext.fold_body_name(values.issuer),
        "number_fold": vntext.fold(values.number),
        "issuer_sort": vntext.sort_key(values.issuer),
        "subject_sort": vntext.sort_key(values.subject),
        "doc_type_sort": vntext.sort_key(values.doc_type),
        "assigned_to_sort": vntext.sort_key(values.assigned_to),
        "search_fold": search_fold,
    }


def _row_values(values: DirectiveInput) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(values, name) for name in INPUT_FIELDS}
    for name in _DATE_FIELDS:
        row[name] = to_iso(row[name])
    row.update(derived_columns(values))
    return row


def next_so_den(db: Database, year: int) -> int:
    """Take the next số đến of the year. The first statement is a write, so the transaction holds the write
    lock from here on: two registrations in the same second, or from two processes, cannot get one number."""
    cursor = db.execute(
        "INSERT INTO so_den_counters (year, last) VALUES (?, 1) "
        "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
        [year],
    )
    return int(cursor.fetchone()[0])


def insert(db: Database, values: DirectiveInput, *, so_den: int, stamp: str) -> int:
    row = _row_values(values)
    row.update(so_den=so_den, so_den_year=values.ngay_den.year, created_at=stamp, updated_at=stamp)
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(f"INSERT INTO directives ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def insert_many(db: Database, rows: list[tuple[DirectiveInput, int, str]]) -> None:
    """Bulk insert of (values, so_den, stamp) for imports and the demo; the counters are the caller's."""
    if not rows:
        return
    first = _row_values(rows[0][0])
    columns = [*first, "so_den", "so_den_year", "created_at", "updated_at"]
    sql = f"INSERT INTO directives ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    db.conn.executemany(
        sql,
        (
            [*_row_values(values).values(), so_den, values.ngay_den.year, stamp, stamp]
            for values, so_den, stamp in rows
        ),
    )


def update(db: Database, directive_id: int, values: DirectiveInput, *, stamp: str) -> None:
    row = _row_values(values)
    row["updated_at"] = stamp
    assignments = ", ".join(f"{name} = ?" for name in row)
    db.execute(f"UPDATE directives SET {assignments} WHERE id = ?", [*row.values(), directive_id])


def set_cancelled(db: Database, directive_id: int, reason: str, *, stamp: str | None) -> None:
    db.execute(
        "UPDATE directives SET cancelled = ?, cancel_reason = ?, cancelled_at = ?, updated_at = ? WHERE id = ?",
        [1 if stamp else 0, reason, stamp, stamp or now_text(), directive_id],
    )


def get(db: Database, directive_id: int) -> Directive | None:
    rows = list(db.query("SELECT * FROM directives WHERE id = ?", [directive_id]))
    if not rows:
        return None
    return from_row(rows[0], attachments=tuple(list_attachments(db, directive_id)))


def from_row(row: dict[str, Any], attachments: tuple[Attachment, ...] = ()) -> Directive:
    values = {name: row[name] for name in INPUT_FIELDS}
    for name in _DATE_FIELDS:
        values[name] = from_iso(values[name])
    return Directive(
        **values,
        id=row["id"],
        so_den=row["so_den"],
        so_den_year=row["so_den_year"],
        cancelled=bool(row["cancelled"]),
        cancel_reason=row["cancel_reason"],
        cancelled_at=row["cancelled_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        attachments=attachments,
    )


def find_duplicates(
    db: Database, values: DirectiveInput, *, exclude_id: int | None = None
) -> list[DuplicateHit]:
    """Directives with the same số/ký hiệu and issuer (both folded) from the same year (Phụ lục VI, III.1.h).

    The year is the document's own year where known, else the year received: numbers restart yearly.
    """
    number = vntext.fold(values.number)
    if not number:
        return []
    year = (values.issued_date or values.ngay_den).year
    rows = db.query(
        """
        SELECT id, so_den, so_den_year, number, issuer, subject, ngay_den, cancelled FROM directives
        WHERE number_fold = ? AND issuer_fold = ? AND id != ?
          AND CAST(coalesce(substr(issued_date, 1, 4), so_den_year) AS INTEGER) = ?
        ORDER BY so_den_year, so_den
        """,
        [number, vntext.fold_body_name(values.issuer), exclude_id or 0, year],
    )
    return [DuplicateHit(**{**row, "cancelled": bool(row["cancelled"])}) for row in rows]


def list_attachments(db: Database, directive_id: int) -> list[Attachment]:
    rows = db.query("SELECT * FROM attachments WHERE directive_id = ? ORDER BY id", [directive_id])
    return [Attachment(**row) for row in rows]


def add_attachment(db: Database, directive_id: int, sha256: str, original_name: str, size: int) -> None:
    db.execute(
        "INSERT OR IGNORE INTO attachments (directive_id, sha256, original_name, size, added_at) VALUES (?, ?, ?, ?, ?)",
        [directive_id, sha256, original_name, size, now_text()],
    )


def refresh_derived(db: Database) -> None:
    """Rewrite every row's fold and sort columns from the current rules (migrations that change them)."""
    rows = db.execute(f"SELECT id, {', '.join(INPUT_FIELDS)} FROM directives").fetchall()
    for row in rows:
        values = dict(zip(["id", *INPUT_FIELDS], row, strict=True))
        for name in _DATE_FIELDS:
            values[name] = from_iso(values[name])
        derived = derived_columns(DirectiveInput(**{name: values[name] for name in INPUT_FIELDS}))
        assignments = ", ".join(f"{name} = ?" for name in derived)
        db.execute(f"UPDATE directives SET {assignments} WHERE id = ?", [*derived.values(), values["id"]])
