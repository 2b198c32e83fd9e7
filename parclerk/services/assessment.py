"""The PAR INDEX self-assessment: criteria sets stored as data, assessments per set and year, scores with
explanations, and the totals. Each write is one transaction; points are integer hundredths."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import criteria, dates, paths, tracking, vntext
from parclerk.criteria import Classification, CriteriaSet, Criterion, PointsError, format_points, parse_points
from parclerk.data.repo_directives import now_text
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import Attachment
from parclerk.queries import Changes
from parclerk.services import attachments

if TYPE_CHECKING:
    from sqlite_utils import Database


def save_set(db: Database, criteria_set: CriteriaSet) -> int:
    """Store a checked set (the importer checks it first); returns its id."""
    stamp = now_text()
    classifications = [
        {"label": c.label, "minimum_percent": str(c.minimum_percent)} for c in criteria_set.classifications
    ]
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO criteria_sets (name, year, level, source, sample, classifications, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [criteria_set.name, criteria_set.year, criteria_set.level, criteria_set.source, int(criteria_set.sample),
             json.dumps(classifications, ensure_ascii=False), stamp],
        )  # fmt: skip
        set_id = int(cursor.lastrowid or 0)
        db.conn.executemany(
            "INSERT INTO criteria (set_id, position, code, title, maximum, rule_text, survey, evidence, department, kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    set_id,
                    position,
                    c.code,
                    c.title,
                    c.maximum,
                    c.rule.text,
                    int(c.survey),
                    c.evidence,
                    c.department,
                    c.kind,
                )
                for position, c in enumerate(criteria_set.criteria, start=1)
            ],
        )
    return set_id


def load_set(db: Database, set_id: int) -> CriteriaSet:
    row = db.execute(
        "SELECT name, year, level, source, sample, classifications FROM criteria_sets WHERE id = ?", [set_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy bộ chỉ số mã {set_id}.")
    name, year, level, source, sample, classifications = row
    items = tuple(
        Criterion(code, title, maximum, criteria.parse_rule(rule_text, maximum), bool(survey), evidence, department, kind)
        for code, title, maximum, rule_text, survey, evidence, department, kind in db.execute(
            "SELECT code, title, maximum, rule_text, survey, evidence, department, kind FROM criteria "
            "WHERE set_id = ? ORDER BY position",
            [set_id],
        )
    )  # fmt: skip
    ranks = tuple(
        Classification(c["label"], Decimal(c["minimum_percent"])) for c in json.loads(classifications)
    )
    return CriteriaSet(name, year, level, source, items, ranks, bool(sample))


@dataclass(frozen=True)
class SetSummary:
    id: int
    name: str
    year: int
    level: str
    sample: bool


def list_sets(db: Database) -> list[SetSummary]:
    rows = db.execute(
        "SELECT id, name, year, level, sample FROM criteria_sets ORDER BY year DESC, id DESC"
    ).fetchall()
    return [SetSummary(i, n, y, lv, bool(s)) for i, n, y, lv, s in rows]


def start_assessment(db: Database, set_id: int, year: int, *, unit_name: str = "") -> int:
    """The assessment of `year` against a set (one per set and year); returns its id."""
    load_set(db, set_id)
    stamp = now_text()
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO assessments (set_id, year, unit_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [set_id, year, vntext.clean_line(unit_name), stamp, stamp],
        )
    return int(
        db.execute("SELECT id FROM assessments WHERE set_id = ? AND year = ?", [set_id, year]).fetchone()[0]
    )


def assessment_set(db: Database, assessment_id: int) -> CriteriaSet:
    row = db.execute("SELECT set_id FROM assessments WHERE id = ?", [assessment_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy bản tự đánh giá mã {assessment_id}.")
    return load_set(db, row[0])


def set_score(
    db: Database,
    assessment_id: int,
    code: str,
    points: str | int | None,
    *,
    explanation: str | None = None,
    appraised: bool = False,
) -> Changes:
    """Record a self-score (or, with appraised=True, the province's appraised score) for one item.

    Accepts "0,5" or hundredths; must lie between 0 and the item's maximum; only items without children
    are scored. None clears the score.
    """
    criteria_set = assessment_set(db, assessment_id)
    item = next((c for c in criteria_set.criteria if c.code == code), None)
    if item is None:
        raise NotFoundError(f"Bộ chỉ số không có mã “{code}”.")
    if criteria_set.children(code):
        raise ValidationError({code: f"Mã {code} có tiêu chí con: điểm được cộng từ các tiêu chí con."})
    try:
        value = points if isinstance(points, int) else parse_points(points)
    except PointsError as exc:
        raise ValidationError({code: f"Mã {code}: {exc}"}) from None
    if value is not None and not 0 <= value <= item.maximum:
        raise ValidationError({code: f"Mã {code}: điểm phải từ 0 đến {format_points(item.maximum)}."})
    column = "appraised_score" if appraised else "self_score"
    stamp = now_text()
    with db.atomic():
        db.execute(
            "INSERT INTO assessment_scores (assessment_id, code, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (assessment_id, code) DO NOTHING",
            [assessment_id, code, stamp],
        )
        db.execute(
            f"UPDATE assessment_scores SET {column} = ?, updated_at = ? WHERE assessment_id = ? AND code = ?",
            [value, stamp, assessment_id, code],
        )
        if explanation is not None:
            db.execute(
                "UPDATE assessment_scores SET explanation = ? WHERE assessment_id = ? AND code = ?",
                [vntext.nfc(explanation).strip(), assessment_id, code],
            )
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [stamp, assessment_id])
    return Changes(assessment=True)


@dataclass(frozen=True)
class Totals:
    per_code: dict[str, int]  # hundredths, rolled up
    achieved: int
    maximum: int
    index_percent: Decimal
    classification: str
    survey_points: int  # points of items scored by the survey, shown apart
    unscored: tuple[str, ...]  # leaf codes with no score yet


def totals(db: Database, assessment_id: int, *, appraised: bool = False) -> Totals:
    """Roll the self-scores (or the appraised scores) up the tree: total, index % and classification."""
    column = "appraised_score" if appraised else "self_score"
    scores = dict(
        db.execute(
            f"SELECT code, {column} FROM assessment_scores WHERE assessment_id = ?", [assessment_id]
        ).fetchall()
    )
    return _totals(assessment_set(db, assessment_id), scores)


def _totals(criteria_set: CriteriaSet, scores: dict[str, int | None]) -> Totals:
    per_code = criteria.rollup(criteria_set, scores)
    reached = criteria.achieved(criteria_set, per_code)
    maximum = criteria_set.total_maximum()
    index = criteria.percent(reached, maximum)
    leaves = criteria_set.leaves()
    survey = sum(per_code.get(c.code, 0) for c in leaves if c.survey)
    unscored = tuple(c.code for c in leaves if scores.get(c.code) is None and not c.survey)
    return Totals(per_code, reached, maximum, index, criteria_set.classify(index), survey, unscored)


@dataclass(frozen=True)
class ItemRow:
    """One line of the scoring tree: the criterion with this assessment's values."""

    criterion: Criterion
    self_score: int | None
    appraised_score: int | None
    explanation: str
    evidence_count: int  # confirmed evidence
    suggested_count: int  # carried over from last year, waiting for the clerk
    rolled_self: int  # the item's points with its children summed
    rolled_appraised: int


@dataclass(frozen=True)
class AssessmentView:
    assessment_id: int
    set_id: int
    year: int
    unit_name: str
    set_name: str
    sample: bool
    rows: tuple[ItemRow, ...]
    totals: Totals
    appraised_totals: Totals


def assessment_for_year(db: Database, year: int) -> int:
    """The assessment of `year` (the latest made, should a year have two sets)."""
    row = db.execute("SELECT id FROM assessments WHERE year = ? ORDER BY id DESC LIMIT 1", [year]).fetchone()
    if row is None:
        raise NotFoundError(f"Chưa có bản tự đánh giá nào của năm {year}.")
    return int(row[0])


def _assessment_of(db: Database, year: int, level: str, *, before: bool = False) -> int | None:
    """The assessment of `year` at `level` or, with `before`, the latest of an earlier year."""
    row = db.execute(
        "SELECT a.id FROM assessments a JOIN criteria_sets s ON s.id = a.set_id "
        f"WHERE a.year {'<' if before else '='} ? AND s.level = ? ORDER BY a.year DESC, a.id DESC LIMIT 1",
        [year, level],
    ).fetchone()
    return int(row[0]) if row else None


def latest_assessment(db: Database) -> int | None:
    row = db.execute("SELECT id FROM assessments ORDER BY year DESC, id DESC LIMIT 1").fetchone()
    return int(row[0]) if row else None


def list_assessments(db: Database) -> list[tuple[int, int, str]]:
    """(id, year, set name) of every assessment, newest first."""
    rows = db.execute(
        "SELECT a.id, a.year, s.name FROM assessments a JOIN criteria_sets s ON s.id = a.set_id "
        "ORDER BY a.year DESC, a.id DESC"
    ).fetchall()
    return [(int(i), int(y), n) for i, y, n in rows]


def view_assessment(db: Database, assessment_id: int) -> AssessmentView:
    """Everything the scoring tree shows, read in one go (a 300-item set is a few queries)."""
    head = db.execute(
        "SELECT a.set_id, a.year, a.unit_name, s.name, s.sample FROM assessments a "
        "JOIN criteria_sets s ON s.id = a.set_id WHERE a.id = ?",
        [assessment_id],
    ).fetchone()
    if head is None:
        raise NotFoundError(f"Không tìm thấy bản tự đánh giá mã {assessment_id}.")
    set_id, year, unit_name, set_name, sample = head
    criteria_set = load_set(db, set_id)
    scores = {
        code: (own, appraised, explanation)
        for code, own, appraised, explanation in db.execute(
            "SELECT code, self_score, appraised_score, explanation FROM assessment_scores WHERE assessment_id = ?",
            [assessment_id],
        )
    }
    evidence = {
        code: (int(confirmed), int(suggested))
        for code, confirmed, suggested in db.execute(
            "SELECT code, sum(suggested = 0), sum(suggested) FROM evidence WHERE assessment_id = ? GROUP BY code",
            [assessment_id],
        )
    }
    own_totals = _totals(criteria_set, {code: values[0] for code, values in scores.items()})
    appraised_totals = _totals(criteria_set, {code: values[1] for code, values in scores.items()})
    rows = tuple(
        ItemRow(
            criterion=c,
            self_score=scores.get(c.code, (None, None, ""))[0],
            appraised_score=scores.get(c.code, (None, None, ""))[1],
            explanation=scores.get(c.code, (None, None, ""))[2],
            evidence_count=evidence.get(c.code, (0, 0))[0],
            suggested_count=evidence.get(c.code, (0, 0))[1],
            rolled_self=own_totals.per_code.get(c.code, 0),
            rolled_appraised=appraised_totals.per_code.get(c.code, 0),
        )
        for c in criteria_set.criteria
    )
    return AssessmentView(
        assessment_id, set_id, year, unit_name, set_name, bool(sample), rows, own_totals, appraised_totals
    )


# --- classifications ------------------------------------------------------------------------------


def set_classifications(db: Database, set_id: int, ranks: list[tuple[str, str]]) -> Changes:
    """Replace a set's labels and thresholds, e.g. [("Xuất sắc", "90"), ("Tốt", "80,5"), ("Khá", "70")]."""
    load_set(db, set_id)
    problems: dict[str, str] = {}
    cleaned: list[Classification] = []
    for number, (label, minimum) in enumerate(ranks, start=1):
        label = vntext.clean_line(label)
        text = vntext.clean_line(minimum).replace(",", ".").rstrip("%").strip()
        if not label and not text:
            continue
        if not label:
            problems[f"Dòng {number}"] = f"Dòng {number}: chưa có tên xếp loại."
            continue
        try:
            value = Decimal(text)
        except ArithmeticError:
            problems[label] = f"“{label}”: ngưỡng “{minimum}” không phải là số phần trăm."
            continue
        if not value.is_finite() or not 0 <= value <= 100:
            problems[label] = f"“{label}”: ngưỡng phải từ 0 đến 100%."
            continue
        cleaned.append(
            Classification(label, value.quantize(1) if value == value.to_integral() else value.normalize())
        )
    labels = [vntext.fold(c.label) for c in cleaned]
    for c in cleaned:
        if labels.count(vntext.fold(c.label)) > 1:
            problems[c.label] = f"Tên xếp loại “{c.label}” bị trùng."
    thresholds = [c.minimum_percent for c in cleaned]
    if len(set(thresholds)) != len(thresholds):
        problems["ngưỡng"] = "Hai mức xếp loại có cùng ngưỡng điểm."
    if problems:
        raise ValidationError(problems)
    cleaned.sort(key=lambda c: c.minimum_percent, reverse=True)
    payload = [{"label": c.label, "minimum_percent": str(c.minimum_percent)} for c in cleaned]
    with db.atomic():
        db.execute(
            "UPDATE criteria_sets SET classifications = ? WHERE id = ?",
            [json.dumps(payload, ensure_ascii=False), set_id],
        )
    return Changes(assessment=True)


# --- evidence -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence (tài liệu kiểm chứng) behind an item's score."""

    id: int
    code: str
    directive_id: int | None
    label: str  # what the clerk reads: the registered document, the file, or the description
    sha256: str
    original_name: str
    description: str
    locator: str  # mục, trang
    evidence_date: dt.date | None
    suggested: bool  # carried over from last year, not yet confirmed for this year
    out_of_year: bool  # dated outside the assessment year


def _evidence_rows(db: Database, assessment_id: int, code: str | None = None) -> list[Evidence]:
    year_row = db.execute("SELECT year FROM assessments WHERE id = ?", [assessment_id]).fetchone()
    if year_row is None:
        raise NotFoundError(f"Không tìm thấy bản tự đánh giá mã {assessment_id}.")
    year = int(year_row[0])
    sql = (
        "SELECT e.id, e.code, e.directive_id, e.sha256, e.original_name, e.description, e.locator, "
        "e.evidence_date, e.suggested, d.doc_type, d.number, d.issued_date, d.subject, d.issuer "
        "FROM evidence e LEFT JOIN directives d ON d.id = e.directive_id WHERE e.assessment_id = ?"
    )
    params: list[object] = [assessment_id]
    if code is not None:
        sql += " AND e.code = ?"
        params.append(code)
    result = []
    for (evidence_id, item_code, directive_id, sha256, name, description, locator, day, suggested, doc_type,
         number, issued, subject, issuer) in db.execute(sql + " ORDER BY e.id", params).fetchall():  # fmt: skip
        if directive_id is not None:
            head = tracking.document_head(number, issued, doc_type)
            label = f"{head} của {issuer}: {subject}" if issuer else f"{head}: {subject}"
        else:
            label = description or name
        evidence_date = dates.from_iso(day)
        result.append(
            Evidence(
                evidence_id, item_code, directive_id, label, sha256, name, description, locator,
                evidence_date, bool(suggested), evidence_date is not None and evidence_date.year != year,
            )
        )  # fmt: skip
    return result


def list_evidence(db: Database, assessment_id: int, code: str | None = None) -> list[Evidence]:
    """The evidence of one item (or of the whole assessment), in the order it was added."""
    return _evidence_rows(db, assessment_id, code)


def add_evidence(
    db: Database,
    assessment_id: int,
    code: str,
    *,
    directive_id: int | None = None,
    file: Path | None = None,
    description: str = "",
    locator: str = "",
    evidence_date: dt.date | str | None = None,
) -> Changes:
    """Attach evidence to an item: a registered document, a file (kept in the data folder by its hash),
    or a described document (e.g. an outgoing report), with the section/page and the document's date."""
    criteria_set = assessment_set(db, assessment_id)
    if not any(c.code == code for c in criteria_set.criteria):
        raise NotFoundError(f"Bộ chỉ số không có mã “{code}”.")
    description = vntext.clean_line(description)
    locator = vntext.clean_line(locator)
    if directive_id is None and file is None and not description:
        raise ValidationError(
            {"Minh chứng": "Hãy chọn một văn bản trong sổ, một tệp, hoặc ghi tên tài liệu kiểm chứng."}
        )
    day = (
        dates.parse_dmy(evidence_date, "Ngày của tài liệu")
        if isinstance(evidence_date, str)
        else evidence_date
    )
    if directive_id is not None:
        row = db.execute("SELECT issued_date FROM directives WHERE id = ?", [directive_id]).fetchone()
        if row is None:
            raise NotFoundError(f"Không tìm thấy văn bản có mã {directive_id}.")
        day = day or dates.from_iso(row[0])
    sha256 = name = ""
    if file is not None:
        # The file goes into the store before the row: a file without a row is harmless, not the reverse.
        sha256, _size = attachments.store_file(paths.files_dir(attachments.db_path_of(db)), Path(file))
        name = Path(file).name
    with db.atomic():
        db.execute(
            "INSERT INTO evidence (assessment_id, code, directive_id, sha256, original_name, description, locator, "
            "evidence_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, code, directive_id, sha256, name, description, locator,
             day.isoformat() if day else None, now_text()],
        )  # fmt: skip
        db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [now_text(), assessment_id])
    return Changes(assessment=True)


