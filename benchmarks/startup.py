"""Start-up to the painted main window: parclerk on a 100,000-directive database against a bare PySide6
window started in the same run. Each is a fresh process; the shell-side start time is taken just
before the process starts and the child prints the time it painted. Median of N interleaved runs.

    .venv/bin/python benchmarks/startup.py [--runs 11] [--count 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, big_db, median_ms

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


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout
    painted = float(next(line for line in out.splitlines() if line.startswith("painted")).split()[1])
    return painted - start


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
    run(bare_cmd, env), run(app_cmd, env)  # warm the page cache
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(run(bare_cmd, env))
        app.append(run(app_cmd, env))
    b, a = median_ms(bare), median_ms(app)
    print(f"bare PySide6 window painted: {b:7.1f} ms (median of {args.runs})")
    print(f"parclerk main window ({args.count:,} directives): {a:7.1f} ms")
    print(f"ratio: {a / b:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
