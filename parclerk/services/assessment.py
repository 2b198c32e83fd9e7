"""The PAR INDEX self-assessment: criteria sets stored as data, assessments per set and year, scores with
explanations, and the totals. Each write is one transaction; points are integer hundredths."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from parclerk import criteria, vntext
from parclerk.criteria import Classification, CriteriaSet, Criterion, PointsError, format_points, parse_points
from parclerk.data.repo_directives import now_text
from parclerk.errors import NotFoundError, ValidationError
from parclerk.queries import Changes

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


def _assessment_set(db: Database, assessment_id: int) -> CriteriaSet:
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
    criteria_set = _assessment_set(db, assessment_id)
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
    criteria_set = _assessment_set(db, assessment_id)
    column = "appraised_score" if appraised else "self_score"
    scores = dict(
        db.execute(
            f"SELECT code, {column} FROM assessment_scores WHERE assessment_id = ?", [assessment_id]
        ).fetchall()
    )
    per_code = criteria.rollup(criteria_set, scores)
    reached = criteria.achieved(criteria_set, per_code)
    maximum = criteria_set.total_maximum()
    index = criteria.percent(reached, maximum)
    survey = sum(per_code.get(c.code, 0) for c in criteria_set.leaves() if c.survey)
    unscored = tuple(c.code for c in criteria_set.leaves() if scores.get(c.code) is None and not c.survey)
    return Totals(per_code, reached, maximum, index, criteria_set.classify(index), survey, unscored)


@dataclass(frozen=True)
class ItemRow:
    """One line of the scoring tree: the criterion with this assessment's values."""

    criterion: Criterion
    self_score: int | None
    appraised_score: int | None
    explanation: str
    evidence_count: int
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
    evidence = dict(
        db.execute(
            "SELECT code, count(*) FROM evidence WHERE assessment_id = ? GROUP BY code", [assessment_id]
        ).fetchall()
    )
    own_totals = totals(db, assessment_id)
    appraised_totals = totals(db, assessment_id, appraised=True)
    rows = tuple(
        ItemRow(
            criterion=c,
            self_score=scores.get(c.code, (None, None, ""))[0],
            appraised_score=scores.get(c.code, (None, None, ""))[1],
            explanation=scores.get(c.code, (None, None, ""))[2],
            evidence_count=int(evidence.get(c.code, 0)),
            rolled_self=own_totals.per_code.get(c.code, 0),
            rolled_appraised=appraised_totals.per_code.get(c.code, 0),
        )
        for c in criteria_set.criteria
    )
    return AssessmentView(
        assessment_id, set_id, year, unit_name, set_name, bool(sample), rows, own_totals, appraised_totals
    )