def remove_evidence(db: Database, evidence_id: int) -> Changes:
    """Take a piece of evidence off its item (a stored file stays in the data folder)."""
    with db.atomic():
        if db.execute("DELETE FROM evidence WHERE id = ?", [evidence_id]).rowcount == 0:
            raise NotFoundError("Không tìm thấy minh chứng này (có thể đã được gỡ).")
    return Changes(assessment=True)


def confirm_evidence(db: Database, evidence_id: int, *, locator: str | None = None,
                     evidence_date: dt.date | str | None = None) -> Changes:  # fmt: skip
    """Keep a suggestion carried over from last year as this year's evidence, usually with its new date."""
    day = (
        dates.parse_dmy(evidence_date, "Ngày của tài liệu")
        if isinstance(evidence_date, str)
        else evidence_date
    )
    with db.atomic():
        cursor = db.execute("UPDATE evidence SET suggested = 0 WHERE id = ?", [evidence_id])
        if cursor.rowcount == 0:
            raise NotFoundError("Không tìm thấy minh chứng này (có thể đã được gỡ).")
        if locator is not None:
            db.execute(
                "UPDATE evidence SET locator = ? WHERE id = ?", [vntext.clean_line(locator), evidence_id]
            )
        if day is not None:
            db.execute("UPDATE evidence SET evidence_date = ? WHERE id = ?", [day.isoformat(), evidence_id])
    return Changes(assessment=True)


