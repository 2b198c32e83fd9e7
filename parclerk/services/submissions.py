"""Self-assessments that travel as files (bài nộp), with no server.

A unit exports its year's self-assessment as one package (parclerk.exchange); exporting again after a
change makes the next version of the same submission. The collecting office (Sở Nội vụ, or a commune for
its own departments) previews a batch of packages, every problem listed per file before anything is
stored, then imports the good ones in one transaction: a newer version replaces the older one, whose row
stays as history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parclerk import __version__, criteria, dates, exchange, glossary, paths, vntext
from parclerk.criteria import CriteriaSet, format_points
from parclerk.errors import NotFoundError, ParclerkError, ValidationError
from parclerk.exchange import Package, PackageError
from parclerk.fileio import write_atomically
from parclerk.models import OfficeProfile
from parclerk.queries import Changes
from parclerk.services import assessment, attachments
from parclerk.services.settings import get_profile, get_setting, put_setting

if TYPE_CHECKING:
    from sqlite_utils import Database

SOURCE_KEY = "source_id"


def source_id(db: Database) -> str:
    """This database's own identity, made once: it tells two units with the same name apart."""
    value = get_setting(db, SOURCE_KEY)
    if isinstance(value, str) and value:
        return value
    value = str(uuid.uuid4())
    with db.atomic():
        put_setting(db, SOURCE_KEY, value)
    return value


def set_payload(criteria_set: CriteriaSet) -> dict[str, Any]:
    """A criteria set as package data (criteria.json)."""
    return {
        "name": criteria_set.name,
        "year": criteria_set.year,
        "level": criteria_set.level,
        "source": criteria_set.source,
        "classifications": [[c.label, str(c.minimum_percent)] for c in criteria_set.classifications],
        "criteria": [
            {"code": c.code, "title": c.title, "maximum": c.maximum, "rule": c.rule.text, "survey": c.survey,
             "evidence": c.evidence, "department": c.department, "kind": c.kind}
            for c in criteria_set.criteria
        ],
    }  # fmt: skip


def set_identity(criteria_set: CriteriaSet) -> str:
    return exchange.set_checksum(criteria_set.year, criteria_set.level, set_payload(criteria_set)["criteria"])


# --- the unit: export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path
    version: int
    new_version: bool  # False: the content is the same as the last export's
    checksum: str
    scored: int
    leaves: int
    files_count: int
    missing_files: tuple[str, ...]  # evidence files no longer in the data folder


def default_file_name(unit_name: str, year: int, version: int) -> str:
    """'ChiSoCCHC-2025-Uy-ban-nhan-dan-xa-Son-Tay-v3.zip': ASCII, so e-mail and USB sticks keep it intact."""
    words = re.sub(r"[^a-z0-9]+", "-", vntext.fold(unit_name)).strip("-")
    words = "-".join(w.capitalize() for w in words.split("-") if w)[:60] or "Don-vi"
    return f"ChiSoCCHC-{year}-{words}-v{version}{exchange.SUFFIX}"


def next_export(db: Database, year: int) -> tuple[int, str]:
    """The version and file name the next export of `year` would get (for the save dialog)."""
    assessment_id = assessment.assessment_for_year(db, year)
    unit = _unit_name(db, assessment_id)
    criteria_set = assessment.assessment_set(db, assessment_id)
    data = _assessment_payload(db, assessment_id, criteria_set, unit, with_files=False)[0]
    version, _new = _version_for(db, assessment_id, exchange.sha256_hex(exchange.canonical_json(data)))
    return version, default_file_name(unit, year, version)


def export_submission(db: Database, year: int, out: Path, *, with_files: bool = False) -> Exported:
    """Write the year's self-assessment as a package at `out`. The version is recorded in the same
    transaction that writes the file, so a file that failed takes no version."""
    assessment_id = assessment.assessment_for_year(db, year)
    unit = _unit_name(db, assessment_id)
    profile = get_profile(db)
    criteria_set = assessment.assessment_set(db, assessment_id)
    data, files, missing = _assessment_payload(db, assessment_id, criteria_set, unit, with_files=with_files)
    data_checksum = exchange.sha256_hex(exchange.canonical_json(data))
    source = source_id(db)
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    out = Path(out)
    with db.atomic():
        version, new_version = _version_for(db, assessment_id, data_checksum)
        if new_version:
            db.execute(
                "INSERT INTO submission_exports (assessment_id, version, checksum, exported_at, file_name) "
                "VALUES (?, ?, ?, ?, ?)",
                [assessment_id, version, data_checksum, stamp, out.name],
            )
        checksum = _write(out, criteria_set, profile, unit=unit, year=year, version=version, source=source,
                          stamp=stamp, data=data, files=files)  # fmt: skip
    scores = [s for s in data["scores"] if s["score"] is not None]
    return Exported(out, version, new_version, checksum, len(scores), len(data["scores"]),
                    len(files), tuple(missing))  # fmt: skip


