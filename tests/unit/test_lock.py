"""One writer at a time (the lock beside the database) and the network / synced folder warning."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from parclerk.data import db as dbmod
from parclerk.data import lock
from parclerk.data.lock import LockedError, acquire, storage_warning
from parclerk.errors import ParclerkError

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from parclerk.data.lock import acquire
    held = acquire(Path(sys.argv[1]))
    print("held", flush=True)
    time.sleep(120)
    """
)
TRY = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from parclerk.data.lock import LockedError, acquire
    try:
        acquire(Path(sys.argv[1])).release()
    except LockedError as exc:
        sys.stdout.buffer.write(exc.message.encode("utf-8"))
        sys.exit(3)
    """
)


@contextlib.contextmanager
def _holder(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock until killed (SIGKILL on POSIX) at the end, if not before."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True, encoding="utf-8"
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "held"
            yield child
        finally:
            child.kill()
            child.wait()


def _try_in_another_process(db_path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", TRY, str(db_path)], capture_output=True, timeout=60)


def test_a_second_process_is_refused_with_who_holds_it(tmp_path):
    db_path = tmp_path / "parclerk.sqlite"
    with _holder(db_path) as child, pytest.raises(LockedError) as refused:
        acquire(db_path)
    holder = refused.value.holder
    assert holder["pid"] == child.pid
    assert holder["host"] == socket.gethostname()
    message = refused.value.message
    assert str(db_path) in message
    assert f"máy “{socket.gethostname()}”" in message
    if holder["user"]:
        assert f"người dùng “{holder['user']}”" in message
    started = dt.datetime.fromisoformat(holder["started"])
    assert f"từ lúc {started:%d/%m/%Y %H:%M}" in message
    assert "không thể được mở hai lần" in message
    assert isinstance(refused.value, ParclerkError)


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    db_path = tmp_path / "parclerk.sqlite"
    with _holder(db_path) as child:
        assert lock.read_holder(db_path)["pid"] == child.pid
    # killed (SIGKILL on POSIX): no clean-up ran, the lock file and its record stayed behind
    assert lock.lock_path(db_path).exists()
    assert json.loads(lock.lock_path(db_path).read_text(encoding="utf-8"))["pid"] == child.pid
    with acquire(db_path) as held:
        assert held.held
        assert lock.read_holder(db_path)["pid"] == os.getpid()
        refused = _try_in_another_process(db_path)
        assert refused.returncode == 3, refused.stderr
        assert "không thể được mở hai lần" in refused.stdout.decode("utf-8")
    assert not held.held
    assert lock.read_holder(db_path) == {}  # emptied on release
    assert _try_in_another_process(db_path).returncode == 0


def test_the_same_process_cannot_lock_twice(tmp_path):
    db_path = tmp_path / "parclerk.sqlite"
    first = acquire(db_path)
    try:
        with pytest.raises(LockedError, match="trong chính cửa sổ parclerk này"):
            acquire(db_path)
        with pytest.raises(LockedError):
            acquire(tmp_path / "." / "parclerk.sqlite")  # the same file under another spelling
    finally:
        first.release()
    first.release()  # twice is harmless
    again = acquire(db_path)
    again.release()


def test_two_databases_lock_independently(tmp_path):
    with acquire(tmp_path / "a.sqlite"), acquire(tmp_path / "b.sqlite") as second:
        assert second.path == tmp_path / "b.sqlite.lock"


def test_a_read_only_folder_is_explained(tmp_path):
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("needs a POSIX folder root cannot bypass")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ParclerkError, match="Không tạo được tệp khóa"):
            acquire(folder / "parclerk.sqlite")
    finally:
        folder.chmod(0o700)


# ---------------------------------------------------------------------------------------------- storage

LOCAL = [("/", "ext4")]


def _fixed(_root: str) -> int:
    return 3  # DRIVE_FIXED


@pytest.mark.parametrize(
    "path",
    [
        r"\\server\share\parclerk\parclerk.sqlite",
        "//server/share/parclerk.sqlite",
        r"\\?\UNC\server\share\parclerk.sqlite",
    ],
)
def test_unc_paths_warn(path):
    warning = storage_warning(path, drive_type=_fixed, mounts=lambda: LOCAL)
    assert warning is not None
    assert r"\\server\share" in warning
    assert "thư mục mạng" in warning


def test_a_mapped_network_drive_warns_and_a_local_drive_does_not():
    asked = []

    def remote(root: str) -> int:
        asked.append(root)
        return lock.DRIVE_REMOTE

    warning = storage_warning(r"z:\CCHC\parclerk.sqlite", drive_type=remote)
    assert warning is not None and "ổ mạng Z:" in warning
    assert asked == ["Z:\\"]
    assert storage_warning(r"D:\CCHC\parclerk.sqlite", drive_type=_fixed) is None
    assert storage_warning("D:/CCHC/parclerk.sqlite", drive_type=_fixed) is None


@pytest.mark.parametrize(
    ("path", "client"),
    [
        (r"C:\Users\lan\OneDrive\Tài liệu\parclerk.sqlite", "OneDrive"),
        (r"C:\Users\lan\OneDrive - UBND xã Hòa An\parclerk.sqlite", "OneDrive"),
        (r"C:\Users\lan\Dropbox (Personal)\parclerk.sqlite", "Dropbox"),
        (r"G:\My Drive\parclerk.sqlite", "Google Drive"),
        (r"C:\Users\lan\Google Drive\parclerk.sqlite", "Google Drive"),
        (r"C:\Users\lan\iCloudDrive\parclerk.sqlite", "iCloud"),
        ("/home/lan/Dropbox/cchc/parclerk.sqlite", "Dropbox"),
        ("/home/lan/OneDrive/parclerk.sqlite", "OneDrive"),
    ],
)
def test_synced_folders_warn(path, client):
    warning = storage_warning(path, drive_type=_fixed, mounts=lambda: LOCAL)
    assert warning is not None
    assert f"thư mục đồng bộ {client}" in warning


@pytest.mark.parametrize("fstype", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_network_mounts_warn(tmp_path, fstype):
    share = tmp_path / "share"
    table = [("/", "ext4"), (str(share), fstype)]
    warning = storage_warning(share / "cchc" / "parclerk.sqlite", mounts=lambda: table)
    assert warning is not None and f"hệ tệp {fstype}" in warning
    assert storage_warning(tmp_path / "parclerk.sqlite", mounts=lambda: table) is None
    assert (
        storage_warning(tmp_path / "share-local" / "x.sqlite", mounts=lambda: table) is None
    )  # not a prefix


def test_the_longest_mount_point_decides(tmp_path):
    table = [("/", "ext4"), (str(tmp_path), "nfs"), (str(tmp_path / "local"), "ext4")]
    assert storage_warning(tmp_path / "local" / "parclerk.sqlite", mounts=lambda: table) is None
    assert storage_warning(tmp_path / "parclerk.sqlite", mounts=lambda: table) is not None


def test_proc_mounts_escapes_are_read():
    assert lock._unescape(r"/mnt/ổ\040mạng") == "/mnt/ổ mạng"


def test_local_paths_do_not_warn(tmp_path):
    assert storage_warning(tmp_path / "parclerk.sqlite", mounts=lambda: LOCAL) is None
    assert (
        storage_warning(r"C:\Users\lan\AppData\Roaming\parclerk\parclerk.sqlite", drive_type=_fixed) is None
    )
    assert storage_warning(":memory:") is None
    assert storage_warning(tmp_path / "parclerk.sqlite") is None  # the real lookups: the test folder is local


# ---------------------------------------------------------------------------------------------- journal mode


def _journal_mode(path: Path) -> str:
    conn = dbmod.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_a_network_database_uses_the_rollback_journal(tmp_path, monkeypatch):
    calls = []

    def network(path):
        calls.append(path)
        return "mạng"

    monkeypatch.setattr(lock, "storage_warning", network)
    path = tmp_path / "net" / "parclerk.sqlite"
    dbmod.open_and_migrate(path).close()
    assert _journal_mode(path) == "delete"
    assert _journal_mode(path) == "delete"
    assert len(calls) == 1  # checked once per path, not per connection
    assert not Path(f"{path}-wal").exists()


def test_a_wal_database_moved_to_a_network_folder_leaves_wal(tmp_path, monkeypatch, template_db):
    path = tmp_path / "moved.sqlite"
    path.write_bytes(template_db.read_bytes())
    assert _journal_mode(path) == "wal"
    dbmod._journal_pragma.pop(str(path))
    monkeypatch.setattr(lock, "storage_warning", lambda _path: "mạng")
    assert _journal_mode(path) == "delete"


def test_a_local_database_stays_in_wal(db_path):
    assert _journal_mode(db_path) == "wal"
