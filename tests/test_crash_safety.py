"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported as committed, and
leaves no damaged database and no half-written original (scripts/kill-test, which documents the checks).

The suite runs 40 kills; PARCLERK_KILLS=250 runs the full version (docs/reliability.md has its figures) and
PARCLERK_KILL_SEED repeats a run's choices (the timing of the kills cannot be repeated).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sqlite3
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest

from parclerk.data import db as dbmod

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "kill-test"

posix_only = pytest.mark.skipif(
    os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="SIGKILL exists on POSIX only"
)


def _kill_test():
    name = "parclerk_kill_test"
    if name not in sys.modules:
        loader = SourceFileLoader(name, str(SCRIPT))
        spec = importlib.util.spec_from_loader(name, loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the script is executed
        loader.exec_module(module)
    return sys.modules[name]


@posix_only
def test_a_killed_writer_loses_nothing_committed(tmp_path):
    kill_test = _kill_test()
    kills = int(os.environ.get("PARCLERK_KILLS", "40"))
    seed = os.environ.get("PARCLERK_KILL_SEED")
    folder = tmp_path / "run"
    summary = kill_test.run(folder, kills=kills, seed=int(seed) if seed else None, log=lambda _line: None)
    print(summary.report())  # shown with pytest -s or -rP
    assert summary.kills == kills
    assert summary.confirmed > 0
    assert summary.rows >= summary.confirmed
    assert summary.originals > 0
    shutil.rmtree(folder)  # hundreds of MB of originals; a failed run keeps them to look at


def _wal_frame_pages(wal: Path) -> set[int]:
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    pages, offset = set(), 32
    while offset + 24 + page_size <= len(data):
        pages.add(int.from_bytes(data[offset : offset + 4], "big"))
        offset += 24 + page_size
    return pages


def test_a_writer_killed_during_a_checkpoint_leaves_an_openable_database(tmp_path, template_db):
    """Found by the kill test: a checkpoint copies pages from the WAL into the file; killed half-way, the file
    alone is inconsistent while file + WAL are whole. Opening must read the WAL, not call the file damaged."""
    live = tmp_path / "live" / "parclerk.sqlite"
    live.parent.mkdir()
    shutil.copy(template_db, live)
    writer = sqlite3.connect(str(live))
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("VACUUM")  # every page of the database now has a newer copy in the WAL
        crashed = tmp_path / "crashed" / "parclerk.sqlite"
        crashed.parent.mkdir()
        shutil.copy(live, crashed)  # the writer is still open: its WAL is not checkpointed away
        shutil.copy(f"{live}-wal", f"{crashed}-wal")
    finally:
        writer.close()
    page_size = int.from_bytes(crashed.read_bytes()[16:18], "big")
    in_wal = _wal_frame_pages(Path(f"{crashed}-wal"))
    with crashed.open("r+b") as torn:  # the checkpoint got as far as scribbling over every page but the first
        for page in sorted(in_wal - {1}):
            torn.seek((page - 1) * page_size)
            torn.write(b"\xa5" * page_size)
    immutable = sqlite3.connect(crashed.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    with pytest.raises(sqlite3.DatabaseError):
        immutable.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()  # the file alone is damaged
    immutable.close()
    assert dbmod.inspect_file(crashed) == "current"
    dbmod.ensure_current(crashed)
    database = dbmod.open_and_migrate(crashed)
    try:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        database.close()
