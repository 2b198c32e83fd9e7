"""Original files of registered documents, kept under their content hash beside the database.

A file is written to a temporary name, flushed to disk and renamed, so a power cut never leaves a
half-written original behind a committed register entry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from parclerk import paths
from parclerk.errors import NotFoundError, ParclerkError
from parclerk.fileio import fsync_dir
from parclerk.models import Attachment

_CHUNK = 1 << 20
MAX_SIZE = 512 * 1024 * 1024
INCOMING = ".incoming-"  # the temporary name of an original being copied in


def db_path_of(db) -> Path:  # db: sqlite_utils.Database
    """The file behind a Database connection."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise ParclerkError("Cơ sở dữ liệu trong bộ nhớ không lưu được tệp đính kèm.")


def stored_path(files_dir: Path, sha256: str, original_name: str) -> Path:
    suffix = Path(original_name).suffix.lower()[:10]
    return files_dir / sha256[:2] / f"{sha256}{suffix}"


def store_file(files_dir: Path, source: Path) -> tuple[str, int]:
    """Copy `source` into the store; returns (sha256, size). Storing the same content twice is a no-op."""
    source = Path(source)
    if not source.is_file():
        raise NotFoundError(f"Không tìm thấy tệp “{source}”.")
    size = source.stat().st_size
    if size > MAX_SIZE:
        raise ParclerkError(f"Tệp “{source.name}” lớn hơn 512 MB, không đính kèm được.")
    try:
        with source.open("rb") as src:
            return store_chunks(files_dir, iter(lambda: src.read(_CHUNK), b""), source.name)
    except OSError as exc:
        raise ParclerkError(f"Không đọc được tệp “{source.name}”: {exc.strerror or exc}.") from exc


def store_chunks(files_dir: Path, chunks: Iterable[bytes], original_name: str) -> tuple[str, int]:
    """Store content given in chunks under its hash (temporary file, fsync, rename); returns (sha256, size)."""
    files_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=INCOMING, dir=files_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = stored_path(files_dir, digest.hexdigest(), original_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
            fsync_dir(target.parent)
    except BaseException as exc:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise ParclerkError(
                f"Không chép được tệp “{original_name}” vào thư mục dữ liệu: {exc.strerror or exc}."
            ) from exc
        raise
    return digest.hexdigest(), size


def remove_incoming(files_dir: Path, *, older_than: float = 3600.0, now: float | None = None) -> int:
    """Delete the temporary copies a killed or crashed copy left in the store (nothing ever refers to them),
    when older than `older_than` seconds so a copy still under way is never touched. Returns how many.

    Complete originals that no record refers to (stored just before a transaction that never committed, or
    dropped by a restore) are kept: an older backup may still refer to them."""
    now = time.time() if now is None else now
    removed = 0
    try:
        leftovers = list(Path(files_dir).glob(f"{INCOMING}*"))
    except OSError:
        return 0
    for leftover in leftovers:
        try:
            if leftover.is_file() and now - leftover.stat().st_mtime >= older_than:
                leftover.unlink()
                removed += 1
        except OSError:
            continue  # locked by another program, or gone already: try again next start
    return removed


def copy_for_viewing(db_path: Path, attachment: Attachment) -> Path:
    """A copy of the original under its own name in a temporary folder, for the system viewer: the stored
    original stays untouched if the clerk edits and saves what opens."""
    source = stored_path(paths.files_dir(db_path), attachment.sha256, attachment.original_name)
    if not source.is_file():
        raise NotFoundError(
            f"Không tìm thấy tệp gốc “{attachment.original_name}” trong thư mục dữ liệu "
            f"({source.parent}). Tệp có thể đã bị xóa hoặc di chuyển."
        )
    folder = Path(tempfile.gettempdir()) / "parclerk-xem" / str(attachment.id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(attachment.original_name).name
    shutil.copyfile(source, target)
    return target