def evidence_file_for_viewing(db: Database, evidence_id: int) -> Path:
    """A copy of an evidence file (or of the registered document's first original) to open."""
    row = db.execute(
        "SELECT directive_id, sha256, original_name FROM evidence WHERE id = ?", [evidence_id]
    ).fetchone()
    if row is None:
        raise NotFoundError("Không tìm thấy minh chứng này (có thể đã được gỡ).")
    directive_id, sha256, name = row
    if sha256:
        attachment = Attachment(-evidence_id, 0, sha256, name, 0, "")
        return attachments.copy_for_viewing(attachments.db_path_of(db), attachment)
    if directive_id is not None:
        from parclerk.services.directives import attachment_for_viewing, get_directive

        files = get_directive(db, directive_id).attachments
        if files:
            return attachment_for_viewing(db, directive_id, files[0].id)
        raise NotFoundError("Văn bản này chưa có tệp gốc đính kèm trong sổ.")
    raise NotFoundError("Minh chứng này chỉ có tên tài liệu, không có tệp.")


# --- where points are lost ------------------------------------------------------------------------

LOST_REASONS = {
    "below": "Tự chấm dưới điểm tối đa",
    "unscored": "Chưa chấm",
    "no_evidence": "Chưa có minh chứng",
    "no_explanation": "Chưa có giải trình",
    "out_of_year": "Minh chứng ngoài năm đánh giá",
}


