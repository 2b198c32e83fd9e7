"""Read-only queries for the big register table: ordered ids for a filter, then rows in pages.

Qt table models call these straight on the UI thread's read connection (the one sanctioned shortcut
past the services). Sorting and filtering happen in SQL; user text is only ever a parameter; sort
columns come from the SORTS whitelist.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from parclerk import vntext
from parclerk.models import DirectiveQuery, TaskQuery

# Sort name -> SQL expression (indexed where it matters). The id keeps ties stable.
SORTS: dict[str, str] = {
    "so_den": "so_den_year {dir}, so_den {dir}",
    "ngay_den": "ngay_den {dir}, so_den {dir}",
    "issuer": "issuer_sort {dir}",
    "number": "number {dir}",
    "issued_date": "issued_date {dir}",
    "doc_type": "doc_type_sort {dir}",
    "subject": "subject_sort {dir}",
    "assigned_to": "assigned_to_sort {dir}",
    "deadline": "deadline IS NULL, deadline {dir}",
    "urgency": "urgency {dir}",
    "status": "cancelled {dir}, handled_date IS NOT NULL {dir}, deadline {dir}",
}

PAGE_COLUMNS = (
    "id, so_den, so_den_year, ngay_den, issuer, number, issued_date, doc_type, subject, signer, signer_title, "
    "assigned_to, handed_date, deadline, handled_date, urgency, secrecy, notes, cancelled, cancel_reason"
)


def _where(query: DirectiveQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    match = vntext.fts_query(query.text)
    if match:
        clauses.append("id IN (SELECT rowid FROM directives_fts WHERE directives_fts MATCH ?)")
        params.append(match)
    if query.year:
        clauses.append("so_den_year = ?")
        params.append(query.year)
    if query.issuer:
        clauses.append("issuer_fold = ?")
        params.append(query.issuer)
    if query.doc_type:
        clauses.append("doc_type = ?")
        params.append(query.doc_type)
    if query.urgency is not None:
        clauses.append("urgency = ?")
        params.append(query.urgency)
    if query.overdue_only:
        clauses.append("cancelled = 0 AND handled_date IS NULL AND deadline < ?")
        params.append((query.today or dt.date.today()).isoformat())
    if not query.include_cancelled:
        clauses.append("cancelled = 0")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def directive_ids(conn: sqlite3.Connection, query: DirectiveQuery, *, limit: int | None = None) -> list[int]:
    """The ids matching the query, in its order (only the first `limit` when given)."""
    where, params = _where(query)
    direction = "DESC" if query.descending else "ASC"
    order = SORTS.get(query.sort, SORTS["so_den"]).format(dir=direction)
    sql = f"SELECT id FROM directives{where} ORDER BY {order}, id {direction}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in conn.execute(sql, params)]


def directive_match_count(conn: sqlite3.Connection, query: DirectiveQuery) -> int:
    where, params = _where(query)
    return int(conn.execute(f"SELECT count(*) FROM directives{where}", params).fetchone()[0])


def directive_rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """One page of rows by id, as dicts keyed by column name."""
    if not ids:
        return {}
    cursor = conn.execute(
        f"SELECT {PAGE_COLUMNS} FROM directives WHERE id IN ({', '.join('?' for _ in ids)})", ids
    )
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


def register_years(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT DISTINCT year FROM so_den_counters ORDER BY year DESC")]


def issuers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(folded key, a display name) of every issuer, in Vietnamese order."""
    rows = conn.execute(
        "SELECT issuer_fold, min(issuer), min(issuer_sort) AS s FROM directives GROUP BY issuer_fold ORDER BY s"
    )
    return [(fold, name) for fold, name, _ in rows]


def doc_types_in_use(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT doc_type, min(doc_type_sort) AS s FROM directives GROUP BY doc_type ORDER BY s"
    )
    return [name for name, _ in rows if name]


def directive_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM directives").fetchone()[0])


