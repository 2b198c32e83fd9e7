"""Opening the store: connection policy, schema checks and migrations.

Every connection gets foreign keys on, WAL, synchronous=FULL (a committed register entry survives a
power cut) and a busy timeout. A database on a network drive or in a synced folder (`lock.storage_warning`)
gets the rollback journal instead of WAL: WAL needs shared memory those file systems do not give. The UI
thread reads through a plain sqlite3 connection (`connect`); the services write through a sqlite-utils
`Database` (`open_db`), imported only when first needed so the main window paints without paying for it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import paths
from parclerk.data import lock, migrations
from parclerk.errors import DatabaseFileError, from_sqlite

if TYPE_CHECKING:
    from sqlite_utils import Database

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)
_WAL = "PRAGMA journal_mode = WAL"
_NETWORK_JOURNAL = "PRAGMA journal_mode = DELETE"
_journal_pragma: dict[str, str] = {}  # by path: the storage check reads /proc/mounts, once per path

FTS5_MISSING = (
    "Bản SQLite đi kèm Python trên máy này không có FTS5 (tìm kiếm toàn văn), nên parclerk không chạy được. "
    "Hãy dùng bản parclerk đóng gói sẵn hoặc Python tải từ python.org."
)


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with the app's pragmas. `read_only` ones refuse writes (the UI's reads).

    Only for files already accepted by `inspect_file`: the pragmas switch the file to WAL (or, on a network or
    synced folder, out of it).
    """
    conn = sqlite3.connect(str(path), isolation_level=None if read_only else "", check_same_thread=True)
    try:
        for pragma in PRAGMAS:
            conn.execute(journal_pragma(path) if pragma == _WAL else pragma)
        if read_only:
            conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _explain(exc, path) from None
    return conn


def journal_pragma(path: Path | str) -> str:
    """WAL, or the rollback journal for a database on a network or synced folder (checked once per path)."""
    key = str(path)
    pragma = _journal_pragma.get(key)
    if pragma is None:
        pragma = _WAL if lock.storage_warning(key) is None else _NETWORK_JOURNAL
        _journal_pragma[key] = pragma
    return pragma


def inspect_file(path: Path | str) -> str:
    """'new', 'current' or 'pending', looking at the file read-only and changing nothing in it; raise
    DatabaseFileError for a file parclerk must not touch (not SQLite, not ours, from a newer version)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return "new"
    try:
        conn = _inspection_connection(path)
    except sqlite3.DatabaseError as exc:
        raise _explain(exc, path) from None
    try:
        check_fts5(conn)
        return schema_status(conn)
    except sqlite3.DatabaseError as exc:
        raise _explain(exc, path) from None
    finally:
        conn.close()


def _inspection_connection(path: Path) -> sqlite3.Connection:
    """A read-only look at the file. Without a -wal beside it: immutable (no locks, no -wal/-shm made). With
    one, the WAL is read too: a writer killed while copying the WAL into the file (a checkpoint) leaves a file
    that is only consistent together with its WAL (the kill test found this). Read-only connections never
    write the file or the WAL; SQLite may make the -shm index. Where it cannot (a read-only folder) the
    immutable look is used, which is safe: open_and_migrate checks again on its own connection."""
    uri = path.resolve().as_uri()
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (
                sqlite3.SQLITE_CANTOPEN,
                sqlite3.SQLITE_READONLY,
            ):
                raise
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)


def open_db(path: Path | str) -> Database:
    """A sqlite-utils Database for the services (one per thread)."""
    from sqlite_utils import Database

    return Database(connect(path), execute_plugins=False)


def memory_db() -> Database:
    from sqlite_utils import Database

    db = Database(memory=True, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def check_fts5(conn: sqlite3.Connection) -> None:
    if not conn.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0]:
        raise DatabaseFileError(FTS5_MISSING)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the parclerk migrations recorded in this file ([] for a new file)."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not has_table:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [migrations.MIGRATION_SET],
    )
    return [name for (name,) in rows]


def schema_status(conn: sqlite3.Connection) -> str:
    """'current', 'pending' (new or older file), or raise DatabaseFileError for files we must not touch."""
    applied = applied_migrations(conn)
    unknown = set(applied) - set(migrations.KNOWN)
    if unknown:
        raise DatabaseFileError(
            "Tệp dữ liệu này do một phiên bản parclerk mới hơn tạo ra. Hãy cập nhật parclerk để mở nó; "
            "tệp không bị thay đổi."
        )
    if not applied:
        user_tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if user_tables:
            raise DatabaseFileError(
                "Tệp đã chọn là cơ sở dữ liệu SQLite nhưng không phải của parclerk; tệp không bị thay đổi."
            )
    return "current" if applied == migrations.KNOWN else "pending"


def backup_copy(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    """A consistent copy through SQLite's backup API (never a file copy of a live WAL database)."""
    folder = paths.backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def ensure_current(path: Path | str) -> None:
    """Check the file and bring its schema up to date; cheap (no sqlite-utils import) when nothing is pending."""
    if inspect_file(path) != "current":
        open_and_migrate(path).close()


def open_and_migrate(path: Path | str) -> Database:
    """Open the file for writing, refusing what we do not understand, and apply pending migrations.

    An existing database is backed up first; each migration runs atomically with its record.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    inspect_file(path)
    db = open_db(path)
    try:
        check_fts5(db.conn)
        status = schema_status(db.conn)
        if status == "pending":
            if applied_migrations(db.conn):
                backup_copy(db.conn, path, "truoc-nang-cap")
            migrations.build().apply(db)
            db.execute(f"PRAGMA user_version = {len(migrations.KNOWN)}")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _explain(exc, path) from None
    except BaseException:
        db.close()
        raise
    return db


def _explain(exc: sqlite3.DatabaseError, path: Path | str) -> Exception:
    known = from_sqlite(exc)
    if isinstance(known, DatabaseFileError):
        return known
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseFileError(
            f"Tệp “{path}” không phải là cơ sở dữ liệu parclerk hoặc đã bị hỏng; tệp không bị thay đổi."
        )
    return known