def _write(
    out: Path, criteria_set: CriteriaSet, profile: OfficeProfile, *, unit: str, year: int, version: int,
    source: str, stamp: str, data: dict[str, Any], files: dict[str, Path],
) -> str:  # fmt: skip
    """Write the package atomically; returns its checksum."""
    manifest = {
        "app_version": __version__,
        "source_id": source,
        "unit": {"name": unit, "level": profile.level, "place": profile.place_name},
        "year": year,
        "version": version,
        "exported_at": stamp,
        "set": {"name": criteria_set.name, "year": criteria_set.year, "level": criteria_set.level,
                "source": criteria_set.source, "checksum": set_identity(criteria_set)},
    }  # fmt: skip
    written: dict[str, Any] = {}

    def write(temp: Path) -> None:
        written.update(
            exchange.write_package(
                temp,
                manifest=manifest,
                assessment=data,
                criteria=set_payload(criteria_set),
                evidence_files=files,
            )
        )

    write_atomically(out, write, what="bài nộp")
    return str(written["checksum"])


def write_demo_package(
    out: Path, criteria_set: CriteriaSet, profile: OfficeProfile, *, year: int, scores: dict[str, int | None],
    source: str, exported_at: str, version: int = 1,
) -> str:  # fmt: skip
    """A package as a unit's parclerk would export it, from scores alone (the demo's collection, tests)."""
    data = {
        "unit": profile.unit_name,
        "year": year,
        "set_checksum": set_identity(criteria_set),
        "scores": [{"code": code, "score": score, "explanation": ""} for code, score in scores.items()],
        "evidence": [],
    }
    return _write(out, criteria_set, profile, unit=profile.unit_name, year=year, version=version, source=source,
                  stamp=exported_at, data=data, files={})  # fmt: skip


def _unit_name(db: Database, assessment_id: int) -> str:
    profile = get_profile(db)
    row = db.execute("SELECT unit_name FROM assessments WHERE id = ?", [assessment_id]).fetchone()
    unit = vntext.clean_line(profile.unit_name) or vntext.clean_line(row[0] if row else "")
    if not unit:
        raise ValidationError(
            {
                "Thông tin đơn vị": "Chưa có tên đơn vị: hãy điền “Thông tin đơn vị” (menu Công cụ) trước khi xuất bài nộp."
            }
        )
    return unit


def _version_for(db: Database, assessment_id: int, data_checksum: str) -> tuple[int, bool]:
    row = db.execute(
        "SELECT version, checksum FROM submission_exports WHERE assessment_id = ? ORDER BY version DESC LIMIT 1",
        [assessment_id],
    ).fetchone()
    if row is None:
        return 1, True
    if row[1] == data_checksum:
        return int(row[0]), False
    return int(row[0]) + 1, True


def _assessment_payload(
    db: Database, assessment_id: int, criteria_set: CriteriaSet, unit: str, *, with_files: bool
) -> tuple[dict[str, Any], dict[str, Path], list[str]]:
    """assessment.json's content, the evidence files to include (sha256 -> path) and the missing ones."""
    view = assessment.view_assessment(db, assessment_id)
    leaves = {c.code for c in criteria_set.leaves() if not c.survey}
    extra = {c.code for c in criteria_set.criteria if c.kind != "item"}
    scores = [
        {"code": row.criterion.code, "score": row.self_score, "explanation": row.explanation}
        for row in view.rows
        if row.criterion.code in leaves or (row.criterion.code in extra and row.self_score is not None)
    ]
    files: dict[str, Path] = {}
    missing: list[str] = []
    folder = paths.files_dir(attachments.db_path_of(db)) if with_files else None
    evidence = []
    for item in assessment.list_evidence(db, assessment_id):
        if item.suggested:
            continue
        if item.sha256 and folder is not None:
            stored = attachments.stored_path(folder, item.sha256, item.original_name)
            if stored.is_file():
                files[item.sha256] = stored
            else:
                missing.append(item.original_name or item.sha256[:12])
        evidence.append(
            {"code": item.code, "label": item.label, "locator": item.locator,
             "date": dates.to_iso(item.evidence_date), "sha256": item.sha256,
             "original_name": item.original_name}
        )  # fmt: skip
    data = {
        "unit": unit,
        "year": view.year,
        "set_checksum": set_identity(criteria_set),
        "scores": scores,
        "evidence": evidence,
    }
    return data, files, missing


