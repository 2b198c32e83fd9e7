"""Criteria sets as data: exact points, the four rule shapes from real provincial wording, tree checks
and roll-up (domain guide §5.5-5.8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parclerk.criteria import (
    Classification,
    CriteriaSet,
    Criterion,
    PointsError,
    achieved,
    check_set,
    format_points,
    parse_points,
    parse_rule,
    percent,
    rollup,
)


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [
        ("1", 100),
        ("0,5", 50),
        ("0.5", 50),
        ("0,25đ", 25),
        ("31,50", 3150),
        (" 2 điểm", 200),
        (0.75, 75),
        ("", None),
    ],
)
def test_points_are_exact_hundredths(text, hundredths):
    assert parse_points(text) == hundredths


@pytest.mark.parametrize("text", ["abc", "0,125", "1.000", "nan", True])
def test_what_is_not_points_is_refused_in_vietnamese(text):
    with pytest.raises(PointsError, match="điểm"):
        parse_points(text)


def test_points_print_as_the_provinces_write_them():
    assert [format_points(v) for v in (100, 50, 25, 3150, 0, 8837)] == [
        "1",
        "0,5",
        "0,25",
        "31,5",
        "0",
        "88,37",
    ]


@given(st.lists(st.sampled_from([0, 25, 50, 75, 100]), max_size=300))
def test_quarter_steps_add_up_exactly(steps):
    total = sum(steps)
    assert parse_points(format_points(total)) == total


def test_index_percent():
    assert percent(8837, 10000) == Decimal("88.37")
    assert percent(6146, 7000) == Decimal("87.80")  # Nam Định 2020: 61,46 of 70
    assert percent(0, 0) == Decimal(0)


# --- rules, from the rows of domain guide §5.8 --------------------------------------------------------


def test_options_timeliness():
    rule = parse_rule("Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0", 100)
    assert rule.kind == "options"
    assert [(o.label, o.points) for o in rule.options] == [
        ("Ban hành kịp thời", 100),
        ("Ban hành không kịp thời", 50),
        ("Không ban hành", 0),
    ]
    assert rule.score(100, choice="Ban hành không kịp thời") == 50
    with pytest.raises(PointsError, match="không phải là một lựa chọn"):
        rule.score(100, choice="Khác")


def test_pass_fail_with_two_conditions():
    rule = parse_rule(
        "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí "
        "kinh phí: 0",
        100,
    )
    assert rule.kind == "options" and len(rule.options) == 2


def test_completion_bands_with_explicit_edges():
    rule = parse_rule(
        "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0", 200
    )
    assert rule.kind == "bands"
    assert rule.score(200, rate=Decimal("95")) == 200
    assert rule.score(200, rate=Decimal("90")) == 100  # exactly 90% is in the 1-point band
    assert rule.score(200, rate=Decimal("70")) == 100
    assert rule.score(200, rate=Decimal("69.9")) == 0


def test_proportional_within_a_band():
    rule = parse_rule(
        "Hoàn thành 100% kế hoạch: 1; Hoàn thành 90% -100% kế hoạch: điểm = số mục tiêu đã hoàn thành / số mục "
        "tiêu đề ra của kế hoạch × 1 điểm (5 mục tiêu, hoàn thành 4: 4/5 × 1 = 0,8); Hoàn thành dưới 90%: 0",
        100,
    )
    assert rule.kind == "bands"
    assert rule.score(100, achieved=5, target=5) == 100
    assert rule.score(100, achieved=19, target=20) == 95  # 95%: 19/20 × 1
    assert (
        rule.score(100, achieved=4, target=5) == 0
    )  # 80% is below 90%: the guide's own example is outside its band
    assert rule.score(100, achieved=9, target=10) == 90


def test_additive_sub_items():
    rule = parse_rule(
        "Trực tuyến, ứng dụng CNTT: 0,5; Hình thức truyền thống (hội nghị, tờ xếp, …): 0,5", 100
    )
    assert rule.kind == "additive"
    assert rule.score(100, chosen=("Trực tuyến, ứng dụng CNTT",)) == 50
    assert rule.score(100, chosen=tuple(o.label for o in rule.options)) == 100


def test_free_text_stays_free():
    assert parse_rule("Theo kết quả điều tra xã hội học", 300).kind == "free"
    assert parse_rule("", 100).kind == "free"


# --- the tree: the partial Cà Mau field 1 of §5.8 -----------------------------------------------------


def _ca_mau() -> CriteriaSet:
    rows = [
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "10", ""),
        ("1.1", "Kế hoạch CCHC năm", "5", ""),
        ("1.1.1", "Ban hành kế hoạch CCHC năm", "1", "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0"),
        ("1.1.2", "Xác định đầy đủ các nhiệm vụ CCHC", "1", "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí: 0"),
        ("1.1.3", "Các kết quả phải đạt được xác định rõ ràng", "1", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"),
        ("1.1.4", "Mức độ thực hiện kế hoạch CCHC", "2", "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0"),
        ("1.2", "Báo cáo CCHC", "2", ""),
        ("1.2.1", "Tất cả báo cáo được gửi đúng thời gian quy định", "1", "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0"),
        ("1.2.2", "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "1", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"),
        ("1.3", "Kiểm tra công tác CCHC", "3", ""),
        ("T", "Điểm thưởng", "1", ""),
        ("P", "Điểm phạt", "2", ""),
    ]  # fmt: skip
    criteria = tuple(
        Criterion(code, title, parse_points(points), parse_rule(rule, parse_points(points)),
                  kind={"T": "bonus", "P": "penalty"}.get(code, "item"))
        for code, title, points, rule in rows
    )  # fmt: skip
    classifications = (Classification("Tốt", Decimal(80)), Classification("Khá", Decimal(65)))
    return CriteriaSet(
        "Mẫu: Cà Mau, lĩnh vực 1", 2013, "huyen", "QĐ 1880/QĐ-UBND năm 2013", criteria, classifications
    )


def test_a_set_is_checked_and_problems_are_named():
    problems = check_set(_ca_mau())
    # The extract covers 10 of field 1's 20 points, so the whole set is not 100: said, not fixed.
    assert problems == ["Tổng điểm tối đa của bộ chỉ số là 10, không phải 100."]
    assert check_set(_ca_mau(), expected_total=1000) == []
    broken = _ca_mau()
    broken = CriteriaSet(broken.name, 2013, "huyen", "", (
        *broken.criteria,
        Criterion("1.2.3", "Dòng thừa", 300),
        Criterion("1.1.1", "Trùng mã", 100),
    ))  # fmt: skip
    problems = check_set(broken, expected_total=None)
    assert "Mã “1.1.1” bị trùng." in problems
    assert any("1.2.3: điểm tối đa 3 lớn hơn mục cha 1.2 (2)" in p for p in problems)


def test_rollup_with_quarter_points_is_exact():
    criteria_set = _ca_mau()
    scores = {"1.1.1": 50, "1.1.2": 100, "1.1.3": 0, "1.1.4": 100, "1.2.1": 75, "1.2.2": 100, "1.3": 225,
              "T": 25, "P": 50}  # fmt: skip
    totals = rollup(criteria_set, scores)
    assert totals["1.1"] == 250 and totals["1.2"] == 175 and totals["1"] == 650
    assert achieved(criteria_set, totals) == 650 + 25 - 50
    assert format_points(achieved(criteria_set, totals)) == "6,25"
    assert percent(totals["1"], 1000) == Decimal("65.00")
    assert criteria_set.classify(Decimal("65")) == "Khá"  # a threshold is inclusive
    assert criteria_set.classify(Decimal("64.99")) == ""
    assert criteria_set.classify(Decimal("80.01")) == "Tốt"


def test_a_score_never_exceeds_its_maximum():
    totals = rollup(_ca_mau(), {"1.1.1": 500})
    assert totals["1.1.1"] == 100


def test_three_hundred_items_roll_up():
    criteria = [Criterion("1", "Lĩnh vực", 30000)]
    criteria += [Criterion(f"1.{i}", f"Tiêu chí {i}", 100) for i in range(1, 301)]
    criteria_set = CriteriaSet("Lớn", 2025, "xa", "", tuple(criteria))
    totals = rollup(criteria_set, {f"1.{i}": 75 for i in range(1, 301)})
    assert totals["1"] == 22500