@dataclass(frozen=True)
class LostItem:
    criterion: Criterion
    field_code: str
    field_title: str
    department: str
    self_score: int | None
    lost: int  # maximum - self-score (the whole maximum while unscored)
    at_risk: int  # self-scored points with no evidence behind them: appraisal may take them away
    reasons: tuple[str, ...]  # keys of LOST_REASONS
    explanation: str

    @property
    def at_stake(self) -> int:
        return self.lost + self.at_risk


def lost_points(db: Database, assessment_id: int) -> list[LostItem]:
    """Every self-scored item below its maximum, unscored, without evidence or without an explanation,
    in set order. Survey items are the province's to score and are left out."""
    view = view_assessment(db, assessment_id)
    evidence = [e for e in _evidence_rows(db, assessment_id) if not e.suggested]
    confirmed = {e.code for e in evidence}
    stale = {e.code for e in evidence if e.out_of_year}
    titles = {row.criterion.code: row.criterion.title for row in view.rows}
    parents = {row.criterion.parent_code for row in view.rows}
    result = []
    for row in view.rows:
        c = row.criterion
        if c.code in parents or c.survey or c.kind != "item":
            continue
        reasons = []
        if row.self_score is None:
            reasons.append("unscored")
        elif row.self_score < c.maximum:
            reasons.append("below")
        if c.code not in confirmed:
            reasons.append("no_evidence")
        elif c.code in stale:
            reasons.append("out_of_year")
        if (row.self_score is None or row.self_score < c.maximum) and not row.explanation:
            reasons.append("no_explanation")
        if not reasons:
            continue
        field = c.code.split(".", 1)[0]
        lost = c.maximum - (row.self_score or 0)
        at_risk = (row.self_score or 0) if c.code not in confirmed else 0
        result.append(
            LostItem(
                c,
                field,
                titles.get(field, ""),
                c.department,
                row.self_score,
                lost,
                at_risk,
                tuple(reasons),
                row.explanation,
            )  # fmt: skip
        )
    return result