# --- the collecting office: preview and import ---------------------------------------------------------

STATUS_LABELS = {
    "new": "Nhập mới",
    "replace": "Thay bản cũ",
    "same": "Đã có, bỏ qua",
    "rejected": "Không nhập",
}


@dataclass(frozen=True)
class FilePreview:
    """What one file holds and what importing it would do."""

    path: Path
    status: str  # see STATUS_LABELS
    unit_name: str = ""
    unit_level: str = ""
    year: int | None = None
    set_name: str = ""
    set_id: int | None = None
    version: int | None = None
    exported_at: str = ""
    achieved: int | None = None  # self-assessed points, hundredths (survey excluded)
    maximum: int | None = None
    index_percent: Decimal | None = None
    classification: str = ""
    scored: int = 0
    leaves: int = 0
    evidence_count: int = 0
    files_count: int = 0
    problems: tuple[str, ...] = ()  # any problem keeps the file out
    warnings: tuple[str, ...] = ()
    change: str = ""  # for a replacement: what differs from the version already imported
    package: Package | None = dataclasses.field(default=None, repr=False, compare=False)
    scores: dict[str, int | None] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @property
    def accepted(self) -> bool:
        return self.status in ("new", "replace")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def exported_text(self) -> str:
        return format_stamp(self.exported_at)


def format_stamp(stamp: str) -> str:
    """'2026-11-20T10:05:00' -> '20/11/2026 10:05'."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    return f"{moment:%d/%m/%Y %H:%M}"


@dataclass(frozen=True)
class ImportOutcome:
    previews: tuple[FilePreview, ...]
    imported: int
    replaced: int
    changes: Changes = dataclasses.field(default_factory=lambda: Changes(assessment=True))


def preview_import(db: Database, files: list[Path], *, year: int | None = None) -> list[FilePreview]:
    """Read and check every file against this office's criteria sets and what it already imported.
    Nothing is written."""
    sets = _SetIndex(db)
    previews = [_preview_one(db, Path(f), sets, year) for f in files]
    return _mark_batch_duplicates(previews)


def import_submissions(db: Database, files: list[Path], *, year: int | None = None) -> ImportOutcome:
    """Import every file the preview accepts, all in one transaction; the others change nothing."""
    previews = preview_import(db, files, year=year)
    accepted = [p for p in previews if p.accepted]
    if not accepted:
        return ImportOutcome(tuple(previews), 0, 0)
    db_path = attachments.db_path_of(db)
    folder = paths.files_dir(db_path)
    for preview in accepted:  # files first, under their hashes: an interrupted import leaves no half file
        assert preview.package is not None
        attachments.store_file(folder, preview.package.path)
        for item in preview.package.files:
            stored = attachments.stored_path(folder, item.sha256, item.member)
            if not stored.is_file():
                digest, _size = attachments.store_chunks(
                    folder, exchange.open_evidence(preview.package.path, item.member), item.member
                )
                if digest != item.sha256:
                    raise PackageError(f"Tệp “{preview.path.name}”: tệp kiểm chứng “{item.member}” bị hỏng.")
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    replaced = 0
    with db.atomic():
        for preview in accepted:
            replaced += _store(db, preview, stamp)
    return ImportOutcome(tuple(previews), len(accepted), replaced)


class _SetIndex:
    """This office's criteria sets with their identities, loaded once per preview."""

    def __init__(self, db: Database):
        self._db = db
        self._sets: list[tuple[int, CriteriaSet, str]] | None = None

    def all(self) -> list[tuple[int, CriteriaSet, str]]:
        if self._sets is None:
            ids = [
                int(r[0])
                for r in self._db.execute("SELECT id FROM criteria_sets ORDER BY year DESC, id DESC")
            ]
            loaded = [(i, assessment.load_set(self._db, i)) for i in ids]
            self._sets = [(i, s, set_identity(s)) for i, s in loaded]
        return self._sets

    def by_id(self, set_id: int) -> CriteriaSet:
        return next(criteria_set for i, criteria_set, _identity in self.all() if i == set_id)

    def used_in(self, year: int) -> CriteriaSet | None:
        """The set this office itself uses for `year`: its own assessment's, else one issued for that year."""
        row = self._db.execute(
            "SELECT set_id FROM assessments WHERE year = ? ORDER BY id DESC LIMIT 1", [year]
        ).fetchone()
        for set_id, criteria_set, _identity in self.all():
            if (row and set_id == row[0]) or (not row and criteria_set.year == year):
                return criteria_set
        return None


