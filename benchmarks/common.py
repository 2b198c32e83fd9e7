"""Shared helpers for the benchmark scripts (not tests: they print figures, they assert nothing)."""

from __future__ import annotations

import os
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("PARCLERK_BENCH_CACHE", "/tmp/parclerk-bench"))


def big_db(count: int = 100_000) -> Path:
    """A demo database with `count` generated directives, built once and reused (named by schema version,
    so a newer schema builds a new one)."""
    sys.path.insert(0, str(ROOT))
    from parclerk.data.migrations import KNOWN

    path = CACHE / f"demo-{count}-v{len(KNOWN)}.sqlite"
    if not path.exists():
        from parclerk.services.demo import build_demo

        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building {path} …", file=sys.stderr)
        build_demo(path, generated=count, seed=1)
    return path


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc), else the peak."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed_start(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Start `cmd` (a window that prints "painted <epoch>" and maybe "opened <epoch>", then quits) and return
    the seconds from just before the start to each mark."""
    import subprocess
    import time

    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout
    marks = dict(line.split() for line in out.splitlines() if line.startswith(("painted ", "opened ")))
    return {name: float(epoch) - start for name, epoch in marks.items()}


def startup_report(bare: list[dict[str, float]], app: list[dict[str, float]], target: float) -> str:
    """Median and fastest of timed_start's marks, parclerk's against the bare window's paint. On a shared machine
    the medians wander by tens of milliseconds between rounds; the fastest runs are steadier."""
    b = [run["painted"] for run in bare]
    lines = [
        f"bare PySide6 window painted:       median {median_ms(b):6.1f} ms, fastest {min(b) * 1000:6.1f} ms"
    ]
    for mark, label in (
        ("painted", "parclerk main window painted:   "),
        ("opened", "  and its opening view (Hôm nay):"),
    ):
        a = [run[mark] for run in app]
        lines.append(
            f"{label} median {median_ms(a):6.1f} ms, fastest {min(a) * 1000:6.1f} ms;  ratio "
            f"{median_ms(a) / median_ms(b):.2f}x (median), {min(a) / min(b):.2f}x (fastest)"
        )
    lines.append(f"({len(bare)} runs each, interleaved; target for the main window <= {target}x)")
    return "\n".join(lines)
