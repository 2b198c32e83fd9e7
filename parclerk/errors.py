"""Errors a clerk can read. Every message is Vietnamese; a KnownError is shown as it is, anything else
is a bug and gets an error report."""

from __future__ import annotations

import sqlite3


class ParclerkError(Exception):
    """Base of the errors the app expects and explains."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


KnownError = ParclerkError


class ValidationError(ParclerkError):
    """Bad input. `fields` maps a field label to its message, so a form can point at the field."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("\n".join(self.fields.values()))

    def __or__(self, other: ValidationError) -> ValidationError:
        return ValidationError({**self.fields, **other.fields})


class NotFoundError(ParclerkError):
    pass


class DatabaseFileError(ParclerkError):
    """The database file cannot be used: not a parclerk file, from a newer version, no FTS5 ..."""


class BugError(Exception):
    """An unexpected failure: logged and reported, never shown as if it were the clerk's fault."""


_SQLITE_MESSAGES = {
    sqlite3.SQLITE_BUSY: "Cơ sở dữ liệu đang được một chương trình khác ghi. Vui lòng thử lại sau ít giây.",
    sqlite3.SQLITE_LOCKED: "Cơ sở dữ liệu đang bị khóa. Vui lòng thử lại sau ít giây.",
    sqlite3.SQLITE_READONLY: "Không ghi được: tệp dữ liệu hoặc thư mục chứa nó chỉ cho phép đọc.",
    sqlite3.SQLITE_IOERR: "Lỗi đọc/ghi ổ đĩa. Dữ liệu chưa được lưu; hãy kiểm tra ổ đĩa rồi thử lại.",
    sqlite3.SQLITE_FULL: "Ổ đĩa đã đầy, chưa lưu được dữ liệu. Hãy giải phóng dung lượng rồi thử lại.",
    sqlite3.SQLITE_CORRUPT: "Tệp dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu gần nhất.",
    sqlite3.SQLITE_CANTOPEN: "Không mở được tệp dữ liệu. Hãy kiểm tra đường dẫn và quyền truy cập.",
    sqlite3.SQLITE_NOTADB: "Tệp đã chọn không phải là cơ sở dữ liệu của parclerk.",
}


def from_sqlite(exc: sqlite3.Error) -> Exception:
    """Map an environment failure (disk full, read-only, locked ...) to a KnownError, the rest to a BugError."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _SQLITE_MESSAGES:
        return KnownError(_SQLITE_MESSAGES[code & 0xFF])
    return BugError(f"{type(exc).__name__}: {exc}")