def _preview_one(db: Database, path: Path, sets: _SetIndex, year: int | None) -> FilePreview:
    try:
        package = exchange.read_package(path)
    except PackageError as exc:
        return FilePreview(path, "rejected", problems=(exc.message,))
    problems: list[str] = []
    warnings: list[str] = []
    unit = vntext.clean_line(package.unit_name)
    base = FilePreview(
        path, "rejected", unit_name=unit, unit_level=package.unit_level, year=package.year,
        set_name=str(package.manifest["set"].get("name", "")), version=package.version,
        exported_at=package.exported_at, evidence_count=len(package.assessment.get("evidence") or []),
        files_count=len(package.files), package=package,
    )  # fmt: skip
    if year is not None and package.year != year:
        problems.append(f"Bài nộp của năm {package.year}, không phải năm {year} đang tổng hợp.")
    match = _match_set(package, sets, problems)
    scores: dict[str, int | None] = {}
    if match is not None:
        set_id, criteria_set = match
        scores = _check_scores(package, criteria_set, problems, warnings)
        base = dataclasses.replace(base, set_id=set_id, set_name=criteria_set.name, scores=scores)
        if package.unit_level and package.unit_level != criteria_set.level:
            warnings.append(
                f"Đơn vị khai cấp “{glossary.LEVELS.get(package.unit_level, package.unit_level)}”, bộ chỉ số dành "
                f"cho cấp “{glossary.LEVELS.get(criteria_set.level, criteria_set.level)}”."
            )
        if not problems:
            result = self_result(criteria_set, scores)
            leaves = [c for c in criteria_set.leaves() if not c.survey]
            base = dataclasses.replace(
                base, achieved=result.achieved, maximum=result.maximum, index_percent=result.index_percent,
                classification=result.classification, leaves=len(leaves),
                scored=sum(1 for c in leaves if scores.get(c.code) is not None),
            )  # fmt: skip
    _check_evidence(package, problems)
    if problems:
        return dataclasses.replace(base, problems=tuple(problems), warnings=tuple(warnings))
    status, change = _against_imported(db, package, base, problems, sets)
    return dataclasses.replace(
        base, status=status, change=change, problems=tuple(problems), warnings=tuple(warnings)
    )


def _match_set(package: Package, sets: _SetIndex, problems: list[str]) -> tuple[int, CriteriaSet] | None:
    carried = package.criteria.get("criteria")
    try:
        own = exchange.set_checksum(package.criteria["year"], package.criteria["level"], carried)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError):
        problems.append("Bộ chỉ số đi kèm bài nộp (criteria.json) không đúng cấu trúc.")
        return None
    if own != package.set_checksum:
        problems.append("Bộ chỉ số đi kèm bài nộp không khớp mã kiểm tra trong manifest.json: gói đã bị sửa.")
        return None
    for set_id, criteria_set, identity in sets.all():
        if identity == package.set_checksum:
            return set_id, criteria_set
    ours = sets.used_in(package.year)
    if ours is None:
        problems.append(
            f"Cơ sở dữ liệu này chưa có bộ chỉ số dùng cho năm {package.year} (bài nộp chấm theo “"
            f"{package.criteria.get('name', '')}”): hãy nhập bộ chỉ số (Excel) ở màn hình Tự đánh giá trước, rồi "
            "nhập bài nộp."
        )
        return None
    problems.append(
        f"Bài nộp chấm theo bộ chỉ số khác (“{package.criteria.get('name', '')}”) với bộ chỉ số năm "
        f"{package.year} của cơ quan (“{ours.name}”): {_set_difference(ours, carried)}."
    )
    return None


