"""Writing a file the clerk asked for (an export, a report) so that a failure never leaves half a file: write
beside the target, flush to disk, move into place. Errors become Vietnamese messages."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from parclerk.errors import ParclerkError

_PROGRAMS = {".xlsx": "Excel", ".docx": "Word", ".pdf": "trình đọc PDF"}


def write_atomically(out_path: Path, write: Callable[[Path], None], *, what: str) -> None:
    """Call `write(temp)` for a temporary file beside `out_path`, flush it to disk, then move it into place.

    `what` names the document in the Vietnamese error ("danh sách nhiệm vụ"). OSErrors become ParclerkErrors;
    on any failure the temporary file is removed and an existing `out_path` is left as it was.
    """
    out_path = Path(out_path)
    if out_path.is_dir():
        raise ParclerkError(f"“{out_path}” là một thư mục. Hãy chọn tên tệp để lưu {what}.")
    temp = out_path.with_name(f".{out_path.stem}.{secrets.token_hex(4)}.tmp")
    created = replacing = False
    try:
        temp.touch(exist_ok=False)  # a folder we cannot write to fails here, before the real work starts
        created = True
        write(temp)
        with open(temp, "rb+") as handle:  # on disk before it takes the real name (power cuts happen)
            os.fsync(handle.fileno())
        replacing = True
        os.replace(temp, out_path)
        created = False
    except OSError as exc:
        raise ParclerkError(_explain(exc, out_path, what=what, replacing=replacing)) from exc
    finally:
        if created:
            try:
                temp.unlink()
            except OSError:
                pass


def _explain(exc: OSError, out_path: Path, *, what: str, replacing: bool) -> str:
    folder = out_path.parent
    if exc.errno == errno.ENOSPC:
        return f"Ổ đĩa đã đầy, chưa lưu được {what}. Hãy giải phóng dung lượng rồi thử lại."
    if not folder.is_dir():
        return f"Không lưu được {what}: thư mục “{folder}” không tồn tại."
    if replacing:  # the new file was written; only the old one could not be replaced
        return (
            f"Không ghi đè được tệp “{out_path.name}”: tệp đang được mở{_program(out_path)} hoặc chỉ cho phép "
            "đọc. Hãy đóng tệp hoặc chọn tên khác rồi thử lại."
        )
    return f"Không ghi được tệp vào thư mục “{folder}”. Hãy kiểm tra quyền ghi hoặc chọn thư mục khác."


def _program(out_path: Path) -> str:
    program = _PROGRAMS.get(out_path.suffix.lower())
    return f" (ví dụ trong {program})" if program else ""


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; Windows has no such call and needs none."""
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