def group_lost(items: list[LostItem], by: str) -> list[tuple[str, list[LostItem], int]]:
    """(group label, its items, points at stake) by 'field' (set order) or 'department' (Vietnamese order)."""
    groups: dict[str, list[LostItem]] = {}
    for item in items:
        if by == "field":
            key = f"{item.field_code}. {item.field_title}".strip()
        else:
            key = item.department or "(chưa ghi đơn vị phụ trách)"
        groups.setdefault(key, []).append(item)
    keys = list(groups) if by == "field" else sorted(groups, key=vntext.sort_key)
    return [(key, groups[key], sum(i.at_stake for i in groups[key])) for key in keys]


# --- year over year -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    code: str
    title: str
    depth: int
    maximum: int | None  # this year's maximum; None when the item was only in last year's set
    this_year: int | None
    last_year: int | None

    @property
    def difference(self) -> int | None:
        if self.this_year is None or self.last_year is None:
            return None
        return self.this_year - self.last_year


@dataclass(frozen=True)
class YearComparison:
    this_year: int
    last_year: int | None
    rows: tuple[CompareRow, ...]
    this_total: int
    last_total: int | None
    matched: int  # codes in both sets
    only_this: int
    only_last: int


def previous_assessment(db: Database, assessment_id: int) -> int | None:
    """The latest assessment of an earlier year."""
    row = db.execute(
        "SELECT id FROM assessments WHERE year < (SELECT year FROM assessments WHERE id = ?) "
        "ORDER BY year DESC, id DESC LIMIT 1",
        [assessment_id],
    ).fetchone()
    return int(row[0]) if row else None


