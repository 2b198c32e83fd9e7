"""One writer at a time, and a warning for folders where SQLite's own locking cannot be trusted.

`acquire` takes an exclusive operating-system lock on `<database>.lock` beside the database and holds it for
the app's life (fcntl.flock on POSIX, msvcrt.locking on Windows). The file records who holds it (host, user,
pid, start time) so a second instance can tell the clerk which machine has the database open. The lock itself
is the kernel's, not the file's: it vanishes when the holding process ends, even when it is killed or the
machine loses power, so a lock file left behind is simply locked again (stale locks need no clean-up).

`storage_warning` says when the database sits on a network drive or in a synced folder (OneDrive, Dropbox,
Google Drive, iCloud): SQLite's locks are unreliable there and WAL needs shared memory those file systems do
not give, so `db.connect` uses the rollback journal instead and the app shows the warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import ntpath
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from parclerk.errors import ParclerkError

LOCK_SUFFIX = ".lock"
# Windows locks a byte range, and a locked range cannot be read by others: lock one byte far past the JSON so
# a refused instance can still read who holds the database.
_WINDOWS_LOCK_OFFSET = 1 << 30
_MAX_INFO = 4096

_held: dict[str, DatabaseLock] = {}  # lock files this process holds, by normalised path
_held_guard = threading.Lock()


class LockedError(ParclerkError):
    """The database is open in another parclerk (or in this one already). `holder` is what the lock file says:
    {host, user, pid, started}, possibly empty when it could not be read."""

    def __init__(self, message: str, holder: dict[str, Any]):
        super().__init__(message)
        self.holder = holder


def lock_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


class DatabaseLock:
    """An exclusive lock on one database, held until `release()` (or the end of a `with` block, or the
    process)."""

    def __init__(self, db_path: Path, path: Path, fd: int, key: str, holder: dict[str, Any]):
        self.db_path = db_path
        self.path = path
        self.holder = holder
        self._fd: int | None = fd
        self._key = key

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up. The lock file stays (removing it would race with a new holder); it is emptied
        first, so what is left says nobody holds it. Calling it twice does nothing."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with _held_guard:
            if _held.get(self._key) is self:
                del _held[self._key]
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"DatabaseLock({str(self.path)!r}, held={self.held})"


def acquire(db_path: Path) -> DatabaseLock:
    """Lock `db_path` for this process; raise LockedError (saying who holds it) when another parclerk, or this
    one, has it open already. ParclerkError when the lock file cannot be created (read-only folder)."""
    db_path = Path(db_path)
    path = lock_path(db_path)
    key = os.path.normcase(os.path.abspath(path))
    with _held_guard:
        mine = _held.get(key)
        if mine is not None and mine.held:
            raise LockedError(_locked_message(db_path, mine.holder, same_process=True), dict(mine.holder))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            raise ParclerkError(
                f"Không tạo được tệp khóa “{path}” bên cạnh cơ sở dữ liệu ({exc.strerror or exc}). "
                "Hãy kiểm tra quyền ghi vào thư mục chứa cơ sở dữ liệu."
            ) from exc
        try:
            if not _try_lock(fd):
                holder = _read_holder(fd)
                raise LockedError(_locked_message(db_path, holder, same_process=False), holder)
            holder = _me()
            _write_holder(fd, holder)
        except BaseException:
            os.close(fd)
            raise
        lock = DatabaseLock(db_path, path, fd, key, holder)
        _held[key] = lock
        return lock


def read_holder(db_path: Path) -> dict[str, Any]:
    """What the lock file of `db_path` says about its holder ({} when there is none or it cannot be read).
    Only a hint: the file of a crashed process still names it."""
    try:
        with open(lock_path(db_path), "rb") as handle:
            return _parse_holder(handle.read(_MAX_INFO))
    except OSError:
        return {}


# ---------------------------------------------------------------------------------------------- OS locks


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks (some network mounts): report, do not pretend
        raise ParclerkError(
            f"Không khóa được cơ sở dữ liệu ({exc.strerror or exc}); thư mục này có thể là thư mục mạng. "
            "Hãy chép cơ sở dữ liệu về ổ đĩa của máy này."
        ) from exc
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _hostname() -> str:
    """This computer's name: on POSIX os.uname(), which is what socket.gethostname() reads, without importing
    socket (3 ms of start-up); on Windows socket.gethostname()."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _me() -> dict[str, Any]:
    import getpass

    try:
        user = getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        user = ""
    return {
        "host": _hostname(),
        "user": user,
        "pid": os.getpid(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }


def _write_holder(fd: int, holder: dict[str, Any]) -> None:
    data = json.dumps(holder, ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return _parse_holder(os.read(fd, _MAX_INFO))
    except OSError:
        return {}


def _parse_holder(data: bytes) -> dict[str, Any]:
    try:
        holder = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):  # empty, or being written this very moment
        return {}
    return holder if isinstance(holder, dict) else {}


def _locked_message(db_path: Path, holder: dict[str, Any], *, same_process: bool) -> str:
    if same_process:
        return (
            f"Cơ sở dữ liệu “{db_path}” đang được mở trong chính cửa sổ parclerk này. "
            "Một cơ sở dữ liệu không thể được mở hai lần cùng lúc."
        )
    who = []
    if holder.get("host"):
        who.append(f"máy “{holder['host']}”")
    if holder.get("user"):
        who.append(f"người dùng “{holder['user']}”")
    started = _started_text(holder.get("started"))
    if started:
        who.append(f"từ lúc {started}")
    by = f" ({', '.join(who)})" if who else ""
    return (
        f"Cơ sở dữ liệu “{db_path}” đang được mở trong một cửa sổ parclerk khác{by}. "
        "Một cơ sở dữ liệu không thể được mở hai lần cùng lúc: hãy dùng cửa sổ đang mở, hoặc đóng nó rồi thử lại."
    )


def _started_text(value: object) -> str:
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return ""


# ---------------------------------------------------------------------------------------------- storage


DRIVE_REMOTE = 4  # GetDriveTypeW
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.google-drive-ocamlfuse",
    }
)
# Folder names (case-folded) of the sync clients; "OneDrive - Tên cơ quan" and "Dropbox (Personal)" too.
_SYNCED_PREFIXES = {"onedrive": "OneDrive", "dropbox": "Dropbox"}
_SYNCED_NAMES = {
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "drive của tôi": "Google Drive",
    "icloud drive": "iCloud",
    "iclouddrive": "iCloud",
    "com~apple~clouddocs": "iCloud",
}
_DRIVE = re.compile(r"^([A-Za-z]):")