def _set_difference(ours: CriteriaSet, carried: list[dict[str, Any]]) -> str:
    theirs = {str(c.get("code")): c for c in carried if isinstance(c, dict)}
    mine = {c.code: c for c in ours.criteria}
    only_theirs = [code for code in theirs if code not in mine]
    only_mine = [code for code in mine if code not in theirs]
    other_max = [
        code for code in mine if code in theirs and theirs[code].get("maximum") != mine[code].maximum
    ]
    parts = []
    if only_mine:
        parts.append(f"thiếu mã {', '.join(only_mine[:5])}")
    if only_theirs:
        parts.append(f"có mã lạ {', '.join(only_theirs[:5])}")
    if other_max:
        parts.append(f"điểm tối đa khác ở mã {', '.join(other_max[:5])}")
    return "; ".join(parts) or "khác năm hoặc cấp áp dụng"


def _check_scores(
    package: Package, criteria_set: CriteriaSet, problems: list[str], warnings: list[str]
) -> dict[str, int | None]:
    entries = package.assessment.get("scores")
    if not isinstance(entries, list):
        problems.append("Bài nộp không có bảng điểm (assessment.json thiếu “scores”).")
        return {}
    by_code = {c.code: c for c in criteria_set.criteria}
    parents = {c.parent_code for c in criteria_set.criteria}
    scores: dict[str, int | None] = {}
    over: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            problems.append("Bảng điểm có dòng không đúng cấu trúc.")
            return {}
        code, value = entry["code"], entry.get("score")
        item = by_code.get(code)
        if item is None:
            problems.append(f"Mã {vntext.clean_line(code)[:20]} không có trong bộ chỉ số.")
            continue
        if code in scores:
            problems.append(f"Mã {code} có hai điểm.")
            continue
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(f"Mã {code}: điểm không phải là số.")
            continue
        if not isinstance(entry.get("explanation", ""), str):
            problems.append(f"Mã {code}: phần giải trình không đúng cấu trúc.")
            continue
        if item.kind == "item" and code in parents:
            problems.append(f"Mã {code} có tiêu chí con: không chấm điểm trực tiếp.")
            continue
        if value is not None and value < 0:
            problems.append(f"Mã {code}: điểm âm ({format_points(value)}).")
            continue
        if value is not None and value > item.maximum:
            over.append(f"mã {code}: {format_points(value)} > {format_points(item.maximum)}")
            continue
        if item.survey:
            continue  # the survey's points come from the province, not from the unit
        scores[code] = value
    if over:
        problems.append(f"Điểm vượt điểm tối đa ({len(over)} tiêu chí): {'; '.join(over[:5])}.")
    unscored = [c.code for c in criteria_set.leaves() if not c.survey and scores.get(c.code) is None]
    if unscored and not problems:
        shown = ", ".join(unscored[:8]) + ("…" if len(unscored) > 8 else "")
        warnings.append(f"Thiếu điểm {len(unscored)} tiêu chí (tính 0 điểm): {shown}.")
    return scores


def _check_evidence(package: Package, problems: list[str]) -> None:
    evidence = package.assessment.get("evidence", [])
    if not isinstance(evidence, list) or not all(
        isinstance(e, dict) and isinstance(e.get("code"), str) and isinstance(e.get("label", ""), str)
        and isinstance(e.get("locator", ""), str) for e in evidence
    ):  # fmt: skip
        problems.append("Danh sách tài liệu kiểm chứng trong bài nộp không đúng cấu trúc.")


def _against_imported(
    db: Database, package: Package, preview: FilePreview, problems: list[str], sets: _SetIndex
) -> tuple[str, str]:
    """new, same or replace, judged against the unit's current submission; or a problem."""
    current = db.execute(
        "SELECT s.id, s.source_id, s.version, s.exported_at, s.data_checksum FROM submissions s "
        "JOIN collection_units u ON u.id = s.unit_id "
        "WHERE u.year = ? AND u.name_fold = ? AND s.replaced_by IS NULL",
        [package.year, vntext.fold(preview.unit_name)],
    ).fetchone()
    if current is None:
        return "new", ""
    current_id, source, version, exported_at, data_checksum = current
    when = format_stamp(exported_at)
    if source != package.source_id:
        problems.append(
            f"Trùng đơn vị: “{preview.unit_name}” đã có bài nộp từ một cơ sở dữ liệu khác (phiên bản {version}, "
            f"xuất {when}). Nếu đơn vị đã chuyển máy, hãy xóa bài nộp cũ ở danh sách bài nộp rồi nhập lại."
        )
        return "rejected", ""
    if version == package.version and data_checksum == package.data_checksum:
        return "same", f"Đã nhập phiên bản {version} này ({when})."
    if (package.version, package.exported_at) < (int(version), exported_at):
        problems.append(
            f"Bản cũ hơn: phiên bản {package.version} (xuất {preview.exported_text}) cũ hơn phiên bản {version} "
            f"đã nhập (xuất {when})."
        )
        return "rejected", ""
    return "replace", _change_text(db, int(current_id), int(version), when, preview, sets)


