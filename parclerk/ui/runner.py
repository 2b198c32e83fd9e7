"""Runs service calls off the UI thread and hands results back to it.

One worker thread owns the only writing connection, so writes are serialised. `run_op` is for writes
(its result's Changes are broadcast); `run_query` for reads. Known errors become Vietnamese message
boxes, anything else an error report. Tests pass an executor that runs work at once on the calling
thread, so nothing sleeps or polls.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from parclerk.errors import ParclerkError, ValidationError, from_sqlite

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future


def _alive(widget: QObject) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


class ImmediateExecutor:
    """Runs each job at once on the calling thread (tests): the Executor methods the runner uses."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


class Runner(QObject):
    changed = Signal(object)  # Changes
    _done = Signal(object, object)  # (future, deliver callback)

    def __init__(self, db_path: Path, executor: Executor | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._executor_given = executor
        self._local = threading.local()
        self._connections: list[Any] = []
        self._done.connect(self._deliver)  # queued when the worker emits: delivered on the UI thread

    @property
    def _executor(self) -> Executor:
        """The single worker thread, started on first use (after the first paint)."""
        if self._executor_given is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor_given = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parclerk-db")
        return self._executor_given

    def _db(self):
        """The worker thread's own sqlite-utils Database, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            from parclerk.data.db import open_db

            db = self._local.db = open_db(self.db_path)
            self._connections.append(db)
        return db

    def warm_up(self) -> None:
        """Open the worker's connection (and import sqlite-utils) in the background, after first paint."""
        self._executor.submit(self._db)

    def _entry(broadcast: bool, with_db: bool, doc: str):  # noqa: N805 - builds the three methods below
        def run(
            self,
            parent: QWidget | None,
            fn: Callable[..., Any],
            *args: Any,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[ParclerkError], bool] | None = None,
            label: str | None = None,
            **kwargs: Any,
        ) -> None:
            self._submit(
                parent, fn, args, kwargs, on_done, on_error, label, broadcast=broadcast, with_db=with_db
            )

        run.__doc__ = doc
        return run

    run_query = _entry(False, True, "A read: fn(db, *args) on the worker; on_done gets its result.")
    run_op = _entry(True, True, "A write: fn(db, *args) on the worker; the result's Changes are broadcast.")
    run_job = _entry(
        False, False, "Work that needs no database (reading and parsing a file), off the UI thread."
    )
    del _entry

    def _submit(
        self, parent, fn, args, kwargs, on_done, on_error, label, *, broadcast: bool, with_db: bool = True
    ) -> None:
        progress = None
        if label and parent is not None:
            progress = QProgressDialog(label, "", 0, 0, parent)
            progress.setCancelButton(None)
            progress.setWindowTitle("parclerk")
            progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)

        def deliver(future: Future) -> None:
            if parent is not None and not _alive(parent):
                return  # the widget that asked is gone, with its progress dialog (a view rebuilt by a restore)
            if progress is not None:
                progress.close()
                progress.deleteLater()
            exc = future.exception()
            if exc is None:
                result = future.result()
                if broadcast:
                    from parclerk.queries import Changes  # not at import: the window paints without it

                    changes = result if isinstance(result, Changes) else getattr(result, "changes", None)
                    if changes:
                        self.changed.emit(changes)
                if on_done is not None:
                    on_done(result)
                return
            self._report(parent, exc, on_error)

        future = self._executor.submit(
            lambda: fn(self._db(), *args, **kwargs) if with_db else fn(*args, **kwargs)
        )
        future.add_done_callback(lambda f: self._done.emit(f, deliver))

    def _deliver(self, future: Future, deliver: Callable[[Future], None]) -> None:
        deliver(future)

    def _report(self, parent, exc: BaseException, on_error) -> None:
        from parclerk.ui.dialogs import messages

        if isinstance(exc, sqlite3.Error):
            mapped = from_sqlite(exc)
            if isinstance(mapped, ParclerkError):
                exc = mapped
        if isinstance(exc, ParclerkError):
            if on_error is not None and on_error(exc):
                return
            title = "Dữ liệu chưa hợp lệ" if isinstance(exc, ValidationError) else "Không thực hiện được"
            messages.error(parent, title, exc.message)
            return
        import logging

        logging.getLogger(__name__).error("Unexpected error in a background job", exc_info=exc)
        messages.bug_report(parent, exc)

    def close_connections(self) -> None:
        """Wait for the work queued so far, then close the worker's connection on its own thread (a restore
        replaces the file); the next job opens a new one."""

        def close() -> None:
            db = getattr(self._local, "db", None)
            self._local.db = None
            if db is not None:
                if db in self._connections:
                    self._connections.remove(db)
                db.close()

        self._executor.submit(close).result()

    def shutdown(self) -> None:
        if self._executor_given is not None:
            try:
                self.close_connections()  # on the worker's thread, where it was opened
            except Exception:  # noqa: BLE001 - shut down already, or closing at exit: nothing left to save
                pass
            self._executor_given.shutdown(wait=True)
        for db in self._connections:
            try:
                db.close()
            except Exception:  # noqa: BLE001 - closing at exit, nothing left to save
                pass
        self._connections.clear()