def compare_years(db: Database, assessment_id: int, other_id: int | None = None) -> YearComparison:
    """This assessment against last year's (or `other_id`), item by item where the codes match."""
    this = view_assessment(db, assessment_id)
    other_id = other_id if other_id is not None else previous_assessment(db, assessment_id)
    last = view_assessment(db, other_id) if other_id is not None else None

    def points(view: AssessmentView) -> dict[str, int | None]:
        parents = {row.criterion.parent_code for row in view.rows}
        return {
            r.criterion.code: r.rolled_self if r.criterion.code in parents else r.self_score
            for r in view.rows
        }

    now = points(this)
    before = points(last) if last else {}
    rows = [
        CompareRow(
            r.criterion.code,
            r.criterion.title,
            r.criterion.depth,
            r.criterion.maximum,
            now[r.criterion.code],
            before.get(r.criterion.code),
        )  # fmt: skip
        for r in this.rows
    ]
    gone = [r for r in (last.rows if last else ()) if r.criterion.code not in now]
    rows += [
        CompareRow(
            r.criterion.code, r.criterion.title, r.criterion.depth, None, None, before[r.criterion.code]
        )
        for r in gone
    ]
    matched = len(set(now) & set(before))
    return YearComparison(
        this.year, last.year if last else None, tuple(rows), this.totals.achieved,
        last.totals.achieved if last else None, matched, len(now) - matched, len(gone),
    )  # fmt: skip


