"""Task tracking at 300,000 tasks: the dashboard's figures, the task list's first page, and first paint
of the Nhiệm vụ and Hôm nay views (targets: under 100 ms to first paint).

    .venv/bin/python benchmarks/tasks.py [--tasks 300000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
import time

from common import CACHE, ROOT, big_db, rss_mb

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def tasks_db(count: int):
    """The 100,000-directive demo with its tasks multiplied up to `count` (copies with shifted deadlines)."""
    path = CACHE / f"demo-100000-{count}-tasks.sqlite"
    if path.exists():
        return path
    shutil.copy(big_db(), path)
    conn = sqlite3.connect(path)
    have = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    if not have:
        raise SystemExit(f"{path}: the demo has no tasks; delete {CACHE} and run again")
    shift = 1
    with conn:
        while have < count:
            batch = min(have, count - have)
            conn.execute(
                f"""
                INSERT INTO tasks (directive_id, position, ref, content, lead_unit, coordinating_units, deadline,
                    deadline_text, concerns_office, lead_unit_id, lead_unit_fold, search_fold, follower, created_at, updated_at)
                SELECT directive_id, position + {shift}, ref, content, lead_unit, coordinating_units,
                    date(deadline, '+{shift * 3} days'), deadline_text, concerns_office, lead_unit_id, lead_unit_fold,
                    search_fold, follower, created_at, updated_at
                FROM tasks WHERE recurrence IS NULL ORDER BY id LIMIT {batch}
                """
            )
            conn.execute(
                """
                INSERT INTO task_items (task_id, period_key, due_date, due_sort, status, completed_date, created_at, updated_at)
                SELECT t.id, '', t.deadline, coalesce(t.deadline, '9999-12-31'), CASE WHEN t.id % 4 = 0 THEN 'open' ELSE 'done' END,
                       CASE WHEN t.id % 4 = 0 THEN NULL ELSE date(t.deadline, '-1 day') END, t.created_at, t.created_at
                FROM tasks t LEFT JOIN task_items i ON i.task_id = t.id WHERE i.id IS NULL
                """
            )
            have = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
            shift += 1
    conn.execute("INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')")
    conn.commit()
    conn.close()
    return path


def timed(label: str, fn, runs: int = 5):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(f"{label}: {samples[len(samples) // 2] * 1000:.1f} ms (median of {runs})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=300_000)
    args = parser.parse_args()
    path = tasks_db(args.tasks)
    from parclerk.data import db as dbmod
    from parclerk.data import tables
    from parclerk.queries import TaskQuery
    from parclerk.services import tasks

    db = dbmod.open_db(path)
    total = db.execute("SELECT count(*) FROM tasks").fetchone()[0]
    items = db.execute("SELECT count(*) FROM task_items").fetchone()[0]
    print(f"{total:,} tasks, {items:,} work items")
    today = dt.date.today()
    timed(
        "dashboard summary (bucket counts, due soon, overdue > 30 days)",
        lambda: tasks.summary(db, today=today),
    )
    timed("unit rates for this year (30% rule)", lambda: tasks.unit_rates(db, today.year, today=today))
    query = TaskQuery(today=today)
    timed(
        "task list: count + first 400 ids",
        lambda: (tables.task_item_count(db.conn, query), tables.task_item_ids(db.conn, query, limit=400)),
    )
    timed("task list: overdue filter, count + first 400", lambda: (
        tables.task_item_count(db.conn, TaskQuery(bucket="open_overdue", today=today)),
        tables.task_item_ids(db.conn, TaskQuery(bucket="open_overdue", today=today), limit=400)))  # fmt: skip
    timed("task search 'bao cao', count + first 400", lambda: (
        tables.task_item_count(db.conn, TaskQuery(text="bao cao", today=today)),
        tables.task_item_ids(db.conn, TaskQuery(text="bao cao", today=today), limit=400)))  # fmt: skip
    db.close()

    try:
        from parclerk.ui.views.dashboard import DashboardView
        from parclerk.ui.views.tasks import TasksView
    except ImportError:
        print("(the task views are not there yet: no paint figures)")
        return
    from PySide6.QtWidgets import QApplication

    from parclerk.ui.runner import ImmediateExecutor, Runner

    app = QApplication(sys.argv[:1])
    conn = dbmod.connect(path, read_only=True)
    runner = Runner(path, executor=ImmediateExecutor())
    for name, cls in (("Nhiệm vụ", TasksView), ("Hôm nay", DashboardView)):
        before = rss_mb()
        start = time.perf_counter()
        view = cls(runner, conn)
        view.resize(1366, 768)
        view.show()
        view.repaint()
        print(f"{name} view first paint: {(time.perf_counter() - start) * 1000:.1f} ms (target < 100 ms); "
              f"memory +{rss_mb() - before:.0f} MB")  # fmt: skip
        app.processEvents()


if __name__ == "__main__":
    main()
