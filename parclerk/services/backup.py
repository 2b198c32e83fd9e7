"""Backups and restore of the clerk's database, without the UI.

A backup is a consistent copy made through SQLite's backup API (never a file copy of a live WAL database),
written beside its final name, flushed to disk, checked with `PRAGMA integrity_check`, then renamed: there
is never a half backup. A sidecar `<name>.json` says when and why it was made and what it holds (record
counts, schema version, the originals it refers to by SHA-256). The originals are not copied into each
backup: the files store is content-addressed and append-only, so a backup names them by hash and a restore
checks them. `with_files=True` makes one .zip instead (copy, manifest and the referenced originals), for a
USB stick.

Backups live in `paths.backup_dir(db_path)`, named `<db stem>-YYYYMMDD-HHMMSS-<reason>.sqlite` (for the
default database: `parclerk-20240520-101500-thu-cong.sqlite`); the copies `db.backup_copy` makes before a
migration carry microseconds too and are listed and rotated with the others.

`restore` takes a path, not a connection: the app closes its connections first. It checks the backup, keeps
the current state as a "truoc-khoi-phuc" backup, and swaps the file atomically; on any refusal or failure the
current database is left as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parclerk import __version__, paths
from parclerk.data import db as dbmod
from parclerk.data import migrations
from parclerk.errors import DatabaseFileError, NotFoundError, ParclerkError, from_sqlite
from parclerk.fileio import fsync_dir, write_atomically
from parclerk.services import attachments

REASONS: dict[str, str] = {
    "thu-cong": "thủ công",
    "hang-ngay": "hằng ngày",
    "khi-thoat": "khi thoát",
    "truoc-nhap": "trước khi nhập",
    "truoc-nang-cap": "trước khi nâng cấp",
    "truoc-khoi-phuc": "trước khi khôi phục",
}
SAFETY_PREFIX = "truoc-"  # the backups taken before a risky operation

# The tables whose rows a backup counts, with the label the clerk reads; missing tables are skipped.
COUNTED: dict[str, str] = {
    "directives": "Văn bản đến",
    "tasks": "Nhiệm vụ",
    "task_items": "Kỳ thực hiện nhiệm vụ",
    "attachments": "Tệp đính kèm",
    "outgoing": "Văn bản đi",
    "reports": "Báo cáo",
    "assessments": "Bản tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
    "submissions": "Bài nộp đã nhập",
}
# Where the database names an original in the files store: (table, hash column, original name column).
FILE_COLUMNS = (
    ("attachments", "sha256", "original_name"),
    ("evidence", "sha256", "original_name"),
    ("submissions", "package_sha256", "file_name"),
)

FORMAT = "parclerk-backup"
MANIFEST_MEMBER = "manifest.json"
KEEP_MONTHS = 24
KEEP_SAFETY_DAYS = 30
_SQLITE_HEADER = b"SQLite format 3\x00"
_CHUNK = 1 << 20
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<date>\d{8})-(?P<time>\d{6})(?:-(?P<micro>\d{6}))?-(?P<reason>[a-z]+(?:-[a-z]+)*)"
    r"\.(?P<ext>sqlite|zip)$"
)
_FILE_MEMBER = re.compile(r"^files/([0-9a-f]{2})/(\1[0-9a-f]{62})([^/]*)$")
_KEPT = "Cơ sở dữ liệu đang dùng không bị thay đổi."


@dataclass(frozen=True)
class FileRef:
    """An original the database refers to: its hash, and the name whose extension places it in the store."""

    sha256: str
    name: str

    @property
    def key(self) -> str:
        """Its place in the files store, relative: `ab/ab12…ef.pdf`."""
        return attachments.stored_path(Path(), self.sha256, self.name).as_posix()

    def path(self, files_dir: Path) -> Path:
        return attachments.stored_path(files_dir, self.sha256, self.name)

    @property
    def label(self) -> str:
        return self.name or self.sha256[:12]


@dataclass(frozen=True)
class FileCheck:
    """The referenced originals checked against the files store."""

    checked: int = 0
    missing: tuple[FileRef, ...] = ()
    damaged: tuple[FileRef, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    schema_version: int | None = None
    app_version: str = ""
    files: tuple[FileRef, ...] = ()
    manifest: Path | None = None  # the sidecar; None for a .zip (manifest inside) or when it is missing
    files_included: int = 0  # .zip only: originals inside it
    files_check: FileCheck = FileCheck()  # .zip only: referenced originals that could not be included
    problem: str = ""  # why the counts could not be read

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def with_files(self) -> bool:
        return self.path.suffix == ".zip"


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path | None  # the state before the restore (None: there was no database)
    before: dict[str, int]  # empty when the old database could not be read
    after: dict[str, int]
    files: FileCheck  # the restored database's originals, checked in the files store
    files_restored: int = 0  # originals put back from a .zip


@dataclass(frozen=True)
class BackupFacts:
    """What a database copy holds, read without changing it."""

    user_version: int
    migrations: int
    counts: dict[str, int]
    refs: tuple[FileRef, ...]


# ---------------------------------------------------------------------------------------------- backup


def make_backup(
    db_path: Path,
    *,
    reason: str,
    out: Path | None = None,
    with_files: bool = False,
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Back up `db_path` into the backup folder (or to `out`, a file or a folder) and return what was made.

    Raises DatabaseFileError when the database cannot be read or fails the integrity check (no backup is
    made), ParclerkError when the copy cannot be written (disk full, read-only folder).
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise NotFoundError(f"Không tìm thấy tệp cơ sở dữ liệu “{db_path}”.")
    now = now or dt.datetime.now()
    target = _target(db_path, reason, now, out, with_files)
    own = {db_path.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    if target.resolve().parent == db_path.resolve().parent and target.name in own:
        raise ParclerkError("Không thể lưu bản sao lưu đè lên chính cơ sở dữ liệu. Hãy chọn tên tệp khác.")
    _make_folder(target.parent)
    facts: list[BackupFacts] = []

    def copy(temp: Path) -> None:
        _copy_database(db_path, temp, immutable=False)
        problem = _integrity_problem(temp)
        if problem:
            raise DatabaseFileError(
                f"Cơ sở dữ liệu “{db_path}” bị hỏng (kiểm tra toàn vẹn: {problem}), nên chưa sao lưu được. "
                "Hãy khôi phục từ một bản sao lưu trước đó."
            )
        facts.append(_read_facts(temp))

    try:
        if not with_files:
            write_atomically(target, copy, what="bản sao lưu")
            fsync_dir(target.parent)
            manifest = _manifest(facts[0], reason=reason, created=now, source=db_path, target=target)
            manifest["size"] = target.stat().st_size
            sidecar = target.with_suffix(".json")
            _write_json(sidecar, manifest)
            return _info_from_manifest(target, manifest, sidecar)
        return _make_zip(db_path, target, copy, facts, reason=reason, created=now)
    except sqlite3.Error as exc:
        problem = _sqlite_problem(exc, db_path, "")
        if problem is None:
            raise
        raise problem from exc


def _make_zip(
    db_path: Path,
    target: Path,
    copy: Callable[[Path], None],
    facts: list[BackupFacts],
    *,
    reason: str,
    created: dt.datetime,
) -> BackupInfo:
    copy_path = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.sqlite")
    write_atomically(copy_path, copy, what="bản sao lưu")
    try:
        manifest = _manifest(facts[0], reason=reason, created=created, source=db_path, target=target)
        manifest["size"] = copy_path.stat().st_size
        files_dir = paths.files_dir(db_path)
        check = verify_files(db_path, facts[0].refs)
        broken = {ref.key for ref in (*check.missing, *check.damaged)}
        included = [ref for ref in facts[0].refs if ref.key not in broken]
        manifest["files_included"] = len(included)
        manifest["files_missing"] = _ref_map(check.missing)
        manifest["files_damaged"] = _ref_map(check.damaged)

        def write(temp: Path) -> None:
            with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, ensure_ascii=False, indent=1))
                archive.write(copy_path, f"{target.stem}.sqlite")
                for ref in included:  # deflated even when compressed already: a stored .zip inside would
                    archive.write(ref.path(files_dir), f"files/{ref.key}")  # pass for ours when truncated

        write_atomically(target, write, what="bản sao lưu")
        fsync_dir(target.parent)
    finally:
        _unlink_quietly(copy_path)
    return _info_from_manifest(target, manifest, None)


def _target(db_path: Path, reason: str, now: dt.datetime, out: Path | None, with_files: bool) -> Path:
    ext = ".zip" if with_files else ".sqlite"
    name = f"{db_path.stem}-{now:%Y%m%d-%H%M%S}-{reason}{ext}"
    if out is not None:
        out = Path(out)
        return out / name if out.is_dir() else out
    folder = paths.backup_dir(db_path)
    target = folder / name
    if target.exists() or target.with_suffix(".json").exists():  # two backups in the same second
        target = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S-%f}-{reason}{ext}"
    return target


def _manifest(
    facts: BackupFacts, *, reason: str, created: dt.datetime, source: Path, target: Path
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": 1,
        "created_at": created.isoformat(timespec="seconds"),
        "reason": reason,
        "app_version": __version__,
        "database": source.name,
        "file": target.name,
        "schema_version": facts.user_version,
        "migrations": facts.migrations,
        "counts": facts.counts,
        "files": _ref_map(facts.refs),  # place in the files store -> original name
    }


def _info_from_manifest(path: Path, manifest: dict[str, Any], sidecar: Path | None) -> BackupInfo:
    created = _created_from_name(path.name)
    if created is None:
        try:
            created = dt.datetime.fromisoformat(str(manifest.get("created_at")))
        except ValueError:
            created = dt.datetime.fromtimestamp(path.stat().st_mtime)
    check = FileCheck(
        checked=len(manifest.get("files", {})),
        missing=_refs(manifest.get("files_missing", {})),
        damaged=_refs(manifest.get("files_damaged", {})),
    )
    return BackupInfo(
        path=path,
        created=created,
        reason=str(manifest.get("reason", "")),
        size=path.stat().st_size,
        counts={str(k): int(v) for k, v in dict(manifest.get("counts", {})).items()},
        schema_version=manifest.get("schema_version"),
        app_version=str(manifest.get("app_version", "")),
        files=_refs(manifest.get("files", {})),
        manifest=sidecar,
        files_included=int(manifest.get("files_included", 0)),
        files_check=check,
        problem="bản sao nguyên trạng của một tệp bị hỏng" if manifest.get("damaged") else "",
    )


def _ref_map(refs: Iterable[FileRef]) -> dict[str, str]:
    return {ref.key: ref.name for ref in refs}


def _refs(mapping: Any) -> tuple[FileRef, ...]:
    """FileRefs back from `_ref_map`'s {"ab/ab12…ef.pdf": "Công văn 107.pdf"}."""
    return tuple(FileRef(str(key).rsplit("/", 1)[-1][:64], str(name)) for key, name in dict(mapping).items())


