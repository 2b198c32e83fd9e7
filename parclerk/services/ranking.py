"""Consolidating the units' submissions of a year: totals by field, index, rank within the group (units of
one criteria set: sở apart from xã), classification by the set's thresholds, the units that have not
submitted, and the items where most units lose points (where the collecting office should help).

The figures are the units' self-assessed scores, before appraisal; the survey (ĐTXHH) is the province's
and is left out of both the points and the maximum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import criteria, dates, glossary, vntext
from parclerk.criteria import Classification
from parclerk.errors import NotFoundError
from parclerk.queries import Changes
from parclerk.services import assessment
from parclerk.services.submissions import self_result

if TYPE_CHECKING:
    from sqlite_utils import Database

WEAK_ITEMS = 10  # the items listed where most units lose points


@dataclass(frozen=True)
class FieldColumn:
    code: str
    title: str
    maximum: int  # the points a unit can give itself in this field


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    name: str
    ranked: bool
    rank: int | None  # None: scored but not ranked
    submission_id: int
    version: int
    exported_at: str
    fields: dict[str, int]  # field code -> points
    achieved: int
    maximum: int
    index_percent: Decimal
    classification: str
    unscored: int  # items sent without a score (counted as 0)


@dataclass(frozen=True)
class WeakItem:
    code: str
    title: str
    maximum: int
    losing: int  # units below the maximum (unscored included)
    submitted: int
    average: int  # hundredths
    lost_total: int

    @property
    def share_percent(self) -> Decimal:
        return criteria.percent(self.losing, self.submitted)


@dataclass(frozen=True)
class Group:
    set_id: int
    level: str
    set_name: str
    fields: tuple[FieldColumn, ...]
    results: tuple[UnitResult, ...]  # ranked units by rank, then the unranked ones
    weak_items: tuple[WeakItem, ...]
    classifications: tuple[Classification, ...]
    survey_maximum: int  # points left to the survey, not in the index

    @property
    def label(self) -> str:
        return glossary.LEVELS.get(self.level, self.level)

    @property
    def average_percent(self) -> Decimal:
        ranked = [r.index_percent for r in self.results if r.ranked]
        if not ranked:
            return Decimal(0)
        return (sum(ranked, Decimal(0)) / len(ranked)).quantize(Decimal("0.01"))

    def counts(self) -> list[tuple[str, int]]:
        """(classification, number of ranked units) in the set's order, those with none included."""
        ranked = [r for r in self.results if r.ranked]
        return [
            (c.label, sum(1 for r in ranked if r.classification == c.label)) for c in self.classifications
        ]


@dataclass(frozen=True)
class Consolidation:
    year: int
    groups: tuple[Group, ...]
    missing: tuple[str, ...]  # expected units with no submission, in Vietnamese order
    expected: int
    submitted: int  # all submissions, the listed units' and the others'
    outside: int = 0  # submissions of units not on the list
    made_at: dt.datetime = field(default_factory=dt.datetime.now)

    @property
    def results(self) -> list[UnitResult]:
        return [r for g in self.groups for r in g.results]


def consolidate(db: Database, year: int) -> Consolidation:
    """The year's consolidation; NotFoundError when the year has neither units nor submissions."""
    units = db.execute(
        "SELECT u.id, u.name, u.ranked, u.expected, s.id, s.set_id, s.version, s.exported_at "
        "FROM collection_units u LEFT JOIN submissions s ON s.unit_id = u.id AND s.replaced_by IS NULL "
        "WHERE u.year = ? ORDER BY u.name_sort",
        [year],
    ).fetchall()
    if not units:
        raise NotFoundError(f"Năm {year} chưa có danh sách đơn vị hay bài nộp nào để tổng hợp.")
    submitted = [u for u in units if u[4] is not None]
    scores: dict[int, dict[str, int | None]] = {}
    for submission_id, code, score in db.execute(
        "SELECT s.id, c.code, c.score FROM submission_scores c JOIN submissions s ON s.id = c.submission_id "
        "WHERE s.year = ? AND s.replaced_by IS NULL",
        [year],
    ):
        scores.setdefault(int(submission_id), {})[code] = score
    by_set: dict[int, list[tuple]] = {}
    for row in submitted:
        by_set.setdefault(int(row[5]), []).append(row)
    groups = [_group(db, set_id, rows, scores) for set_id, rows in by_set.items()]
    groups.sort(
        key=lambda g: (list(glossary.LEVELS).index(g.level) if g.level in glossary.LEVELS else 9, g.set_id)
    )
    missing = tuple(name for _id, name, _ranked, expected, sid, *_ in units if expected and sid is None)
    expected = sum(1 for u in units if u[3])
    outside = sum(1 for u in submitted if not u[3])
    return Consolidation(year, tuple(groups), missing, expected, len(submitted), outside)


