"""Collecting the units' self-assessments: packages of a 300-item set from N units (a province's communes and
sở), the preview, the import, the consolidation and the three outputs (chart, Excel, Word); and, apart, the
issue's end-to-end trial: twenty demo unit databases exported and imported into one collecting database.

    .venv/bin/python benchmarks/collection.py [--units 150] [--demo-units 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from assessment import big_set
from common import ROOT

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<46} {1000 * (time.perf_counter() - start):8.0f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--demo-units", type=int, default=20)
    args = parser.parse_args()

    from parclerk.data.db import open_and_migrate
    from parclerk.excel.ranking_export import export_ranking_xlsx
    from parclerk.models import OfficeProfile
    from parclerk.services import assessment, ranking, submissions
    from parclerk.services.demo import build_demo

    year = dt.date.today().year
    folder = Path(tempfile.mkdtemp(prefix="parclerk-collection-"))
    criteria_set = big_set(300, year)
    db = open_and_migrate(folder / "office.sqlite")
    assessment.save_set(db, criteria_set)
    from parclerk.services.settings import save_profile

    save_profile(db, OfficeProfile(unit_name="Sở Nội vụ tỉnh Quảng Ngãi", level="so", place_name="Quảng Ngãi",
                                   signer_name="Nguyễn Văn An", signer_title="Giám đốc"))  # fmt: skip
    rng = random.Random(7)
    leaves = [c for c in criteria_set.leaves() if not c.survey]

    def write_packages() -> list[Path]:
        files = []
        for n in range(1, args.units + 1):
            strength = rng.uniform(0.4, 0.95)
            scores = {c.code: c.maximum if rng.random() < strength else 0 for c in leaves}
            profile = OfficeProfile(
                unit_name=f"Ủy ban nhân dân xã Thử {n}", level=criteria_set.level, place_name="X"
            )
            out = folder / f"p{n:03d}.zip"
            submissions.write_demo_package(out, criteria_set, profile, year=year, scores=scores, source=f"s{n}",
                                           exported_at=f"{year}-11-20T09:00:00")  # fmt: skip
            files.append(out)
        return files

    print(f"{args.units} units, a {len(criteria_set.criteria)}-item set ({len(leaves)} scored leaves)")
    files = timed(f"write {args.units} packages", write_packages)
    size = sum(f.stat().st_size for f in files) / len(files) / 1024
    print(f"{'  package size (mean)':<46} {size:8.1f} KB")
    timed("preview (dry run)", lambda: submissions.preview_import(db, files))
    outcome = timed(
        "import (preview + store, one transaction)", lambda: submissions.import_submissions(db, files)
    )
    assert outcome.imported == args.units
    consolidation = timed("consolidate", lambda: ranking.consolidate(db, year))
    from parclerk.reports.chart import Bar, bar_chart_pages

    bars = [Bar(r.name, r.index_percent, r.classification) for r in consolidation.groups[0].results]
    timed("bar chart PNGs", lambda: bar_chart_pages(bars, title="Chỉ số CCHC"))
    timed("ranking .xlsx", lambda: export_ranking_xlsx(consolidation, folder / "xep-hang.xlsx"))
    timed("ranking .docx (consolidate + chart + Word)",
          lambda: ranking.write_ranking_report(db, year, folder / "xep-hang.docx"))  # fmt: skip
    db.close()

    if args.demo_units:
        trial = folder / "trial"

        def demo_trial() -> int:
            packages = []
            for n in range(1, args.demo_units + 1):
                unit_db = trial / f"u{n}.sqlite"
                build_demo(unit_db, generated=0, seed=n, unit=f"Xã Thử {n}")
                from parclerk.data.db import open_db

                udb = open_db(unit_db)
                packages.append(submissions.export_submission(udb, year, trial / f"u{n}.zip").path)
                udb.close()
            office = trial / "office.sqlite"
            build_demo(office, generated=0, seed=99)
            from parclerk.data.db import open_db

            odb = open_db(office)
            imported = submissions.import_submissions(odb, packages).imported
            odb.close()
            return imported

        imported = timed(f"{args.demo_units} demo unit DBs → export → import", demo_trial)
        print(f"{'  imported':<46} {imported:8d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
