"""The register with 100,000 directives: first paint of the register view, memory growth, search latency
against the raw FTS5 query, sorting and scrolling.

    .venv/bin/python benchmarks/register.py [--count 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from common import ROOT, big_db, median_ms, rss_mb

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QUERIES = [
    "cai cach hanh chinh",
    "dang van minh",
    "107/UBND-NC",
    "qd",
    "so noi vu",
    "chuyen doi so",
    "par index",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    db_path = big_db(args.count)

    from PySide6.QtWidgets import QApplication

    from parclerk import vntext
    from parclerk.data import db as dbmod
    from parclerk.data import tables
    from parclerk.queries import DirectiveQuery
    from parclerk.ui.runner import ImmediateExecutor, Runner
    from parclerk.ui.views.register import RegisterView

    app = QApplication(sys.argv[:1])
    conn = dbmod.connect(db_path, read_only=True)
    conn.execute("SELECT count(*) FROM directives").fetchone()  # open the file, as the app has at this point
    before = rss_mb()
    start = time.perf_counter()
    view = RegisterView(Runner(db_path, executor=ImmediateExecutor()), conn)
    view.resize(1366, 768)
    view.show()
    view.repaint()
    first_paint = time.perf_counter() - start
    app.processEvents()
    after = rss_mb()
    print(
        f"register first paint ({view.model.rowCount():,} rows): {first_paint * 1000:.1f} ms (target < 100 ms)"
    )
    print(
        f"memory: {before:.0f} MB before the view, {after:.0f} MB after, growth {after - before:.1f} MB (target < 80 MB)"
    )

    start = time.perf_counter()
    view.load_filter_choices()
    print(
        f"filter lists (years, issuers, types) after first paint: {(time.perf_counter() - start) * 1000:.1f} ms"
    )

    for label, query in [("search (ids in register order)", None), ("raw FTS5 MATCH", "raw")]:
        samples = []
        for text in QUERIES:
            for _ in range(20 // len(QUERIES) + 1):
                t = time.perf_counter()
                if query == "raw":
                    conn.execute(
                        "SELECT rowid FROM directives_fts WHERE directives_fts MATCH ?",
                        [vntext.fts_query(text)],
                    ).fetchall()
                else:
                    tables.directive_ids(conn, DirectiveQuery(text=text))
                samples.append(time.perf_counter() - t)
        print(f"{label}: median {median_ms(samples):.2f} ms over {len(samples)} runs (target < 30 ms)")

    samples = []
    for text in QUERIES[:3]:
        view.search.setText(text)
        t = time.perf_counter()
        view.apply_filters()
        view.repaint()
        samples.append(time.perf_counter() - t)
    print(f"search typed in the view to repaint: median {median_ms(samples):.1f} ms")
    view.search.setText("")
    view.apply_filters()

    for sort in ("subject", "issuer", "deadline", "so_den"):
        t = time.perf_counter()
        view.model.set_query(DirectiveQuery(sort=sort, descending=False))
        view.repaint()
        print(f"sort by {sort}: {(time.perf_counter() - t) * 1000:.1f} ms")

    t = time.perf_counter()
    view.table.scrollToBottom()
    view.repaint()
    print(f"scroll to the last row: {(time.perf_counter() - t) * 1000:.1f} ms; RSS now {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
