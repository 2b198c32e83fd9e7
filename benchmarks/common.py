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
