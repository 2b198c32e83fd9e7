"""The automatic backups the app makes on its own: before an import (at most one every ten minutes), daily
after the first paint, and on exit. Restore makes its own safety backup inside the service."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parclerk.errors import ParclerkError

log = logging.getLogger(__name__)

IMPORT_EVERY = dt.timedelta(minutes=10)
_last_import_backup: dict[str, dt.datetime] = {}
_guard = threading.Lock()


def before_import(db_path: Path, *, now: dt.datetime | None = None) -> Path | None:
    """A "truoc-nhap" backup, unless one was made in the last ten minutes; returns it (None when skipped).

    Raises ParclerkError, worded for the clerk, when it cannot be made: the import is then not started."""
    from parclerk.services import backup

    now = now or dt.datetime.now()
    key = os.path.normcase(os.path.abspath(db_path))
    with _guard:
        last = _last_import_backup.get(key)
        if last is not None and now - last < IMPORT_EVERY:
            return None
        try:
            info = backup.make_backup(Path(db_path), reason="truoc-nhap", now=now)
        except ParclerkError as exc:
            raise ParclerkError(
                f"Chưa nhập gì: không tạo được bản sao lưu trước khi nhập. {exc.message}"
            ) from exc
        _last_import_backup[key] = now
    log.info("Backup before import: %s", info.path)
    return info.path


def backed_up(fn: Callable[..., Any], db_path: Path) -> Callable[..., Any]:
    """`fn(db, …)` for the runner, preceded by the backup before an import (on the worker thread)."""

    def run(db, *args: Any, **kwargs: Any) -> Any:
        before_import(db_path)
        return fn(db, *args, **kwargs)

    run.__name__ = getattr(fn, "__name__", "import")
    return run


def on_exit(db_path: Path, *, wrote: bool) -> Path | None:
    """The "khi-thoat" backup, after the app closed its connections, then the rotation.

    Skipped when nothing was written in this session and today's backup exists already: the database is
    then what that backup (or the last exit's) holds, and identical copies would push distinct ones out of
    the rotation."""
    from parclerk.services import backup

    db_path = Path(db_path)
    if not db_path.is_file():
        return None
    if not wrote and not backup.daily_backup_due(db_path):
        log.info("No change in this session: no backup on exit")
        return None
    info = backup.make_backup(db_path, reason="khi-thoat")
    backup.rotate(db_path)
    log.info("Backup on exit: %s", info.path)
    return info.path
