"""The submission package (bài nộp): one unit's self-assessment as one file that travels by e-mail or USB
stick to the office that collects and ranks. The format is documented in docs/submission-format.md.

A package is a zip archive holding:
- manifest.json: the format name and version, the unit, the year, the export's version and time, the
  criteria set's identity (its structure checksum), the SHA-256 of every other member, and the package
  checksum over that list;
- assessment.json: the scores (integer hundredths), explanations and the evidence cited;
- criteria.json: the set as the unit had it, so the collecting office can tell what differs;
- evidence/<sha256>.<ext>: the evidence files, when the unit chose to include them.

Reading never trusts the archive: member names must be exactly these shapes (nothing is ever extracted by
its own name, so "../" paths go nowhere), sizes are bounded while reading (a zip bomb stops at the limit,
whatever its header claims), and every member is checked against its hash. Nothing here touches the
database; parclerk.services.submissions does.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parclerk import vntext
from parclerk.errors import ParclerkError

FORMAT = "parclerk-bai-nop-chi-so-cchc"
FORMAT_VERSION = 1
SUFFIX = ".zip"

MANIFEST = "manifest.json"
ASSESSMENT = "assessment.json"
CRITERIA = "criteria.json"
_EVIDENCE_NAME = re.compile(r"evidence/(?P<sha>[0-9a-f]{64})(?P<ext>\.[a-z0-9]{1,10})?")

# Limits: far above any real package, low enough that a hostile one cannot fill memory or disk.
MAX_PACKAGE_BYTES = 400 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_CHUNK = 1 << 20


class PackageError(ParclerkError):
    """The file cannot be read as a submission package; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class EvidenceFile:
    member: str  # evidence/<sha256>.<ext>
    sha256: str
    size: int


@dataclass(frozen=True)
class Package:
    """A package read and checked for integrity (not yet against any criteria set)."""

    path: Path
    sha256: str  # of the whole file: the collecting office keeps the file under it
    manifest: dict[str, Any]
    assessment: dict[str, Any]
    criteria: dict[str, Any]
    files: tuple[EvidenceFile, ...] = field(default=())

    @property
    def unit_name(self) -> str:
        return str(self.manifest["unit"]["name"])

    @property
    def unit_level(self) -> str:
        return str(self.manifest["unit"].get("level", ""))

    @property
    def year(self) -> int:
        return int(self.manifest["year"])

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    @property
    def source_id(self) -> str:
        return str(self.manifest["source_id"])

    @property
    def exported_at(self) -> str:
        return str(self.manifest["exported_at"])

    @property
    def checksum(self) -> str:
        return str(self.manifest["checksum"])

    @property
    def data_checksum(self) -> str:
        return str(self.manifest["members"][ASSESSMENT])

    @property
    def set_checksum(self) -> str:
        return str(self.manifest["set"]["checksum"])


# --- checksums ---------------------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8, NFC text (the same on every PC)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_checksum(members: dict[str, str]) -> str:
    """The package checksum: SHA-256 over "name sha256" lines of every member but the manifest, sorted."""
    lines = "".join(f"{name} {digest}\n" for name, digest in sorted(members.items()))
    return sha256_hex(lines.encode("utf-8"))


def set_checksum(year: int, level: str, criteria: list[dict[str, Any]]) -> str:
    """A criteria set's identity: its year, level and structure (code, maximum, survey flag, kind), so a
    corrected title or a new responsible department does not make a unit's package "another set"."""
    structure = [
        [c["code"], int(c["maximum"]), bool(c.get("survey")), c.get("kind", "item")] for c in criteria
    ]
    return sha256_hex(canonical_json([int(year), level, structure]))


# --- writing -----------------------------------------------------------------------------------------


def write_package(
    out: Path,
    *,
    manifest: dict[str, Any],
    assessment: dict[str, Any],
    criteria: dict[str, Any],
    evidence_files: dict[str, Path] | None = None,
) -> dict[str, Any]:
    """Write the zip at `out` (the caller writes to a temporary name and renames); returns the manifest
    completed with the members' hashes and the package checksum. `evidence_files` maps sha256 -> file."""
    assessment_bytes = canonical_json(assessment)
    criteria_bytes = canonical_json(criteria)
    members = {ASSESSMENT: sha256_hex(assessment_bytes), CRITERIA: sha256_hex(criteria_bytes)}
    names: dict[str, Path] = {}
    for digest, source in sorted((evidence_files or {}).items()):
        suffix = Path(source).suffix.lower()
        suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""
        names[f"evidence/{digest}{suffix}"] = Path(source)
        members[f"evidence/{digest}{suffix}"] = digest
    full = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION, "members": members,
            "checksum": package_checksum(members)}  # fmt: skip
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(full, ensure_ascii=False, indent=1, sort_keys=True))
        archive.writestr(ASSESSMENT, assessment_bytes)
        archive.writestr(CRITERIA, criteria_bytes)
        for name, source in names.items():
            archive.write(source, name)
    return full


