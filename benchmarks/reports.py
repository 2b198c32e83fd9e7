"""The year's periodic CCHC report over the 100,000-directive demo (its tasks included): figures, the Word
file, and the self-assessment report. Target: a year's report over 5,000 tasks in under 2 s.

    .venv/bin/python benchmarks/reports.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, big_db

sys.path.insert(0, str(ROOT))


def main() -> int:
    from parclerk.data.db import open_and_migrate
    from parclerk.reports.periodic import periodic_figures
    from parclerk.services import reports

    folder = Path(tempfile.mkdtemp(prefix="parclerk-bench-reports-"))
    path = folder / "demo.sqlite"
    shutil.copy(big_db(), path)
    db = open_and_migrate(path)
    year = db.execute("SELECT max(so_den_year) FROM directives").fetchone()[0]
    for key in (f"{year - 1}", f"{year - 1}-Q1"):
        period = reports.periodic_period(db, key)
        tasks = db.execute(
            "SELECT count(*) FROM task_items WHERE scope = 2 AND due_date BETWEEN ? AND ?",
            [period.start.isoformat(), period.end.isoformat()],
        ).fetchone()[0]
        figures, whole = [], []
        for run in range(5):
            start = time.perf_counter()
            periodic_figures(db, period)
            figures.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            draft = reports.load_draft(db, "periodic", key)
            reports.write_report(db, draft, folder / f"report-{run}.docx")
            whole.append((time.perf_counter() - start) * 1000)
        print(f"{period.label}: {tasks} work items due in the period; figures median {statistics.median(figures):.0f} ms; "
              f"figures + Word file median {statistics.median(whole):.0f} ms (first {whole[0]:.0f} ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