def _change_text(
    db: Database, current_id: int, version: int, when: str, preview: FilePreview, sets: _SetIndex
) -> str:
    old = dict(
        db.execute(
            "SELECT code, score FROM submission_scores WHERE submission_id = ?", [current_id]
        ).fetchall()
    )
    changed = sorted(
        code for code in set(old) | set(preview.scores) if old.get(code) != preview.scores.get(code)
    )
    set_id = db.execute("SELECT set_id FROM submissions WHERE id = ?", [current_id]).fetchone()[0]
    old_total = self_result(sets.by_id(set_id), old).achieved
    text = (
        f"Thay phiên bản {version} (xuất {when}): tổng điểm {format_points(old_total)} → "
        f"{format_points(preview.achieved)}; {len(changed)} tiêu chí đổi điểm"
    )
    if changed:
        text += f" ({', '.join(changed[:6])}{'…' if len(changed) > 6 else ''})"
    return text + "."


def _mark_batch_duplicates(previews: list[FilePreview]) -> list[FilePreview]:
    """Two files of one unit in the same batch: the newest goes in and the others are listed as duplicates;
    files of one unit from two different databases all stay out until the office asks which is right."""
    groups: dict[tuple[int | None, str], list[int]] = {}
    for index, preview in enumerate(previews):
        if preview.status != "rejected":
            groups.setdefault((preview.year, vntext.fold(preview.unit_name)), []).append(index)
    result = list(previews)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        members = [previews[i] for i in indexes]
        names = ", ".join(f"“{p.path.name}”" for p in members)
        if len({p.package.source_id for p in members if p.package}) > 1:
            reason = (
                f"Trùng đơn vị: các tệp {names} đều là bài nộp của “{members[0].unit_name}” nhưng từ các cơ sở dữ "
                "liệu khác nhau. Hãy hỏi lại đơn vị tệp nào đúng rồi chỉ nhập tệp đó."
            )
            for i in indexes:
                result[i] = dataclasses.replace(previews[i], status="rejected", problems=(reason,))
            continue
        chosen = max(indexes, key=lambda i: (previews[i].version or 0, previews[i].exported_at))
        for i in indexes:
            if i == chosen:
                continue
            winner = previews[chosen]
            same = previews[i].package.data_checksum == winner.package.data_checksum  # type: ignore[union-attr]
            reason = (
                f"Trùng với tệp “{winner.path.name}” (cùng nội dung): bỏ qua."
                if same
                else f"Trùng đơn vị với tệp “{winner.path.name}”: nhập bản mới hơn đó (phiên bản {winner.version})."
            )
            result[i] = dataclasses.replace(previews[i], status="rejected", problems=(reason,))
    return result


def _store(db: Database, preview: FilePreview, stamp: str) -> int:
    """Insert one accepted submission; returns 1 when it replaced an older version."""
    package = preview.package
    assert package is not None and preview.year is not None and preview.set_id is not None
    unit_id = ensure_unit(db, preview.year, preview.unit_name, expected=False)
    cursor = db.execute(
        "INSERT INTO submissions (unit_id, set_id, year, unit_name, unit_level, source_id, version, exported_at, "
        "checksum, data_checksum, package_sha256, file_name, app_version, files_count, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [unit_id, preview.set_id, preview.year, preview.unit_name, package.unit_level, package.source_id,
         package.version, package.exported_at, package.checksum, package.data_checksum, package.sha256,
         preview.path.name, str(package.manifest.get("app_version", "")), len(package.files), stamp],
    )  # fmt: skip
    new_id = int(cursor.lastrowid or 0)
    included = {item.sha256 for item in package.files}  # the evidence files that travelled with it
    explanations = {
        e["code"]: vntext.nfc(e.get("explanation", "")).strip() for e in package.assessment["scores"]
    }
    db.conn.executemany(
        "INSERT INTO submission_scores (submission_id, code, score, explanation) VALUES (?, ?, ?, ?)",
        [(new_id, code, score, explanations.get(code, "")) for code, score in preview.scores.items()],
    )
    db.conn.executemany(
        "INSERT INTO submission_evidence (submission_id, code, label, locator, evidence_date, sha256, original_name) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (new_id, e["code"], vntext.clean_line(e.get("label", ""))[:500], vntext.clean_line(e.get("locator", ""))[:200],
             _iso_or_none(e.get("date")), e.get("sha256", "") if e.get("sha256", "") in included else "",
             vntext.clean_line(str(e.get("original_name", "")))[:200])
            for e in package.assessment.get("evidence", [])
        ],
    )  # fmt: skip
    cursor = db.execute(
        "UPDATE submissions SET replaced_by = ? WHERE unit_id = ? AND id != ? AND replaced_by IS NULL",
        [new_id, unit_id, new_id],
    )
    return 1 if cursor.rowcount else 0


