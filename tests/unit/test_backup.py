"""Backups and restore: consistent copies of a live WAL database, sidecar manifests, rotation, restore that
refuses bad files and leaves the database untouched, the originals checked by their hashes, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from parclerk import __version__, paths
from parclerk.cli import EXIT_KNOWN, EXIT_OK, main
from parclerk.data import db as dbmod
from parclerk.data import migrations
from parclerk.errors import DatabaseFileError, ParclerkError
from parclerk.services import backup
from parclerk.services.demo import build_demo


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """A demo database with its files store (originals of directives, evidence, packages), built once."""
    path = tmp_path_factory.mktemp("demo") / "parclerk.sqlite"
    build_demo(path, generated=5)
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo data folder (database and files) for this test."""
    folder = tmp_path / "data"
    shutil.copytree(demo_template.parent, folder)
    return folder / "parclerk.sqlite"


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    return _rows(path, f"SELECT count(*) FROM {table}")[0][0]


def _change(path: Path) -> None:
    """Data entered after a backup: one more outgoing document, a corrected subject."""
    conn = dbmod.connect(path)
    try:
        conn.execute(
            "INSERT INTO outgoing (year, number, symbol, issued_date, subject, created_at) "
            "VALUES (2025, 999, 'BC-UBND', '2025-06-01', 'Báo cáo sau sao lưu', '2025-06-01T08:00:00')"
        )
        conn.execute("UPDATE directives SET subject = 'Đã sửa sau sao lưu' WHERE id = 1")
        conn.commit()
    finally:
        conn.close()


def _fingerprint(db_path: Path) -> tuple:
    """The database's bytes and everything beside it (no -wal, -shm, temp file or backup may appear)."""
    folder = db_path.parent
    backups = paths.backup_dir(db_path)
    return (
        db_path.read_bytes(),
        sorted(p.name for p in folder.iterdir()),
        sorted(p.name for p in backups.iterdir()) if backups.exists() else [],
    )


# ------------------------------------------------------------------------------------------------ backup