_ADVICE = (
    "SQLite không khóa tệp an toàn ở đó, nên parclerk ghi theo chế độ an toàn hơn (chậm hơn một chút). "
    "Để tránh hỏng dữ liệu, hãy chép cơ sở dữ liệu về ổ đĩa của máy này (ví dụ C:\\parclerk) và dùng chức "
    "năng sao lưu để giữ bản sao ở nơi khác."
)


def storage_warning(
    db_path: Path | str,
    *,
    drive_type: Callable[[str], int | None] | None = None,
    mounts: Callable[[], Iterable[tuple[str, str]]] | None = None,
) -> str | None:
    """A Vietnamese warning when `db_path` is on a network drive or in a synced folder, else None.

    Looks at the path as text (a UNC path, a folder of a sync client) and asks two lookups, real by default,
    injectable for tests: `drive_type("Z:\\\\")` (GetDriveTypeW; only on Windows) and `mounts()`, the
    (mount point, file system type) pairs (/proc/mounts; only on Linux).
    """
    text = str(db_path)
    windows_style = text.startswith(("\\\\", "//")) or bool(_DRIVE.match(text))
    if not windows_style:
        if os.name == "nt":
            text = os.path.abspath(text)
            windows_style = True
        elif text and text != ":memory:":
            text = os.path.realpath(text)
    if text in ("", ":memory:"):
        return None

    if windows_style:
        normalised = text.replace("/", "\\")
        if normalised.startswith("\\\\?\\UNC\\"):
            normalised = "\\\\" + normalised[8:]
        elif normalised.startswith("\\\\?\\"):
            normalised = normalised[4:]
        if normalised.startswith("\\\\") and not normalised.startswith("\\\\.\\"):
            share = "\\".join(normalised.split("\\")[2:4])
            return f"Cơ sở dữ liệu “{db_path}” nằm trên thư mục mạng \\\\{share}. {_ADVICE}"
        drive = _DRIVE.match(normalised)
        if drive:
            lookup = drive_type if drive_type is not None else _windows_drive_type
            if lookup(f"{drive[1].upper()}:\\") == DRIVE_REMOTE:
                return f"Cơ sở dữ liệu “{db_path}” nằm trên ổ mạng {drive[1].upper()}:. {_ADVICE}"
        parts = ntpath.normpath(normalised).split("\\")
    else:
        parts = text.split("/")

    for part in parts:
        client = _sync_client(part)
        if client:
            return (
                f"Cơ sở dữ liệu “{db_path}” nằm trong thư mục đồng bộ {client} (“{part}”). Chương trình đồng bộ "
                f"có thể chép tệp khi đang ghi dở hoặc tạo bản xung đột. {_ADVICE}"
            )

    if not windows_style:
        fstype = _fs_type(text, mounts() if mounts is not None else _proc_mounts())
        if fstype in NETWORK_FS:
            return f"Cơ sở dữ liệu “{db_path}” nằm trên ổ mạng (hệ tệp {fstype}). {_ADVICE}"
    return None


def _sync_client(part: str) -> str | None:
    folded = part.strip().casefold()
    for prefix, client in _SYNCED_PREFIXES.items():
        if folded.startswith(prefix):
            return client
    return _SYNCED_NAMES.get(folded)


def _fs_type(path: str, mount_table: Iterable[tuple[str, str]]) -> str | None:
    """The file system type of the longest mount point that contains `path`."""
    best, best_type = -1, None
    for point, fstype in mount_table:
        point = point.rstrip("/") or "/"
        if (path == point or path.startswith(point + "/") or point == "/") and len(point) > best:
            best, best_type = len(point), fstype
    return best_type


def _proc_mounts() -> list[tuple[str, str]]:
    if not sys.platform.startswith("linux"):
        return []
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    table = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 3:
            table.append((_unescape(fields[1]), fields[2]))
    return table


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011 ..."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def _windows_drive_type(root: str) -> int | None:
    if os.name != "nt":
        return None
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