def _iso_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


# --- self-assessed totals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfResult:
    per_code: dict[str, int]
    achieved: int
    maximum: int  # the points the unit can give itself (survey excluded)
    index_percent: Decimal
    classification: str


def self_result(criteria_set: CriteriaSet, scores: dict[str, int | None]) -> SelfResult:
    """A unit's self-assessed total over the items it scores itself (the survey is the province's)."""
    own = {c.code: scores.get(c.code) for c in criteria_set.criteria if not c.survey}
    per_code = criteria.rollup(criteria_set, own)
    reached = criteria.achieved(criteria_set, per_code)
    maximum = criteria.self_maximum(criteria_set)
    index = criteria.percent(reached, maximum)
    return SelfResult(per_code, reached, maximum, index, criteria_set.classify(index))


# --- the collecting office: units and submissions ----------------------------------------------------------


@dataclass(frozen=True)
class CollectionUnit:
    id: int
    year: int
    name: str
    expected: bool  # listed by the office, not only known from a submission
    ranked: bool  # some units are scored but not ranked
    submission_id: int | None
    version: int | None
    exported_at: str
    imported_at: str


def ensure_unit(db: Database, year: int, name: str, *, expected: bool = True) -> int:
    """The unit's id in the year's list, adding it when new (expected=True also marks a known unit listed)."""
    name = vntext.clean_line(name)
    if not name:
        raise ValidationError({"Tên đơn vị": "Chưa nhập tên đơn vị."})
    if len(name) > 200:
        raise ValidationError({"Tên đơn vị": "Tên đơn vị dài quá 200 ký tự."})
    fold = vntext.fold(name)
    db.execute(
        "INSERT INTO collection_units (year, name, name_fold, name_sort, expected) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (year, name_fold) DO UPDATE SET expected = max(expected, excluded.expected)",
        [year, name, fold, vntext.sort_key(name), int(expected)],
    )
    return int(
        db.execute(
            "SELECT id FROM collection_units WHERE year = ? AND name_fold = ?", [year, fold]
        ).fetchone()[0]
    )


def add_expected_units(db: Database, year: int, names: list[str]) -> Changes:
    """Add the units expected to submit for `year` (one name per entry; blank lines are skipped)."""
    cleaned = [vntext.clean_line(n) for n in names if vntext.clean_line(n)]
    if not cleaned:
        raise ValidationError({"Tên đơn vị": "Chưa nhập tên đơn vị nào."})
    with db.atomic():
        for name in cleaned:
            ensure_unit(db, year, name, expected=True)
    return Changes(assessment=True)


def copy_units_from(db: Database, year: int, from_year: int) -> int:
    """List last year's units (with their 'ranked' flags) for `year`; returns how many were added."""
    rows = db.execute(
        "SELECT name, ranked FROM collection_units WHERE year = ? AND expected = 1", [from_year]
    ).fetchall()
    if not rows:
        raise NotFoundError(f"Năm {from_year} chưa có danh sách đơn vị.")
    before = _count_units(db, year)
    with db.atomic():
        for name, ranked in rows:
            unit_id = ensure_unit(db, year, name, expected=True)
            db.execute("UPDATE collection_units SET ranked = ? WHERE id = ?", [ranked, unit_id])
    return _count_units(db, year) - before


def _count_units(db: Database, year: int) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM collection_units WHERE year = ? AND expected = 1", [year]
        ).fetchone()[0]
    )