# ---------------------------------------------------------------------------------------------- listing


def list_backups(db_path: Path) -> list[BackupInfo]:
    """This database's backups, newest first, with what their sidecars say (or, without one, what the file
    itself holds, read without changing it)."""
    result = []
    for path, created, reason in _scan(Path(db_path)):
        info = _read_info(path, created, reason)
        result.append(info)
    return result


def _scan(db_path: Path) -> list[tuple[Path, dt.datetime, str]]:
    folder = paths.backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != db_path.stem or not path.is_file():
            continue
        created = _created_from_name(path.name)
        if created is not None:
            found.append((path, created, match["reason"]))
    found.sort(key=lambda item: (item[1], item[0].name), reverse=True)
    return found


def _created_from_name(name: str) -> dt.datetime | None:
    match = _NAME.match(name)
    if not match:
        return None
    try:
        created = dt.datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return created.replace(microsecond=int(match["micro"] or 0))


def _read_info(path: Path, created: dt.datetime, reason: str) -> BackupInfo:
    manifest: dict[str, Any] | None = None
    sidecar: Path | None = None
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                manifest = json.loads(archive.read(MANIFEST_MEMBER).decode("utf-8"))
        elif path.with_suffix(".json").is_file():
            sidecar = path.with_suffix(".json")
            manifest = json.loads(sidecar.read_text(encoding="utf-8"))
        if manifest is not None and manifest.get("format") == FORMAT:
            return _info_from_manifest(path, manifest, sidecar)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        pass  # an unreadable manifest: read the copy itself below
    size = path.stat().st_size
    if path.suffix == ".zip":
        return BackupInfo(path, created, reason, size, problem="không đọc được tệp .zip")
    try:
        facts = _read_facts(path)
    except sqlite3.Error:
        return BackupInfo(path, created, reason, size, problem="không đọc được (tệp có thể bị hỏng)")
    return BackupInfo(path, created, reason, size, facts.counts, facts.user_version, files=facts.refs)


