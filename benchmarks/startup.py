"""Start-up to the painted main window: parclerk on a 100,000-directive database against a bare PySide6
window started in the same run. Each is a fresh process; the shell-side start time is taken just
before the process starts and the child prints the time it painted. Median of N interleaved runs.

    .venv/bin/python benchmarks/startup.py [--runs 11] [--count 100000]
"""

from __future__ import annotations

import argparse
import os
import sys

from common import big_db, startup_report, timed_start

BARE = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("Xin chào")); w.resize(1366, 768); w.show()
def done():
    w.repaint(); print(f"painted {time.time():.6f}", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    db = big_db(args.count)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        PARCLERK_QUIT_AFTER_PAINT="1",
    )
    # An installed app (wheel or bundle) runs from compiled bytecode; let the warm-up runs write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-m", "parclerk", "--db", str(db)]
    timed_start(bare_cmd, env), timed_start(app_cmd, env)  # warm the page cache
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(timed_start(bare_cmd, env))
        app.append(timed_start(app_cmd, env))
    print(f"{args.count:,} directives")
    print(startup_report(bare, app, target=1.5))


if __name__ == "__main__":
    main()