def set_ranked(db: Database, unit_id: int, ranked: bool) -> Changes:
    with db.atomic():
        db.execute("UPDATE collection_units SET ranked = ? WHERE id = ?", [int(ranked), unit_id])
    return Changes(assessment=True)


def remove_unit(db: Database, unit_id: int) -> Changes:
    """Take a unit off the year's list, with its submissions (the packages stay in the data folder)."""
    with db.atomic():
        _delete_submissions(db, unit_id)
        db.execute("DELETE FROM collection_units WHERE id = ?", [unit_id])
    return Changes(assessment=True)


def remove_submissions(db: Database, unit_id: int) -> Changes:
    """Delete a unit's submissions (every version), e.g. before importing the package of a unit that changed
    PCs. A listed unit stays on the list; a unit known only from its package goes with it."""
    with db.atomic():
        _delete_submissions(db, unit_id)
        db.execute("DELETE FROM collection_units WHERE id = ? AND expected = 0", [unit_id])
    return Changes(assessment=True)


def _delete_submissions(db: Database, unit_id: int) -> None:
    ids = [(r[0],) for r in db.execute("SELECT id FROM submissions WHERE unit_id = ?", [unit_id]).fetchall()]
    for table in ("submission_scores", "submission_evidence"):
        db.conn.executemany(f"DELETE FROM {table} WHERE submission_id = ?", ids)
    db.execute("UPDATE submissions SET replaced_by = NULL WHERE unit_id = ?", [unit_id])
    db.execute("DELETE FROM submissions WHERE unit_id = ?", [unit_id])


def list_units(db: Database, year: int) -> list[CollectionUnit]:
    """The year's units, listed or known from a submission, in Vietnamese order, with their current version."""
    rows = db.execute(
        "SELECT u.id, u.year, u.name, u.expected, u.ranked, s.id, s.version, s.exported_at, s.imported_at "
        "FROM collection_units u LEFT JOIN submissions s ON s.unit_id = u.id AND s.replaced_by IS NULL "
        "WHERE u.year = ? ORDER BY u.name_sort",
        [year],
    ).fetchall()
    return [
        CollectionUnit(int(i), int(y), n, bool(e), bool(r), s, v, x or "", im or "")
        for i, y, n, e, r, s, v, x, im in rows
    ]


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    unit_name: str
    version: int
    exported_at: str
    imported_at: str
    file_name: str
    checksum: str
    files_count: int
    current: bool


def list_submissions(db: Database, year: int) -> list[SubmissionRow]:
    """Every imported version of the year, newest first within each unit."""
    rows = db.execute(
        "SELECT s.id, u.name, s.version, s.exported_at, s.imported_at, s.file_name, s.checksum, s.files_count, "
        "s.replaced_by IS NULL FROM submissions s JOIN collection_units u ON u.id = s.unit_id "
        "WHERE s.year = ? ORDER BY u.name_sort, s.version DESC, s.id DESC",
        [year],
    ).fetchall()
    return [
        SubmissionRow(int(r[0]), r[1], int(r[2]), r[3], r[4], r[5], r[6], int(r[7]), bool(r[8])) for r in rows
    ]


def collection_years(db: Database) -> list[int]:
    """Years with units or submissions, newest first."""
    return [int(r[0]) for r in db.execute("SELECT DISTINCT year FROM collection_units ORDER BY year DESC")]


def check_files_exist(files: list[Path]) -> None:
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        raise ParclerkError(f"Không tìm thấy tệp: {', '.join(missing[:5])}.")


def describe(preview: FilePreview) -> str:
    """One file's preview as plain text lines (the CLI, the log)."""
    head = f"[{preview.status_label}] {preview.path.name}"
    if preview.unit_name:
        head += f" — {preview.unit_name}, năm {preview.year}, phiên bản {preview.version} (xuất {preview.exported_text})"
    if preview.achieved is not None and preview.index_percent is not None:
        head += (
            f": {format_points(preview.achieved)}/{format_points(preview.maximum)} điểm, "
            f"{criteria.format_percent(preview.index_percent)}"
            + (f" — {preview.classification}" if preview.classification else "")
            + f"; {preview.scored}/{preview.leaves} tiêu chí có điểm"
        )
    lines = [head]
    lines += [f"   → {preview.change}"] if preview.change else []
    lines += [f"   ! {w}" for w in preview.warnings]
    lines += [f"   ✗ {p}" for p in preview.problems]
    return "\n".join(lines)