# --- reading -----------------------------------------------------------------------------------------


def read_package(path: Path) -> Package:
    """Open and check a package: its shape, its sizes, every member's hash and the package checksum.

    Raises PackageError with the reason; never extracts anything to disk.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageError(f"Không đọc được tệp “{name}”: {exc.strerror or exc}.") from exc
    if size > MAX_PACKAGE_BYTES:
        raise PackageError(
            f"Tệp “{name}” lớn hơn {MAX_PACKAGE_BYTES // (1024 * 1024)} MB: không phải bài nộp."
        )
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise PackageError(
            f"Tệp “{name}” không phải bài nộp Chỉ số CCHC (không phải tệp nén .zip, hoặc tệp bị hỏng, "
            "bị cắt cụt khi gửi)."
        ) from exc
    except OSError as exc:
        raise PackageError(f"Không đọc được tệp “{name}”: {exc.strerror or exc}.") from exc
    with archive:
        infos = _check_members(archive, name)
        manifest = _check_manifest(_read_json(archive, infos[MANIFEST], name), name)
        listed = manifest["members"]
        if set(listed) != set(infos) - {MANIFEST}:
            extra = sorted((set(infos) - {MANIFEST}) ^ set(listed))
            raise PackageError(
                f"Tệp “{name}”: danh sách thành phần trong manifest.json không khớp với nội dung gói "
                f"({', '.join(extra[:3])}). Gói đã bị sửa hoặc bị hỏng."
            )
        if package_checksum(listed) != manifest["checksum"]:
            raise PackageError(
                f"Tệp “{name}”: mã kiểm tra (checksum) của gói không khớp: nội dung đã bị sửa sau khi xuất."
            )
        total = 0
        files: list[EvidenceFile] = []
        contents: dict[str, bytes] = {}
        for member, info in infos.items():
            if member == MANIFEST:
                continue
            limit = MAX_JSON_BYTES if member in (ASSESSMENT, CRITERIA) else MAX_FILE_BYTES
            member_digest, member_size, data = _hash_member(
                archive, info, name, limit, keep=member in (ASSESSMENT, CRITERIA)
            )
            total += member_size
            if total > MAX_TOTAL_BYTES:
                raise PackageError(f"Tệp “{name}”: nội dung giải nén quá lớn (trên 1 GB): không nhập.")
            if member_digest != listed[member]:
                raise PackageError(
                    f"Tệp “{name}”: thành phần “{member}” không khớp mã kiểm tra (checksum): gói đã bị sửa "
                    "hoặc bị hỏng khi gửi."
                )
            match = _EVIDENCE_NAME.fullmatch(member)
            if match:
                if match["sha"] != member_digest:
                    raise PackageError(f"Tệp “{name}”: tệp kiểm chứng “{member}” không khớp tên của nó.")
                files.append(EvidenceFile(member, member_digest, member_size))
            else:
                contents[member] = data or b""
    assessment = _loads(contents[ASSESSMENT], ASSESSMENT, name)
    criteria = _loads(contents[CRITERIA], CRITERIA, name)
    if not isinstance(assessment, dict) or not isinstance(criteria, dict):
        raise PackageError(f"Tệp “{name}”: dữ liệu trong gói không đúng cấu trúc.")
    return Package(path, digest.hexdigest(), manifest, assessment, criteria, tuple(files))


def open_evidence(path: Path, member: str) -> Iterator[bytes]:
    """The bytes of one evidence member, in chunks (the caller hashes and stores them)."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as source:
        read = 0
        while chunk := source.read(_CHUNK):
            read += len(chunk)
            if read > MAX_FILE_BYTES:
                raise PackageError(f"Tệp kiểm chứng “{member}” quá lớn.")
            yield chunk


