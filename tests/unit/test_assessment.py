"""Storing a criteria set, scoring it (self and appraised), and the exact totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parclerk.criteria import Classification, CriteriaSet, Criterion, parse_points, parse_rule
from parclerk.errors import NotFoundError, ValidationError
from parclerk.services import assessment


def _set() -> CriteriaSet:
    rows = [
        ("1", "Chỉ đạo, điều hành", "60", "", False),
        ("1.1", "Ban hành kế hoạch CCHC năm", "30", "Ban hành kịp thời: 30; Ban hành không kịp thời: 15; Không ban hành: 0", False),
        ("1.2", "Báo cáo CCHC", "30", "", False),
        ("1.2.1", "Báo cáo đúng hạn", "15,5", "", False),
        ("1.2.2", "Báo cáo đủ nội dung", "14,5", "", False),
        ("2", "Sự hài lòng của người dân", "40", "Theo kết quả điều tra xã hội học", True),
    ]  # fmt: skip
    items = tuple(
        Criterion(code, title, parse_points(m), parse_rule(rule, parse_points(m)), survey)
        for code, title, m, rule, survey in rows
    )
    return CriteriaSet(
        "Mẫu cấp xã", 2025, "xa", "QĐ mẫu", items, (Classification("Tốt", Decimal(80)),), sample=True
    )


def test_a_set_round_trips_through_the_store(db):
    set_id = assessment.save_set(db, _set())
    loaded = assessment.load_set(db, set_id)
    assert loaded == _set()
    assert [s.name for s in assessment.list_sets(db)] == ["Mẫu cấp xã"]


def test_scores_roll_up_exactly_and_appraisal_sits_beside(db):
    set_id = assessment.save_set(db, _set())
    assessment_id = assessment.start_assessment(db, set_id, 2025, unit_name="UBND xã Ba Điền")
    assert assessment.start_assessment(db, set_id, 2025) == assessment_id  # one per set and year
    assessment.set_score(db, assessment_id, "1.1", "15", explanation="Ban hành chậm 5 ngày")
    assessment.set_score(db, assessment_id, "1.2.1", "15,25")
    assessment.set_score(db, assessment_id, "1.2.2", 1450)
    assessment.set_score(db, assessment_id, "2", "31,5")
    totals = assessment.totals(db, assessment_id)
    assert totals.per_code["1.2"] == 2975 and totals.per_code["1"] == 4475
    assert totals.achieved == 7625 and totals.maximum == 10000
    assert totals.index_percent == Decimal("76.25") and totals.classification == ""
    assert totals.survey_points == 3150
    assert totals.unscored == ()
    assessment.set_score(db, assessment_id, "1.1", "30", appraised=True)
    appraised = assessment.totals(db, assessment_id, appraised=True)
    assert appraised.per_code["1.1"] == 3000 and appraised.unscored == ("1.2.1", "1.2.2")


@pytest.mark.parametrize(
    ("code", "points", "message"),
    [
        ("1.1", "31", "từ 0 đến 30"),
        ("1.1", "-1", "từ 0 đến 30"),
        ("1.1", "abc", "không phải là số điểm"),
        ("1.2", "10", "có tiêu chí con"),
        ("9.9", "1", "không có mã"),
    ],
)
def test_bad_scores_are_refused_in_vietnamese(db, code, points, message):
    set_id = assessment.save_set(db, _set())
    assessment_id = assessment.start_assessment(db, set_id, 2025)
    with pytest.raises(Exception, match=message) as caught:
        assessment.set_score(db, assessment_id, code, points)
    assert isinstance(caught.value, ValidationError | NotFoundError)
    assert db.execute("SELECT count(*) FROM assessment_scores").fetchone()[0] == 0


def test_the_demo_sample_set_is_consistent_and_labelled(db):
    from parclerk.criteria import check_set
    from parclerk.services.demo import load_sample_set

    sample = load_sample_set(2025)
    assert sample.sample and sample.name.startswith("MẪU")
    assert check_set(sample) == []  # adds up to 100, every parent equals its children
    kinds = {c.code: c.rule.kind for c in sample.criteria}
    assert kinds["1.1.1"] == "options" and kinds["1.1.4"] == "bands" and kinds["2.2"] == "additive"
    assert [c.code for c in sample.leaves() if c.survey] == ["4"]


def test_the_demo_has_last_years_assessment_scored_and_this_years_in_part(tmp_path):
    from parclerk.data.db import open_db
    from parclerk.services.demo import build_demo

    path = tmp_path / "demo.sqlite"
    build_demo(path, generated=50, seed=2)
    db = open_db(path)
    try:
        ids = [row[0] for row in db.execute("SELECT id FROM assessments ORDER BY year")]
        last, this = (assessment.totals(db, i) for i in ids)
        assert last.unscored == () and last.achieved > 0
        assert this.unscored
        appraised = assessment.totals(db, ids[0], appraised=True)
        assert appraised.unscored == () and appraised.survey_points > 0  # the province adds the survey
        assert appraised.achieved - appraised.survey_points <= last.achieved
    finally:
        db.close()