# --- a new year from last year's -------------------------------------------------------------------


def start_from_previous(db: Database, previous_id: int, year: int, *, set_id: int | None = None) -> int:
    """The assessment of `year`, started from `previous_id`: against `set_id` (this year's imported set)
    or, while the province has not issued one, a copy of last year's set. Scores and explanations start
    empty; last year's evidence comes along as suggestions for the items whose codes still exist."""
    previous = db.execute("SELECT set_id, unit_name FROM assessments WHERE id = ?", [previous_id]).fetchone()
    if previous is None:
        raise NotFoundError(f"Không tìm thấy bản tự đánh giá mã {previous_id}.")
    previous_set, unit_name = previous
    if set_id is not None:
        target = load_set(db, set_id)
    else:
        source = load_set(db, previous_set)
        target = CriteriaSet(source.name, year, source.level, source.source, source.criteria,
                             source.classifications, source.sample)  # fmt: skip
    if _assessment_of(db, year, target.level) is not None:
        raise ValidationError({"Năm": f"Năm {year} đã có bản tự đánh giá; hãy mở bản đó để chấm tiếp."})
    codes = {c.code for c in target.criteria}
    stamp = now_text()
    with db.atomic():  # one transaction: the copied set, the assessment and the suggestions, or nothing
        if set_id is None:
            set_id = save_set(db, target)
        cursor = db.execute(
            "INSERT INTO assessments (set_id, year, unit_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [set_id, year, unit_name, stamp, stamp],
        )
        new_id = int(cursor.lastrowid or 0)
        for code, directive_id, sha256, name, description, locator, day in db.execute(
            "SELECT code, directive_id, sha256, original_name, description, locator, evidence_date FROM evidence "
            "WHERE assessment_id = ? ORDER BY id",
            [previous_id],
        ).fetchall():
            if code in codes:
                db.execute(
                    "INSERT INTO evidence (assessment_id, code, directive_id, sha256, original_name, description, "
                    "locator, evidence_date, created_at, suggested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    [new_id, code, directive_id, sha256, name, description, locator, day, stamp],
                )
    return new_id


@dataclass(frozen=True)
class ImportedSet:
    set_id: int
    assessment_id: int | None
    carried_from: int | None  # the earlier assessment whose evidence came along as suggestions
    changes: Changes = Changes(assessment=True)


def import_set(db: Database, criteria_set: CriteriaSet, *, start: bool = True) -> ImportedSet:
    """Store a checked set and (with `start`) open its year's assessment, started from the latest earlier
    assessment of the same level when there is one. All of it, or nothing."""
    with db.atomic():
        set_id = save_set(db, criteria_set)
        if not start:
            return ImportedSet(set_id, None, None)
        if _assessment_of(db, criteria_set.year, criteria_set.level) is not None:
            return ImportedSet(set_id, None, None)  # the year is already being scored: keep the set only
        earlier = _assessment_of(db, criteria_set.year, criteria_set.level, before=True)
        if earlier is not None:
            new_id = start_from_previous(db, earlier, criteria_set.year, set_id=set_id)
            return ImportedSet(set_id, new_id, earlier)
        from parclerk.services.settings import get_profile

        new_id = start_assessment(db, set_id, criteria_set.year, unit_name=get_profile(db).unit_name)
        return ImportedSet(set_id, new_id, None)