def _check_members(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"Tệp “{name}” có quá nhiều thành phần ({len(infos)}): không phải bài nộp.")
    result: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        member = info.filename
        if member in (MANIFEST, ASSESSMENT, CRITERIA) or _EVIDENCE_NAME.fullmatch(member):
            if member in result:
                raise PackageError(f"Tệp “{name}”: thành phần “{member}” xuất hiện hai lần: gói bị sửa.")
            if info.flag_bits & 0x1:
                raise PackageError(f"Tệp “{name}” có thành phần được đặt mật khẩu: không đọc được.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PackageError(f"Tệp “{name}”: thành phần “{member}” nén theo kiểu không hỗ trợ.")
            result[member] = info
        elif member != "evidence/":
            shown = vntext.clean_line(member)[:80]
            raise PackageError(
                f"Tệp “{name}” chứa thành phần lạ “{shown}”: không phải bài nộp do parclerk xuất, không nhập."
            )
    if MANIFEST not in result:
        raise PackageError(
            f"Tệp “{name}” không phải bài nộp Chỉ số CCHC: thiếu manifest.json (có thể là một tệp nén khác)."
        )
    for member in (ASSESSMENT, CRITERIA):
        if member not in result:
            raise PackageError(f"Tệp “{name}”: thiếu thành phần {member}. Gói bị hỏng hoặc bị cắt cụt.")
    return result


def _hash_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int, *, keep: bool
) -> tuple[str, int, bytes | None]:
    """Read a member in chunks, stopping at `limit` bytes whatever the header says (zip bombs)."""
    digest = hashlib.sha256()
    kept: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as source:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PackageError(
                        f"Tệp “{name}”: thành phần “{info.filename}” giải nén ra quá lớn (trên "
                        f"{limit // (1024 * 1024)} MB): có thể là tệp độc hại, không nhập."
                    )
                digest.update(chunk)
                if keep:
                    kept.append(chunk)
    except PackageError:
        raise
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:  # bad CRC, truncated
        raise PackageError(
            f"Tệp “{name}”: không giải nén được “{info.filename}” (tệp bị hỏng hoặc bị cắt cụt khi gửi)."
        ) from exc
    except Exception as exc:  # zlib.error and friends from a damaged stream
        raise PackageError(f"Tệp “{name}”: không giải nén được “{info.filename}” (tệp bị hỏng).") from exc
    return digest.hexdigest(), size, b"".join(kept) if keep else None


def _read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> object:
    _digest, _size, data = _hash_member(archive, info, name, MAX_JSON_BYTES, keep=True)
    return _loads(data or b"", info.filename, name)


def _loads(data: bytes, member: str, name: str) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError(f"Tệp “{name}”: {member} không đọc được (không phải JSON UTF-8 hợp lệ).") from exc


def _check_manifest(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise PackageError(f"Tệp “{name}” không phải bài nộp Chỉ số CCHC do parclerk xuất.")
    version = value.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise PackageError(f"Tệp “{name}”: phiên bản định dạng không hợp lệ.")
    if version > FORMAT_VERSION:
        raise PackageError(
            f"Tệp “{name}” được xuất bằng phiên bản parclerk mới hơn (định dạng {version}). "
            "Hãy cập nhật parclerk rồi nhập lại."
        )
    problems = []
    unit = value.get("unit")
    if not isinstance(unit, dict) or not isinstance(unit.get("name"), str) or not unit["name"].strip():
        problems.append("thiếu tên đơn vị")
    if not _is_int(value.get("year")) or not 2000 <= value["year"] <= 2100:
        problems.append("năm không hợp lệ")
    if not _is_int(value.get("version")) or value["version"] < 1:
        problems.append("số phiên bản không hợp lệ")
    for key in ("source_id", "exported_at", "checksum"):
        if not isinstance(value.get(key), str) or not value[key]:
            problems.append(f"thiếu “{key}”")
    the_set = value.get("set")
    if not isinstance(the_set, dict) or not isinstance(the_set.get("checksum"), str):
        problems.append("thiếu thông tin bộ chỉ số")
    members = value.get("members")
    if not isinstance(members, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v)
        for k, v in members.items()
    ):
        problems.append("danh sách thành phần không hợp lệ")
    if problems:
        raise PackageError(f"Tệp “{name}”: manifest.json không hợp lệ ({'; '.join(problems)}).")
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