# ---------------------------------------------------------------------------------------------- rotation


def rotate(db_path: Path, keep_last: int = 10, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete old backups (with their sidecars); returns the deleted backups.

    Kept: the `keep_last` newest, the newest of each of the last 24 months, and every safety backup
    ("truoc-…") of the last 30 days.
    """
    now = now or dt.datetime.now()
    found = _scan(Path(db_path))
    keep = {path for path, _created, _reason in found[:keep_last]}
    months: set[tuple[int, int]] = set()
    this_month = now.year * 12 + now.month
    for path, created, reason in found:  # newest first
        month = (created.year, created.month)
        if month not in months:
            months.add(month)
            if 0 <= this_month - (created.year * 12 + created.month) < KEEP_MONTHS:
                keep.add(path)
        if reason.startswith(SAFETY_PREFIX) and now - created <= dt.timedelta(days=KEEP_SAFETY_DAYS):
            keep.add(path)
    deleted = []
    for path, _created, _reason in found:
        if path in keep:
            continue
        for companion in (path, path.with_suffix(".json"), Path(f"{path}-wal")):
            _unlink_quietly(companion)
        deleted.append(path)
    return deleted


def daily_backup_due(db_path: Path, *, today: dt.date | None = None) -> bool:
    """True when the database exists and has no backup made today."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return False
    today = today or dt.date.today()
    return not any(created.date() == today for _path, created, _reason in _scan(db_path))


def backup_if_due(db_path: Path, *, now: dt.datetime | None = None) -> BackupInfo | None:
    """The daily backup, when none was made today, followed by a rotation."""
    now = now or dt.datetime.now()
    if not daily_backup_due(db_path, today=now.date()):
        return None
    info = make_backup(db_path, reason="hang-ngay", now=now)
    rotate(db_path, now=now)
    return info


# ---------------------------------------------------------------------------------------------- files


def verify_files(db_path: Path, refs: Iterable[FileRef] | None = None) -> FileCheck:
    """Check that every original the database refers to (or `refs`) is in its files store with the right
    SHA-256."""
    db_path = Path(db_path)
    if refs is None:
        refs = _read_facts(db_path).refs
    files_dir = paths.files_dir(db_path)
    missing, damaged = [], []
    checked = 0
    for ref in refs:
        checked += 1
        stored = ref.path(files_dir)
        if not stored.is_file():
            missing.append(ref)
        elif _sha256_of(stored) != ref.sha256:
            damaged.append(ref)
    return FileCheck(checked, tuple(missing), tuple(damaged))


def _sha256_of(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- restore


def restore(db_path: Path, backup: Path) -> RestoreResult:
    """Replace the database at `db_path` with the backup `backup` (.sqlite, or a .zip made with files).

    The app must have closed its connections to `db_path`. On any refusal (not a backup, damaged, from a
    newer parclerk) or failure (disk full, read-only folder, database still open) a ParclerkError says why
    and the current database is left as it was.
    """
    db_path, backup = Path(db_path), Path(backup)
    if not backup.is_file():
        raise NotFoundError(f"Không tìm thấy tệp sao lưu “{backup}”.")
    if db_path.exists() and db_path.samefile(backup):
        raise ParclerkError("Tệp sao lưu đã chọn chính là cơ sở dữ liệu đang dùng.")
    _make_folder(db_path.parent, kept=True)
    temps: list[Path] = []
    try:
        files_restored = 0
        is_zip = backup.suffix.lower() == ".zip" or zipfile.is_zipfile(backup)
        if is_zip:
            candidate = _temp_beside(db_path, ".giai-nen")
            temps.append(candidate)
            _extract_copy(backup, candidate)
        else:
            candidate = backup
        facts = check_backup(candidate, shown=backup)
        if is_zip:  # the store is append-only: putting originals back is harmless even if the swap fails
            files_restored = _restore_originals(backup, paths.files_dir(db_path))

        safety: Path | None = None
        before: dict[str, int] = {}
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                info = make_backup(db_path, reason="truoc-khoi-phuc")
                safety, before = info.path, info.counts
            except DatabaseFileError:  # the current file is damaged: keep its bytes as they are
                safety = _raw_copy(db_path)
            except ParclerkError as exc:
                raise ParclerkError(f"Chưa khôi phục được vì không sao lưu được dữ liệu hiện tại: "
                                    f"{exc.message} {_KEPT}") from exc  # fmt: skip

        staged = _temp_beside(db_path, ".khoi-phuc")
        temps.append(staged)
        try:
            _copy_database(candidate, staged, immutable=True)
        except sqlite3.Error as exc:
            problem = _sqlite_problem(exc, backup, _KEPT)
            if problem is None:
                raise
            raise problem from exc
        except OSError as exc:
            raise ParclerkError(f"{_os_message(exc, db_path.parent)} {_KEPT}") from exc
        _release(db_path)
        try:
            os.replace(staged, db_path)
        except OSError as exc:
            raise ParclerkError(
                f"Không thay được tệp “{db_path.name}”: tệp đang được mở hoặc chỉ cho phép đọc. "
                f"Hãy đóng parclerk (và mọi chương trình đang mở tệp) rồi thử lại. {_KEPT}"
            ) from exc
        fsync_dir(db_path.parent)
    finally:
        for temp in temps:
            _unlink_quietly(temp)
            _unlink_quietly(Path(f"{temp}-journal"))
    return RestoreResult(
        restored_from=backup,
        safety_backup=safety,
        before=before,
        after=facts.counts,
        files=verify_files(db_path, facts.refs),
        files_restored=files_restored,
    )


def check_backup(path: Path, *, shown: Path | None = None) -> BackupFacts:
    """Refuse a file that is not a sound parclerk database this version can open; changes nothing in it.

    `shown` is the name given in messages (the .zip a copy came out of)."""
    path = Path(path)
    shown = shown or path
    refused = f"Không khôi phục được từ tệp “{shown.name}”:"
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise ParclerkError(f"{refused} không đọc được tệp ({exc.strerror or exc}). {_KEPT}") from exc
    if header != _SQLITE_HEADER:
        raise DatabaseFileError(f"{refused} đây không phải là bản sao lưu cơ sở dữ liệu parclerk. {_KEPT}")
    try:
        problem = _integrity_problem(path)
        if problem:
            raise DatabaseFileError(f"{refused} tệp bị hỏng (kiểm tra toàn vẹn: {problem}). {_KEPT}")
        conn = _open_read_only(path)
        try:
            dbmod.schema_status(conn)  # refuses another program's database and a newer parclerk's
            facts = _facts(conn)
        finally:
            conn.close()
    except DatabaseFileError as exc:
        if exc.message.startswith(refused):
            raise
        reason = exc.message.removesuffix("; tệp không bị thay đổi.").removesuffix(".")
        raise DatabaseFileError(f"{refused} {reason[:1].lower()}{reason[1:]}. {_KEPT}") from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(
            f"{refused} tệp bị hỏng hoặc không phải cơ sở dữ liệu parclerk. {_KEPT}"
        ) from exc
    if facts.user_version > len(migrations.KNOWN):
        raise DatabaseFileError(
            f"{refused} tệp do một phiên bản parclerk mới hơn tạo ra. Hãy cập nhật parclerk rồi khôi phục. "
            f"{_KEPT}"
        )
    if facts.migrations == 0:
        raise DatabaseFileError(f"{refused} tệp không có dữ liệu parclerk. {_KEPT}")
    return facts


def _extract_copy(archive_path: Path, db_out: Path) -> None:
    """Take the database copy out of a backup .zip into `db_out` (the zip's checksums are checked)."""
    with _open_zip(archive_path, db_out.parent) as archive:
        names = archive.namelist()
        copies = [name for name in names if "/" not in name and name.endswith(".sqlite")]
        manifest = (
            json.loads(archive.read(MANIFEST_MEMBER).decode("utf-8")) if MANIFEST_MEMBER in names else {}
        )
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or len(copies) != 1:
            raise DatabaseFileError(
                f"Không khôi phục được từ tệp “{archive_path.name}”: đây không phải là bản sao lưu "
                f"parclerk (.zip) hoặc tệp đã bị hỏng. {_KEPT}"
            )
        with archive.open(copies[0]) as source, db_out.open("wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)


def _restore_originals(archive_path: Path, files_dir: Path) -> int:
    """Put the originals of a backup .zip back into the files store, each checked against its hash.
    Returns how many were written."""
    written = 0
    with _open_zip(archive_path, files_dir) as archive:
        for name in archive.namelist():
            match = _FILE_MEMBER.match(name)
            if match:
                written += _restore_original(archive, name, match[2], files_dir)
    return written


@contextlib.contextmanager
def _open_zip(archive_path: Path, writing_to: Path) -> Iterator[zipfile.ZipFile]:
    refused = f"Không khôi phục được từ tệp “{archive_path.name}”:"
    try:
        with zipfile.ZipFile(archive_path) as archive:
            yield archive
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, EOFError) as exc:
        raise DatabaseFileError(f"{refused} tệp .zip bị hỏng. {_KEPT}") from exc
    except OSError as exc:
        raise ParclerkError(f"{refused} {_os_message(exc, writing_to)} {_KEPT}") from exc


def _restore_original(archive: zipfile.ZipFile, member: str, sha256: str, files_dir: Path) -> int:
    ref = FileRef(sha256, "x" + member.rsplit("/", 1)[-1][64:])  # the stored name's extension
    stored = ref.path(files_dir)
    if stored.is_file():
        if _sha256_of(stored) == sha256:
            return 0
        os.replace(stored, stored.with_name(stored.name + ".hong"))  # keep the damaged bytes, out of the way
    try:
        with archive.open(member) as source:
            digest, _size = attachments.store_chunks(
                files_dir, iter(lambda: source.read(_CHUNK), b""), ref.name
            )
    except zipfile.BadZipFile:
        return 0  # a damaged member: the restored database reports the original as missing
    if digest != sha256:  # stored under its real hash, which nothing refers to
        return 0
    return 1


def _raw_copy(db_path: Path) -> Path:
    """The bytes of a database SQLite cannot read (and its -wal), kept as a safety backup as they are."""
    now = dt.datetime.now()
    target = _target(db_path, "truoc-khoi-phuc", now, None, False)
    try:
        for source, dest in ((db_path, target), (Path(f"{db_path}-wal"), Path(f"{target}-wal"))):
            if source.is_file():
                write_atomically(
                    dest, lambda temp, source=source: shutil.copyfile(source, temp), what="bản sao lưu"
                )
    except ParclerkError as exc:
        raise ParclerkError(
            f"Chưa khôi phục được vì không sao lưu được dữ liệu hiện tại: {exc.message} {_KEPT}"
        ) from exc
    manifest = {"format": FORMAT, "format_version": 1, "created_at": now.isoformat(timespec="seconds"),
                "reason": "truoc-khoi-phuc", "app_version": __version__, "database": db_path.name,
                "file": target.name, "damaged": True, "counts": {}, "files": {}}  # fmt: skip
    _write_json(target.with_suffix(".json"), manifest)
    return target


def _release(db_path: Path) -> None:
    """Leave no -wal, -shm or -journal of the old database beside it (SQLite would apply them to the new
    file). Switching out of WAL checkpoints and removes them, and fails while another connection is open."""
    busy = ParclerkError(
        "Cơ sở dữ liệu đang được mở (trong parclerk hoặc một chương trình khác). "
        f"Hãy đóng lại rồi khôi phục. {_KEPT}"
    )
    try:
        if db_path.exists():
            conn = sqlite3.connect(str(db_path), timeout=2.0)
            try:
                conn.execute("PRAGMA journal_mode = DELETE").fetchall()
            finally:
                conn.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise busy from exc
        # A damaged file: its companions are in the safety backup already, removed below.
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{db_path}{suffix}")
        try:
            if companion.exists():
                companion.unlink()
        except OSError as exc:
            raise busy from exc


# ---------------------------------------------------------------------------------------------- SQLite


def _open_read_only(path: Path) -> sqlite3.Connection:
    """No locks, no -wal/-shm: nothing is written beside the file (a backup on a read-only USB stick)."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)


def _copy_database(source: Path, dest: Path, *, immutable: bool) -> None:
    """A consistent copy through the backup API, self-contained (rollback journal mode), flushed to disk."""
    if immutable:
        src = _open_read_only(source)
    else:
        src = sqlite3.connect(str(source), timeout=10.0)
        src.execute("PRAGMA query_only = ON")
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            dst.close()
    except BaseException:
        _unlink_quietly(Path(f"{dest}-journal"))
        raise
    finally:
        src.close()
    with open(dest, "rb+") as handle:
        os.fsync(handle.fileno())


def _integrity_problem(path: Path) -> str:
    """'' when `PRAGMA integrity_check` finds nothing, else its first findings."""
    conn = _open_read_only(path)
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(5)")]
    finally:
        conn.close()
    return "" if rows == ["ok"] else "; ".join(rows)[:300]


def _read_facts(path: Path) -> BackupFacts:
    conn = _open_read_only(path)
    try:
        return _facts(conn)
    finally:
        conn.close()


def _facts(conn: sqlite3.Connection) -> BackupFacts:
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {
        table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in COUNTED
        if table in tables
    }
    refs: dict[str, FileRef] = {}
    for table, sha_column, name_column in FILE_COLUMNS:
        if table not in tables:
            continue
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if not {sha_column, name_column} <= columns:
            continue
        rows = conn.execute(
            f'SELECT DISTINCT "{sha_column}", "{name_column}" FROM "{table}" '
            f"WHERE \"{sha_column}\" != '' ORDER BY 1, 2"
        )
        for sha256, name in rows:
            ref = FileRef(str(sha256), str(name or ""))
            refs.setdefault(ref.key, ref)
    return BackupFacts(
        user_version=int(conn.execute("PRAGMA user_version").fetchone()[0]),
        migrations=len(dbmod.applied_migrations(conn)),
        counts=counts,
        refs=tuple(refs[key] for key in sorted(refs)),
    )


def _sqlite_problem(exc: sqlite3.Error, path: Path, kept: str) -> ParclerkError | None:
    """The clerk's explanation of an environment failure; None for a bug (re-raise it)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseFileError(
            f"Tệp “{path}” không phải là cơ sở dữ liệu parclerk hoặc đã bị hỏng. {kept}".strip()
        )
    known = from_sqlite(exc)
    if isinstance(known, ParclerkError):
        return ParclerkError(f"{known.message} {kept}".strip())
    return None


# ---------------------------------------------------------------------------------------------- files on disk


def _make_folder(folder: Path, *, kept: bool = False) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParclerkError(f"{_os_message(exc, folder)} {_KEPT if kept else ''}".strip()) from exc


def _os_message(exc: OSError, folder: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return "Ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không ghi được vào thư mục “{folder}”: thư mục chỉ cho phép đọc hoặc không có quyền ghi."
    return f"Lỗi đọc/ghi ổ đĩa ({exc.strerror or exc})."


def _temp_beside(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.stem}{tag}.{secrets.token_hex(4)}.tmp")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"), what="tệp mô tả bản sao lưu")


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def iter_counts(counts: dict[str, int]) -> Iterator[tuple[str, int]]:
    """(label, count) in the order of COUNTED, for display."""
    for table, label in COUNTED.items():
        if table in counts:
            yield label, counts[table]
