"""A 300-item criteria set: scoring one item and seeing the tree and totals again (the round trip a clerk
waits for after each score), the lost-points and year-over-year views, and the Excel export.

    .venv/bin/python benchmarks/assessment.py [--items 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def big_set(items: int, year: int):
    """8 fields, each with criteria of 4-6 sub-criteria, to about `items` rows; options on every leaf."""
    from parclerk.criteria import CriteriaSet, Criterion, parse_rule

    rows: list[Criterion] = []
    per_field = items // 8
    for f in range(1, 9):
        leaves = []
        criterion = 0
        while len(leaves) + criterion < per_field - 1:
            criterion += 1
            for s in range(1, 5):
                leaves.append((f"{f}.{criterion}.{s}", 25))
        field_max = sum(points for _code, points in leaves)
        rows.append(Criterion(str(f), f"Lĩnh vực {f}", field_max))
        for c in range(1, criterion + 1):
            rows.append(Criterion(f"{f}.{c}", f"Tiêu chí {f}.{c}", 100))
            for s in range(1, 5):
                rule = parse_rule("Đạt: 0,25; Đạt một phần: 0,1; Không đạt: 0", 25)
                rows.append(Criterion(f"{f}.{c}.{s}", f"Tiêu chí thành phần {f}.{c}.{s}", 25, rule))
    return CriteriaSet("Bộ chỉ số thử", year, "xa", "", tuple(rows))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    from parclerk.data.db import open_and_migrate
    from parclerk.excel.assessment_export import export_assessment_xlsx
    from parclerk.services import assessment

    folder = Path(tempfile.mkdtemp(prefix="parclerk-bench-assessment-"))
    db = open_and_migrate(folder / "a.sqlite")
    last = assessment.import_set(db, big_set(args.items, 2025))
    for c in assessment.assessment_set(db, last.assessment_id).leaves():
        assessment.set_score(db, last.assessment_id, c.code, "0,1")
        assessment.add_evidence(db, last.assessment_id, c.code, description=f"Báo cáo {c.code}")
    this = assessment.import_set(db, big_set(args.items, 2026))
    leaves = assessment.assessment_set(db, this.assessment_id).leaves()
    print(
        f"{len(assessment.assessment_set(db, this.assessment_id).criteria)} items, {len(leaves)} scored leaves"
    )

    from PySide6.QtWidgets import QApplication, QTreeView

    from parclerk.ui.models.assessment_tree import AssessmentTreeModel

    app = QApplication.instance() or QApplication([])
    model = AssessmentTreeModel()
    tree = QTreeView()
    tree.setModel(model)
    tree.resize(1000, 700)
    tree.show()
    rounds = []
    for leaf in leaves[:40]:
        start = time.perf_counter()
        assessment.set_score(db, this.assessment_id, leaf.code, "0,25")
        view = assessment.view_assessment(db, this.assessment_id)
        model.set_rows(view.rows)
        tree.expandAll()
        app.processEvents()
        rounds.append((time.perf_counter() - start) * 1000)
    print(f"score one item, reload tree and totals, repaint: median {statistics.median(rounds):.1f} ms, "
          f"max {max(rounds):.1f} ms")  # fmt: skip
    for name, fn in (
        ("lost points", lambda: assessment.lost_points(db, this.assessment_id)),
        ("year over year", lambda: assessment.compare_years(db, this.assessment_id)),
        ("Excel export", lambda: export_assessment_xlsx(db, last.assessment_id, folder / "a.xlsx")),
    ):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name}: median {statistics.median(times):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