def test_backup_of_a_live_wal_database_excludes_uncommitted_data(demo):
    writer = dbmod.connect(demo)
    writer.execute("INSERT INTO settings (key, value) VALUES ('da-ghi', 'committed')")
    writer.commit()
    writer.execute("INSERT INTO settings (key, value) VALUES ('dang-ghi', 'not yet')")  # open transaction
    assert writer.in_transaction
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    try:
        info = backup.make_backup(demo, reason="thu-cong")
    finally:
        writer.rollback()
        writer.close()
    assert info.path.parent == paths.backup_dir(demo)
    assert info.path.name.startswith("parclerk-") and info.path.name.endswith("-thu-cong.sqlite")
    keys = {key for (key,) in _rows(info.path, "SELECT key FROM settings")}
    assert "da-ghi" in keys and "dang-ghi" not in keys
    assert _rows(info.path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(info.path, "PRAGMA journal_mode") == [("delete",)]  # self-contained: no -wal to carry
    assert sorted(p.name for p in info.path.parent.iterdir()) == sorted([info.path.name, info.manifest.name])


def test_the_sidecar_says_what_the_backup_holds(demo):
    info = backup.make_backup(demo, reason="thu-cong", now=dt.datetime(2025, 6, 15, 9, 30, 5))
    assert info.path.name == "parclerk-20250615-093005-thu-cong.sqlite"
    assert info.manifest == info.path.with_suffix(".json")
    manifest = json.loads(info.manifest.read_text(encoding="utf-8"))
    assert manifest["reason"] == "thu-cong" and manifest["created_at"] == "2025-06-15T09:30:05"
    assert manifest["app_version"] == __version__
    assert manifest["schema_version"] == len(migrations.KNOWN)
    for table in ("directives", "tasks", "attachments", "assessments", "evidence", "submissions"):
        assert manifest["counts"][table] == _count(demo, table), table
    assert manifest["counts"]["directives"] > 0 and manifest["counts"]["submissions"] > 0
    referenced = {sha for (sha,) in _rows(demo, "SELECT sha256 FROM attachments")}
    referenced |= {sha for (sha,) in _rows(demo, "SELECT sha256 FROM evidence WHERE sha256 != ''")}
    referenced |= {sha for (sha,) in _rows(demo, "SELECT package_sha256 FROM submissions")}
    assert {ref.sha256 for ref in info.files} == referenced
    assert all(ref.path(paths.files_dir(demo)).is_file() for ref in info.files)

    [listed] = backup.list_backups(demo)
    assert (listed.path, listed.reason, listed.counts, listed.size) == (
        info.path,
        "thu-cong",
        manifest["counts"],
        info.path.stat().st_size,
    )
    assert listed.created == dt.datetime(2025, 6, 15, 9, 30, 5) and listed.reason_label == "thủ công"

    info.manifest.unlink()  # a backup without its sidecar is still listed, counts read from the copy
    [bare] = backup.list_backups(demo)
    assert bare.manifest is None and bare.counts == manifest["counts"] and bare.files == info.files


def test_backups_of_the_same_second_do_not_overwrite_each_other(demo):
    now = dt.datetime(2025, 6, 15, 9, 30, 5, 123456)
    first = backup.make_backup(demo, reason="thu-cong", now=now)
    second = backup.make_backup(demo, reason="thu-cong", now=now)
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert second.path.name == "parclerk-20250615-093005-123456-thu-cong.sqlite"
    assert [info.path for info in backup.list_backups(demo)] == [second.path, first.path]


def test_a_backup_never_overwrites_the_database(demo):
    before = _fingerprint(demo)
    for out in (demo, Path(f"{demo}-wal")):
        with pytest.raises(ParclerkError, match="đè lên chính cơ sở dữ liệu"):
            backup.make_backup(demo, reason="thu-cong", out=out)
    assert _fingerprint(demo) == before


def test_a_damaged_database_is_not_backed_up(tmp_path):
    bogus = tmp_path / "parclerk.sqlite"
    bogus.write_bytes(b"not a database " * 100)
    with pytest.raises(DatabaseFileError, match="không phải là cơ sở dữ liệu parclerk"):
        backup.make_backup(bogus, reason="thu-cong")
    assert list(paths.backup_dir(bogus).iterdir()) == []


# ------------------------------------------------------------------------------------------------ rotation


def _fake(folder: Path, when: dt.datetime, reason: str, stem: str = "parclerk") -> Path:
    path = folder / f"{stem}-{when:%Y%m%d-%H%M%S}-{reason}.sqlite"
    path.write_bytes(b"")
    path.with_suffix(".json").write_text("{}", encoding="utf-8")
    return path


def test_rotation_keeps_what_it_promises(tmp_path):
    db_path = tmp_path / "parclerk.sqlite"
    folder = paths.backup_dir(db_path)
    folder.mkdir()
    now = dt.datetime(2025, 6, 15, 12, 0)
    daily = {}
    day = dt.date(2022, 1, 1)
    while day <= now.date():
        daily[day] = _fake(folder, dt.datetime.combine(day, dt.time(8, 0)), "hang-ngay")
        day += dt.timedelta(days=1)
    recent_upgrade = _fake(folder, dt.datetime(2025, 6, 1, 10, 0), "truoc-nang-cap")  # 14 days ago
    recent_restore = _fake(folder, dt.datetime(2025, 5, 20, 10, 0), "truoc-khoi-phuc")  # 26 days ago
    old_upgrade = _fake(folder, dt.datetime(2025, 5, 1, 10, 0), "truoc-nang-cap")  # 45 days ago
    other_db = _fake(folder, dt.datetime(2020, 1, 1, 8, 0), "hang-ngay", stem="demo")  # another database's

    deleted = backup.rotate(db_path, now=now)

    newest_ten = {daily[now.date() - dt.timedelta(days=n)] for n in range(10)}
    month_ends = set()
    for months_back in range(24):  # 2023-07 ... 2025-06: the newest of each month
        year, month = divmod(2025 * 12 + 5 - months_back, 12)
        last = max(d for d in daily if (d.year, d.month) == (year, month + 1))
        month_ends.add(daily[last])
    expected = newest_ten | month_ends | {recent_upgrade, recent_restore}
    kept = {p for p in folder.glob("parclerk-*.sqlite")}
    assert kept == expected
    assert len(kept) == 10 + 23 + 2  # June's newest is one of the ten
    assert old_upgrade in deleted and daily[dt.date(2023, 6, 30)] in deleted
    assert other_db.exists()
    assert {p.with_suffix(".sqlite") for p in folder.glob("parclerk-*.json")} == kept  # sidecars follow
    assert backup.rotate(db_path, now=now) == []


def test_daily_backup(demo):
    today = dt.date.today()
    assert backup.daily_backup_due(demo)
    info = backup.backup_if_due(demo)
    assert info is not None and info.reason == "hang-ngay" and info.created.date() == today
    assert not backup.daily_backup_due(demo)
    assert backup.backup_if_due(demo) is None
    assert backup.daily_backup_due(demo, today=today + dt.timedelta(days=1))
    assert not backup.daily_backup_due(demo.parent / "none.sqlite")


# ------------------------------------------------------------------------------------------------ restore


def test_restore_brings_back_the_backup_and_keeps_the_current_state(demo):
    info = backup.make_backup(demo, reason="thu-cong")
    subject = _rows(demo, "SELECT subject FROM directives WHERE id = 1")
    _change(demo)
    changed_counts = dict(info.counts, outgoing=info.counts["outgoing"] + 1)

    result = backup.restore(demo, info.path)

    assert _rows(demo, "SELECT subject FROM directives WHERE id = 1") == subject
    assert _count(demo, "outgoing") == info.counts["outgoing"]
    assert result.after == info.counts and result.before == changed_counts
    assert result.files.ok and result.files.checked == len(info.files)
    assert result.safety_backup is not None and result.safety_backup.name.endswith("-truoc-khoi-phuc.sqlite")
    assert _rows(result.safety_backup, "SELECT subject FROM directives WHERE id = 1") == [
        ("Đã sửa sau sao lưu",)
    ]
    assert _count(result.safety_backup, "outgoing") == changed_counts["outgoing"]
    assert sorted(p.name for p in demo.parent.iterdir()) == ["backups", "files", "parclerk.sqlite"]
    assert dbmod.inspect_file(demo) == "current"
    dbmod.open_and_migrate(demo).close()  # the app opens it as usual


def test_restore_from_a_copy_made_before_a_migration(demo):
    conn = dbmod.connect(demo)
    try:
        copy = dbmod.backup_copy(
            conn, demo, "truoc-nang-cap"
        )  # a WAL-mode copy with microseconds in its name
    finally:
        conn.close()
    [listed] = backup.list_backups(demo)
    assert listed.path == copy and listed.reason == "truoc-nang-cap" and listed.counts["directives"] > 0
    _change(demo)
    result = backup.restore(demo, copy)
    assert result.after == listed.counts and _count(demo, "outgoing") == listed.counts["outgoing"]


def _text_file(folder: Path) -> Path:
    path = folder / "ghi-chu.sqlite"
    path.write_text("Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n" * 50, encoding="utf-8")
    return path


def _truncated(folder: Path, demo: Path) -> Path:
    info = backup.make_backup(demo, reason="thu-cong", out=folder / "full.sqlite")
    path = folder / "cut.sqlite"
    path.write_bytes(info.path.read_bytes()[: info.size // 2])
    return path


def _newer(folder: Path, demo: Path) -> Path:
    path = backup.make_backup(demo, reason="thu-cong", out=folder / "newer.sqlite").path
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(migrations.KNOWN) + 1}")
    conn.close()
    return path


def _newer_migration(folder: Path, demo: Path) -> Path:
    path = backup.make_backup(demo, reason="thu-cong", out=folder / "newer2.sqlite").path
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm999_tuong_lai', '')",
        [migrations.MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    return path


def _foreign(folder: Path, demo: Path) -> Path:
    path = folder / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    return path


def _empty(folder: Path, demo: Path) -> Path:
    path = folder / "empty.sqlite"
    path.write_bytes(b"")
    return path


def _bad_zip(folder: Path, demo: Path) -> Path:
    path = folder / "khong-phai.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    return path


def _cut_zip(folder: Path, demo: Path) -> Path:
    made = backup.make_backup(demo, reason="thu-cong", out=folder / "full.zip", with_files=True)
    path = folder / "cut.zip"
    path.write_bytes(made.path.read_bytes()[: made.size // 2])
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder, demo: _text_file(folder), "không phải là bản sao lưu"),
        (_truncated, "bị hỏng"),
        (_newer, "mới hơn"),
        (_newer_migration, "mới hơn"),
        (_foreign, "không phải của parclerk"),
        (_empty, "không phải là bản sao lưu"),
        (_bad_zip, "không phải là bản sao lưu parclerk"),
        (_cut_zip, "bị hỏng"),
    ],
    ids=["text", "truncated", "newer-user-version", "newer-migration", "foreign", "empty", "zip", "cut-zip"],
)
def test_restore_refuses_a_bad_file_and_leaves_the_database_as_it_was(demo, tmp_path, make, message):
    outside = tmp_path / "usb"
    outside.mkdir()
    bad = make(outside, demo)
    before = _fingerprint(demo)
    with pytest.raises(ParclerkError) as refused:
        backup.restore(demo, bad)
    assert message in refused.value.message
    assert "không bị thay đổi" in refused.value.message
    assert _fingerprint(demo) == before


def test_restore_refuses_while_the_database_is_open(demo):
    info = backup.make_backup(demo, reason="thu-cong")
    _change(demo)
    reader = dbmod.connect(demo, read_only=True)
    try:
        with pytest.raises(ParclerkError, match="đang được mở"):
            backup.restore(demo, info.path)
    finally:
        reader.close()
    assert _count(demo, "outgoing") == info.counts["outgoing"] + 1


def test_a_full_disk_during_restore_leaves_the_database_as_it_was(demo, monkeypatch):
    info = backup.make_backup(demo, reason="thu-cong")
    _change(demo)
    before = demo.read_bytes()
    copy = backup._copy_database

    def full(source: Path, dest: Path, *, immutable: bool) -> None:
        if immutable:  # the restore's copy, not the safety backup
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise exc
        copy(source, dest, immutable=immutable)

    monkeypatch.setattr(backup, "_copy_database", full)
    with pytest.raises(ParclerkError, match="Ổ đĩa đã đầy") as refused:
        backup.restore(demo, info.path)
    assert "không bị thay đổi" in refused.value.message
    assert demo.read_bytes() == before
    assert sorted(p.name for p in demo.parent.iterdir()) == ["backups", "files", "parclerk.sqlite"]


def test_a_file_that_cannot_be_replaced_stays(demo, monkeypatch):
    info = backup.make_backup(demo, reason="thu-cong")
    _change(demo)
    replace = os.replace

    def read_only(src, dst):
        if Path(dst) == demo:
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", read_only)
    with pytest.raises(ParclerkError, match="Không thay được tệp"):
        backup.restore(demo, info.path)
    monkeypatch.undo()
    assert _count(demo, "outgoing") == info.counts["outgoing"] + 1
    assert sorted(p.name for p in demo.parent.iterdir()) == ["backups", "files", "parclerk.sqlite"]


def test_restore_over_a_damaged_database_keeps_its_bytes(demo):
    info = backup.make_backup(demo, reason="thu-cong")
    garbage = b"\x00\xffhong" * 4096
    demo.write_bytes(garbage)
    result = backup.restore(demo, info.path)
    assert result.before == {} and result.after == info.counts
    assert result.safety_backup is not None and result.safety_backup.read_bytes() == garbage
    assert dbmod.inspect_file(demo) == "current"
    listed = {b.path: b for b in backup.list_backups(demo)}
    assert listed[result.safety_backup].problem  # listed, marked as a raw copy of a damaged file


# ------------------------------------------------------------------------------------------------ originals


def test_verification_reports_missing_and_damaged_originals(demo):
    check = backup.verify_files(demo)
    assert check.ok and check.checked >= 3
    files_dir = paths.files_dir(demo)
    refs = backup.make_backup(demo, reason="thu-cong").files
    gone, broken = refs[0], refs[1]
    gone.path(files_dir).unlink()
    broken.path(files_dir).write_bytes(b"bit rot")
    check = backup.verify_files(demo)
    assert check.missing == (gone,) and check.damaged == (broken,)
    result = backup.restore(demo, backup.list_backups(demo)[0].path)
    assert result.files.missing == (gone,) and result.files.damaged == (broken,)


def test_a_zip_with_files_carries_everything_to_another_computer(demo, tmp_path):
    out = tmp_path / "usb" / "sao-luu.zip"
    out.parent.mkdir()
    info = backup.make_backup(demo, reason="thu-cong", out=out, with_files=True)
    assert info.path == out and info.with_files and info.files_included == len(info.files)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    assert {"manifest.json", "sao-luu.sqlite"} <= names
    assert {f"files/{ref.key}" for ref in info.files} <= names
    assert not list(out.parent.glob(".*"))  # no temporary file left on the stick

    new_db = tmp_path / "may-moi" / "parclerk.sqlite"
    result = backup.restore(new_db, out)
    assert result.safety_backup is None and result.before == {}
    assert result.after == info.counts and result.files_restored == len(info.files) and result.files.ok
    assert dbmod.inspect_file(new_db) == "current"
    assert backup.restore(new_db, out).files_restored == 0  # the store already has them


def test_a_zip_replaces_a_damaged_original_and_keeps_the_damaged_bytes(demo, tmp_path):
    info = backup.make_backup(demo, reason="thu-cong", out=tmp_path / "sao-luu.zip", with_files=True)
    stored = info.files[0].path(paths.files_dir(demo))
    good = stored.read_bytes()
    stored.write_bytes(b"bit rot")
    result = backup.restore(demo, info.path)
    assert result.files.ok and result.files_restored == 1
    assert stored.read_bytes() == good
    assert stored.with_name(stored.name + ".hong").read_bytes() == b"bit rot"


def test_a_zip_lists_the_originals_it_could_not_include(demo, tmp_path):
    refs = backup.make_backup(demo, reason="thu-cong").files
    refs[0].path(paths.files_dir(demo)).unlink()
    info = backup.make_backup(demo, reason="thu-cong", out=tmp_path / "sao-luu.zip", with_files=True)
    assert info.files_check.missing == (refs[0],) and info.files_included == len(refs) - 1


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_backup_list_restore(demo, tmp_path, capsys):
    assert main(["backup", "--db", str(demo)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Đã sao lưu cơ sở dữ liệu vào" in out and "văn bản đến" in out
    [made] = backup.list_backups(demo)

    assert main(["backups", "--db", str(demo)]) == EXIT_OK
    out = capsys.readouterr().out
    assert made.path.name in out and "thủ công" in out

    _change(demo)
    assert main(["restore", "--db", str(demo), str(made.path)]) == EXIT_OK
    out = capsys.readouterr().out
    [safety] = [b.path for b in backup.list_backups(demo) if b.reason == "truoc-khoi-phuc"]
    assert str(safety) in out
    outgoing = made.counts["outgoing"]
    assert f"Văn bản đi: {outgoing + 1} → {outgoing}" in out
    assert _count(demo, "outgoing") == outgoing

    usb = tmp_path / "usb.zip"
    assert main(["backup", "--db", str(demo), "--out", str(usb), "--with-files"]) == EXIT_OK
    assert "tệp gốc" in capsys.readouterr().out and zipfile.is_zipfile(usb)

    text = _text_file(tmp_path)
    assert main(["restore", "--db", str(demo), str(text)]) == EXIT_KNOWN
    assert "không phải là bản sao lưu" in capsys.readouterr().err
    assert main(["backup", "--db", str(tmp_path / "none.sqlite")]) == EXIT_KNOWN
    assert "Không tìm thấy" in capsys.readouterr().err