# --- task work items ------------------------------------------------------------------------------

TASK_SORTS: dict[str, str] = {
    "due": "i.due_date IS NULL {dir}, i.due_date {dir}",
    "ref": "t.ref {dir}",
    "content": "t.content {dir}",
    "lead_unit": "t.lead_unit_fold {dir}",
    "status": "i.status {dir}, i.due_date {dir}",
    "directive": "d.so_den_year {dir}, d.so_den {dir}",
    "completed": "i.completed_date {dir}",
}
_TASK_FROM = (
    "FROM task_items i JOIN tasks t ON t.id = i.task_id LEFT JOIN directives d ON d.id = t.directive_id"
)

BUCKET_SQL = {
    "done_on_time": "i.status = 'done' AND (i.due_date IS NULL OR i.completed_date IS NULL OR i.completed_date <= i.due_date)",
    "done_late": "i.status = 'done' AND i.due_date IS NOT NULL AND i.completed_date > i.due_date",
    "open_in_time": "i.status = 'open' AND i.due_date >= :today",
    "open_overdue": "i.status = 'open' AND i.due_date < :today",
    "no_deadline": "i.status = 'open' AND i.due_date IS NULL",
}


def _task_where(query: TaskQuery) -> tuple[str, dict[str, Any]]:
    today = (query.today or dt.date.today()).isoformat()
    clauses = ["t.status != 'cancelled'", "(d.id IS NULL OR d.cancelled = 0)"]
    params: dict[str, Any] = {"today": today}
    match = vntext.fts_query(query.text)
    if match:
        clauses.append("t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :match)")
        params["match"] = match
    if query.unit:
        clauses.append("t.lead_unit_fold = :unit")
        params["unit"] = query.unit
    if query.bucket:
        clauses.append(BUCKET_SQL[query.bucket])
    if query.due_from:
        clauses.append("i.due_date >= :due_from")
        params["due_from"] = query.due_from.isoformat()
    if query.due_to:
        clauses.append("i.due_date <= :due_to")
        params["due_to"] = query.due_to.isoformat()
    if query.directive_id is not None:
        clauses.append("t.directive_id = :directive_id")
        params["directive_id"] = query.directive_id
    if query.follower:
        clauses.append("t.follower = :follower")
        params["follower"] = query.follower
    if query.own_only:
        clauses.append("t.concerns_office = 1")
    if query.open_only:
        clauses.append("i.status = 'open'")
    return " WHERE " + " AND ".join(clauses), params


def task_item_ids(conn: sqlite3.Connection, query: TaskQuery, *, limit: int | None = None) -> list[int]:
    where, params = _task_where(query)
    direction = "DESC" if query.descending else "ASC"
    order = TASK_SORTS.get(query.sort, TASK_SORTS["due"]).format(dir=direction)
    sql = f"SELECT i.id {_TASK_FROM}{where} ORDER BY {order}, i.id {direction}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in conn.execute(sql, params)]


def task_item_count(conn: sqlite3.Connection, query: TaskQuery) -> int:
    where, params = _task_where(query)
    return int(conn.execute(f"SELECT count(*) {_TASK_FROM}{where}", params).fetchone()[0])


TASK_ROW_COLUMNS = (
    "i.id AS item_id, i.task_id, i.period_label, i.due_date, i.status, i.completed_date, i.reply_number, "
    "t.ref, t.content, t.lead_unit, t.coordinating_units, t.follower, t.deadline_text, t.recurrence, "
    "t.concerns_office, t.directive_id, d.number AS directive_number, d.issuer AS directive_issuer, "
    "d.so_den, d.so_den_year, d.issued_date AS directive_date"
)


def task_item_rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    cursor = conn.execute(
        f"SELECT {TASK_ROW_COLUMNS} {_TASK_FROM} WHERE i.id IN ({', '.join('?' for _ in ids)})", ids
    )
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}