def _group(db: Database, set_id: int, rows: list[tuple], scores: dict[int, dict[str, int | None]]) -> Group:
    criteria_set = assessment.load_set(db, set_id)
    maxima = criteria.self_maxima(criteria_set)
    fields = tuple(
        FieldColumn(c.code, c.title, maxima[c.code])
        for c in criteria_set.criteria
        if c.kind == "item" and c.depth == 0 and maxima[c.code] > 0
    )
    leaves = [c for c in criteria_set.leaves() if not c.survey]
    results = []
    for unit_id, name, ranked, _expected, submission_id, _set, version, exported_at in rows:
        own = scores.get(int(submission_id), {})
        result = self_result(criteria_set, own)
        results.append(
            UnitResult(
                int(unit_id), name, bool(ranked), None, int(submission_id), int(version), exported_at,
                {f.code: result.per_code.get(f.code, 0) for f in fields}, result.achieved, result.maximum,
                result.index_percent, result.classification, sum(1 for c in leaves if own.get(c.code) is None),
            )
        )  # fmt: skip
    results = _ranked(results)
    weak = []
    for leaf in leaves:
        points = [scores.get(r.submission_id, {}).get(leaf.code) for r in results]
        losing = sum(1 for p in points if p is None or p < leaf.maximum)
        if losing:
            total = sum(p or 0 for p in points)
            weak.append(
                WeakItem(leaf.code, leaf.title, leaf.maximum, losing, len(points), round(total / len(points)),
                         leaf.maximum * len(points) - total)
            )  # fmt: skip
    position = {c.code: i for i, c in enumerate(criteria_set.criteria)}
    weak.sort(key=lambda w: (-w.losing, -w.lost_total, position[w.code]))
    survey = criteria_set.total_maximum() - criteria.self_maximum(criteria_set)
    return Group(set_id, criteria_set.level, criteria_set.name, fields, tuple(results), tuple(weak[:WEAK_ITEMS]),
                 criteria_set.classifications, survey)  # fmt: skip


def _ranked(results: list[UnitResult]) -> list[UnitResult]:
    """Rank by index, highest first; equal scores share a rank (1, 2, 2, 4). Units of a group share one set,
    hence one maximum, so the exact points decide (the index is rounded). Unranked units come last."""
    from dataclasses import replace

    def order(r: UnitResult) -> tuple[int, str]:
        return -r.achieved, vntext.sort_key(r.name)

    out: list[UnitResult] = []
    for position, result in enumerate(sorted((r for r in results if r.ranked), key=order), start=1):
        same = out and out[-1].achieved == result.achieved
        out.append(replace(result, rank=out[-1].rank if same else position))
    return out + sorted((r for r in results if not r.ranked), key=order)


# --- the Word report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenRanking:
    path: Path
    number_symbol: str  # "" for a draft
    changes: Changes = field(default_factory=lambda: Changes(settings=True))  # the Sổ văn bản đi


def write_ranking_report(
    db: Database, year: int, out: Path, *, issue: bool = False, day: dt.date | None = None
) -> WrittenRanking:
    """Write the BÁO CÁO announcing the year's results (.docx). With `issue`, it takes the next number of the
    Sổ văn bản đi in the same transaction that writes the file."""
    import dataclasses

    from parclerk.reports import context
    from parclerk.reports.ranking_report import ranking_document
    from parclerk.reports.render import render_docx
    from parclerk.services.reports import register_outgoing
    from parclerk.services.settings import get_profile

    day = day or dates.today()
    profile = get_profile(db)
    context.require_profile(profile)
    consolidation = consolidate(db, year)
    document = ranking_document(consolidation, profile, day=day)
    number = ""
    with db.atomic():
        if issue:
            entry = register_outgoing(
                db, subject=document.title, issued_date=day, symbol=context.symbol(profile),
                recipients="; ".join(document.recipients), signer=profile.signer_name, file_name=Path(out).name,
            )  # fmt: skip
            number = entry.number_symbol
            document = dataclasses.replace(
                document, letterhead=dataclasses.replace(document.letterhead, number_symbol=number)
            )
        render_docx(document, Path(out))
    return WrittenRanking(Path(out), number)
