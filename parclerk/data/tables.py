"""Read-only queries for the big register table: ordered ids for a filter, then rows in pages.

Qt table models call these straight on the UI thread's read connection (the one sanctioned shortcut
past the services). Sorting and filtering happen in SQL; user text is only ever a parameter; sort
columns come from the SORTS whitelist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from typing import Any

from parclerk import vntext
from parclerk.queries import DirectiveQuery, TaskQuery

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
    # due_sort is the due date, or '9999-12-31' for none: "by deadline, undated last" walks an index.
    "due": "i.due_sort {dir}",
    "ref": "t.ref {dir}",
    "content": "t.content {dir}",
    "lead_unit": "t.lead_unit_fold {dir}",
    "status": "i.status {dir}, i.due_sort {dir}",
    "directive": "d.so_den_year {dir}, d.so_den {dir}",
    "completed": "i.completed_date {dir}",
    "coordinating": "t.coordinating_units {dir}",
    "period": "i.period_key {dir}",
    "follower": "t.follower {dir}",
}
_TASK_FROM = (
    "FROM task_items i JOIN tasks t ON t.id = i.task_id LEFT JOIN directives d ON d.id = t.directive_id"
)
# Filters and orders that need only the work items skip the joins: 300,000 tasks stay fast.
_ITEM_ONLY_SORTS = {"due", "status", "completed", "period"}

BUCKET_SQL = {
    "done_on_time": "i.status = 'done' AND i.late = 0",
    "done_late": "i.status = 'done' AND i.late = 1",
    "open_in_time": "i.status = 'open' AND i.due_sort >= :today AND i.due_sort < '9999-12-31'",
    "open_overdue": "i.status = 'open' AND i.due_sort < :today",
    "no_deadline": "i.status = 'open' AND i.due_sort = '9999-12-31'",
}


def _task_where(query: TaskQuery) -> tuple[str, dict[str, Any]]:
    today = (query.today or dt.date.today()).isoformat()
    # scope: 0 hidden (task or directive cancelled), 1 someone else's, 2 this office's (migration m0003).
    clauses = ["i.scope = 2" if query.own_only else "i.scope >= 1"]
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
        clauses.append("i.due_sort >= :due_from")
        params["due_from"] = query.due_from.isoformat()
    if query.due_to:
        clauses.append("i.due_sort <= :due_to")
        params["due_to"] = query.due_to.isoformat()
    if query.directive_id is not None:
        clauses.append("t.directive_id = :directive_id")
        params["directive_id"] = query.directive_id
    if query.follower:
        clauses.append("t.follower = :follower")
        params["follower"] = query.follower
    if query.open_only:
        clauses.append("i.status = 'open'")
    return " WHERE " + " AND ".join(clauses), params


def _from(where: str, sort: str | None = None) -> str:
    """The work items alone when nothing asked for needs their task or directive."""
    if "t." in where or (sort is not None and sort not in _ITEM_ONLY_SORTS):
        return _TASK_FROM
    return "FROM task_items i"


def task_item_ids(conn: sqlite3.Connection, query: TaskQuery, *, limit: int | None = None) -> list[int]:
    where, params = _task_where(query)
    direction = "DESC" if query.descending else "ASC"
    sort = query.sort if query.sort in TASK_SORTS else "due"
    order = TASK_SORTS[sort].format(dir=direction)
    sql = f"SELECT i.id {_from(where, sort)}{where} ORDER BY {order}, i.id {direction}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in conn.execute(sql, params)]


def task_item_count(conn: sqlite3.Connection, query: TaskQuery) -> int:
    where, params = _task_where(query)
    return int(conn.execute(f"SELECT count(*) {_from(where)}{where}", params).fetchone()[0])


def task_bucket_counts(conn: sqlite3.Connection, query: TaskQuery) -> dict[str, int]:
    """The five bucket counts; with no filter but the scope each is one index range."""
    return {name: task_item_count(conn, dataclasses.replace(query, bucket=name)) for name in BUCKET_SQL}


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


def task_item_tally(
    conn: sqlite3.Connection, query: TaskQuery, *, soon_days: int = 3
) -> tuple[int, int, int]:
    """(matches, overdue among them, due within `soon_days` among them) in one pass, for a status line."""
    where, params = _task_where(query)
    today = query.today or dt.date.today()
    params = {**params, "soon": (today + dt.timedelta(days=soon_days)).isoformat()}
    overdue = BUCKET_SQL["open_overdue"]
    soon = f"{BUCKET_SQL['open_in_time']} AND i.due_sort <= :soon"
    row = conn.execute(
        f"SELECT count(*), coalesce(sum({overdue}), 0), coalesce(sum({soon}), 0) {_from(where)}{where}",
        params,
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def task_units(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(folded key, display name) of every lead unit tasks name, in Vietnamese order: a unit in the list of
    units shows its own name, free text the first spelling found."""
    rows = conn.execute(
        """
        SELECT f.fold, coalesce(u.name, (SELECT lead_unit FROM tasks WHERE lead_unit_fold = f.fold LIMIT 1))
        FROM (SELECT DISTINCT lead_unit_fold AS fold FROM tasks WHERE lead_unit_fold != '') AS f
        LEFT JOIN units u ON u.name_fold = f.fold
        """
    ).fetchall()
    return sorted(((fold, name) for fold, name in rows), key=lambda pair: vntext.sort_key(pair[1]))


def task_followers(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT DISTINCT follower FROM tasks WHERE follower != ''").fetchall()
    return sorted((name for (name,) in rows), key=vntext.sort_key)


def task_due_years(conn: sqlite3.Connection) -> list[int]:
    """Every year from the latest work item's due date back to the earliest (two index lookups)."""
    first, last = conn.execute("SELECT min(due_date), max(due_date) FROM task_items").fetchone()
    if not first:
        return []
    return list(range(int(last[:4]), int(first[:4]) - 1, -1))
