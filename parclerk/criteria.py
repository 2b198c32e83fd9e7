"""PAR INDEX criteria sets as data, no I/O: points, scoring rules, the tree, roll-up and checks.

Points are kept as integer hundredths (0,25 -> 25), never floats, so 0,25 steps add up exactly and print
as the provinces write them ("0,5", "31,5"). A scoring rule is structured data read from the province's
own wording (domain guide §5.6):

- options: "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0" (pick one);
- bands: "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0"
  (a rate picks its band; the edges are explicit, exactly 90% is in the 1-point band);
- a proportional band: "90% -100%: số mục tiêu đã hoàn thành / số mục tiêu đề ra × 1 điểm";
- additive sub-items: "Trực tuyến: 0,5; Hình thức truyền thống: 0,5" (the sum of those achieved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property, lru_cache

from parclerk import vntext

# --- points ---------------------------------------------------------------------------------------


class PointsError(ValueError):
    """Text that is not a number of points; the message is Vietnamese."""


MAX_POINTS = 1_000_000  # a set totals 100 points; anything this big is a typing slip or a hostile file


def parse_points(text: str | int | float | Decimal | None) -> int | None:
    """'0,5' / '0.5' / 0.5 / '1' -> 50 / 50 / 50 / 100 hundredths; '' -> None. Thousands separators are not
    points: '1.000' is refused rather than read as 1000. More than two decimals is refused."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise PointsError(f"“{text}” không phải là số điểm.")
    if isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    elif isinstance(text, Decimal):
        value = text
    else:
        cleaned = vntext.clean_line(text).replace(" ", "").rstrip("đ").replace("điểm", "")
        if not cleaned:
            return None
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
            raise PointsError(f"“{text}” không phải là số điểm (dấu chấm ngăn hàng nghìn?).")
        cleaned = cleaned.replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise PointsError(f"“{text}” không phải là số điểm.") from None
    if not value.is_finite():
        raise PointsError(f"“{text}” không phải là số điểm.")
    # "1E99999" is a number, not points: its hundredths would not fit SQLite
    if value.copy_abs() >= MAX_POINTS:
        raise PointsError(f"“{text}”: số điểm quá lớn.")
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value():
        raise PointsError(f"“{text}”: điểm chỉ lấy đến hai chữ số thập phân.")
    return int(hundredths)


def format_points(hundredths: int | None) -> str:
    """50 -> '0,5', 3150 -> '31,5', 100 -> '1', 25 -> '0,25'; None -> ''."""
    if hundredths is None:
        return ""
    sign = "-" if hundredths < 0 else ""
    whole, part = divmod(abs(hundredths), 100)
    return f"{sign}{whole}" + (f",{part:02d}".rstrip("0") if part else "")


def format_percent(value: Decimal) -> str:
    """Decimal('88.37') -> '88,37%', Decimal('90') -> '90,00%': two decimals, as the provinces publish an index."""
    return f"{value:.2f}".replace(".", ",") + "%"


def percent(achieved: int, maximum: int) -> Decimal:
    """The index in %, to two decimals (half up): 8837 of 10000 -> 88.37."""
    if maximum <= 0:
        return Decimal(0)
    return (Decimal(achieved) * 100 / Decimal(maximum)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- scoring rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    label: str
    points: int  # hundredths


@dataclass(frozen=True)
class Band:
    """A completion band over a rate in %, with explicit edges; `points` None means proportional:
    achieved / target × maximum, rounded down to 0,01."""

    label: str
    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool
    points: int | None

    def contains(self, rate: Decimal) -> bool:
        if self.low is not None and (rate < self.low or (rate == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None and (rate > self.high or (rate == self.high and not self.high_inclusive))
        )


@dataclass(frozen=True)
class Rule:
    """How an item is scored: kind 'options', 'bands', 'additive', or 'free' (any value from 0 to max)."""

    kind: str = "free"
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    text: str = ""  # as the province wrote it

    def score(self, maximum: int, *, choice: str | None = None, rate: Decimal | None = None,
              achieved: int | None = None, target: int | None = None, chosen: tuple[str, ...] = ()) -> int:  # fmt: skip
        """The points an answer earns (hundredths), never above the maximum."""
        if self.kind == "options":
            for option in self.options:
                if option.label == choice:
                    return min(option.points, maximum)
            raise PointsError(f"“{choice}” không phải là một lựa chọn của tiêu chí này.")
        if self.kind == "additive":
            labels = {option.label for option in self.options}
            unknown = set(chosen) - labels
            if unknown:
                raise PointsError(f"“{sorted(unknown)[0]}” không phải là một nội dung của tiêu chí này.")
            return min(sum(option.points for option in self.options if option.label in chosen), maximum)
        if self.kind == "bands":
            if rate is None and achieved is not None and target:
                rate = Decimal(achieved) * 100 / Decimal(target)
            if rate is None:
                raise PointsError("Cần tỷ lệ hoàn thành (%) để chấm tiêu chí này.")
            for band in self.bands:
                if band.contains(rate):
                    if band.points is not None:
                        return min(band.points, maximum)
                    if achieved is None or not target:
                        raise PointsError("Cần số đã đạt và số đề ra để tính điểm theo tỷ lệ.")
                    return min(achieved * maximum // target, maximum)  # rounded down to 0,01
            raise PointsError(f"Tỷ lệ {rate}% không thuộc mức nào của tiêu chí này.")
        raise PointsError("Tiêu chí này chấm trực tiếp, không theo lựa chọn.")


_SEPARATOR = re.compile(r"[;|]")
_RATE = r"(?<!\d)(\d+(?:[.,]\d+)?)\s*%"  # not from inside a run of digits: linear on a long one


def _rule_parts(text: str) -> list[tuple[str, str]]:
    r"""(label, points) of each "label: points" part, parts separated by ";" or "|"; unstripped.

    What re.finditer(r"(?P<label>[^:;|]+?)\s*:\s*(?P<points>[^;|]+?)\s*(?:[;|]|$)") found, in linear time: the
    regex retried from every position of a part without a colon, quadratic on a long cell (32,000 characters
    took 9 s). In each part the label runs from the first character that is not a colon to the next colon; a
    part with nothing after that colon gives no pair."""
    parts = []
    for segment in _SEPARATOR.split(text):
        start = len(segment) - len(segment.lstrip(":"))
        colon = segment.find(":", start)
        if colon >= 0 and colon + 1 < len(segment):
            parts.append((segment[start:colon], segment[colon + 1 :]))
    return parts


@lru_cache(maxsize=4096)  # a set's rules are read again at every reload: same text, same frozen Rule
def parse_rule(text: str, maximum: int | None = None) -> Rule:
    """The rule in the province's own words -> structured data; anything not understood stays 'free'."""
    text = vntext.clean_line(text or "")
    if not text:
        return Rule()
    parts = [(label.strip(" ,."), points.strip(" ,.")) for label, points in _rule_parts(text)]
    if len(parts) < 2:
        return Rule(text=text)
    bands = [_band(label, points) for label, points in parts]
    if all(band is not None for band in bands):
        return Rule(kind="bands", bands=tuple(b for b in bands if b is not None), text=text)
    options = []
    for label, points in parts:
        try:
            value = parse_points(points)
        except PointsError:
            return Rule(text=text)
        if value is None:
            return Rule(text=text)
        options.append(Option(label, value))
    values = [option.points for option in options]
    if maximum is not None and sum(values) == maximum and maximum not in values and min(values) > 0:
        return Rule(kind="additive", options=tuple(options), text=text)
    return Rule(kind="options", options=tuple(options), text=text)


def _band(label: str, points_text: str) -> Band | None:
    """'Thực hiện từ 70% - 90% kế hoạch' / 'trên 90%' / 'Dưới 70%' / 'Hoàn thành 100%' -> a band."""
    folded = vntext.fold(label)
    rates = [Decimal(r.replace(",", ".")) for r in re.findall(_RATE, label)]
    if not rates:
        return None
    proportional = "/" in points_text and ("x" in vntext.fold(points_text) or "×" in points_text)
    try:
        points = None if proportional else parse_points(points_text)
    except PointsError:
        return None
    if len(rates) >= 2 or re.search(r"\d\s*%?\s*-\s*\d", label):
        low, high = (rates[0], rates[1]) if len(rates) >= 2 else (rates[0], rates[0])
        return Band(label, low, True, high, True, points)
    (rate,) = rates[:1]
    if re.search(r"\b(tren|hon|vuot)\b", folded):
        return Band(label, rate, False, None, False, points)
    if re.search(r"\b(duoi|chua dat)\b", folded):
        return Band(label, None, False, rate, False, points)
    if re.search(r"\b(tu|it nhat|toi thieu)\b", folded):
        return Band(label, rate, True, None, False, points)
    return Band(label, rate, True, rate, True, points)  # "Hoàn thành 100%": exactly that rate


# --- the tree -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str  # "1", "1.1", "1.1.2"; bonus and penalty rows use their own codes
    title: str
    maximum: int  # hundredths
    rule: Rule = field(default_factory=Rule)
    survey: bool = False  # scored by the province's survey (ĐTXHH), not by the unit
    evidence: str = ""  # the evidence it requires
    department: str = ""  # the responsible department
    kind: str = "item"  # "item", "bonus" or "penalty"

    @property
    def parent_code(self) -> str:
        return self.code.rsplit(".", 1)[0] if "." in self.code else ""

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass(frozen=True)
class Classification:
    label: str
    minimum_percent: Decimal


@dataclass(frozen=True)
class CriteriaSet:
    name: str
    year: int
    level: str  # "xa", "so" or "huyen" (see glossary.LEVELS)
    source: str  # the decision that issued it, e.g. "QĐ 1880/QĐ-UBND năm 2013"
    criteria: tuple[Criterion, ...]
    classifications: tuple[Classification, ...] = ()
    sample: bool = False  # shipped with the demo, not a real province's full set

    @cached_property
    def _children(self) -> dict[str, list[Criterion]]:
        """Code -> its child items, built once (a 300-item set rolls up in one pass, not 300)."""
        result: dict[str, list[Criterion]] = {}
        for c in self.criteria:
            if c.kind == "item":
                result.setdefault(c.parent_code, []).append(c)
        return result

    def children(self, code: str) -> list[Criterion]:
        return list(self._children.get(code, ()))

    def leaves(self) -> list[Criterion]:
        codes_with_children = {c.parent_code for c in self.criteria}
        return [c for c in self.criteria if c.code not in codes_with_children and c.kind == "item"]

    def total_maximum(self) -> int:
        return sum(c.maximum for c in self.criteria if c.kind == "item" and c.depth == 0)

    def classify(self, index_percent: Decimal) -> str:
        for rank in sorted(self.classifications, key=lambda c: c.minimum_percent, reverse=True):
            if index_percent >= rank.minimum_percent:
                return rank.label
        return ""


def check_set(criteria_set: CriteriaSet, *, expected_total: int | None = 10000) -> list[str]:
    """Every problem in a set, in Vietnamese, one line each (an importer lists them by row)."""
    problems: list[str] = []
    codes = [c.code for c in criteria_set.criteria]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"Mã “{code}” bị trùng.")
    known = set(codes)
    for criterion in criteria_set.criteria:
        if criterion.maximum < 0:
            problems.append(f"Mã {criterion.code}: điểm tối đa không được âm.")
        if criterion.kind == "item" and criterion.parent_code and criterion.parent_code not in known:
            problems.append(f"Mã {criterion.code}: không có mục cha “{criterion.parent_code}”.")
        children = criteria_set.children(criterion.code)
        if criterion.kind == "item" and children:
            total = sum(child.maximum for child in children)
            if any(child.maximum > criterion.maximum for child in children):
                big = next(child for child in children if child.maximum > criterion.maximum)
                problems.append(
                    f"Mã {big.code}: điểm tối đa {format_points(big.maximum)} lớn hơn mục cha "
                    f"{criterion.code} ({format_points(criterion.maximum)})."
                )
            elif total != criterion.maximum:
                problems.append(
                    f"Mã {criterion.code}: tổng điểm các mục con là {format_points(total)}, khác điểm tối đa "
                    f"{format_points(criterion.maximum)} (thiếu dòng hoặc gõ nhầm?)."
                )
        options = criterion.rule.options
        if (
            criterion.rule.kind == "options"
            and options
            and max(o.points for o in options) != criterion.maximum
        ):
            problems.append(
                f"Mã {criterion.code}: lựa chọn cao nhất là {format_points(max(o.points for o in options))} "
                f"điểm, khác điểm tối đa {format_points(criterion.maximum)}."
            )
    total = criteria_set.total_maximum()
    if expected_total is not None and total != expected_total:
        problems.append(
            f"Tổng điểm tối đa của bộ chỉ số là {format_points(total)}, không phải {format_points(expected_total)}."
        )
    return problems


def rollup(criteria_set: CriteriaSet, scores: dict[str, int | None]) -> dict[str, int]:
    """Points per code: a leaf its score (0 when unscored), a parent the sum of its children, capped at
    its maximum. Bonus and penalty rows stand on their own."""
    totals: dict[str, int] = {}
    by_depth = sorted(criteria_set.criteria, key=lambda c: -c.depth)
    for criterion in by_depth:
        children = criteria_set.children(criterion.code)
        if children and criterion.kind == "item":
            totals[criterion.code] = min(sum(totals.get(c.code, 0) for c in children), criterion.maximum)
        else:
            totals[criterion.code] = min(scores.get(criterion.code) or 0, criterion.maximum)
    return totals


def achieved(criteria_set: CriteriaSet, totals: dict[str, int]) -> int:
    """The set's total: the top fields plus bonus, minus penalty."""
    fields = sum(totals.get(c.code, 0) for c in criteria_set.criteria if c.kind == "item" and c.depth == 0)
    bonus = sum(totals.get(c.code, 0) for c in criteria_set.criteria if c.kind == "bonus")
    penalty = sum(totals.get(c.code, 0) for c in criteria_set.criteria if c.kind == "penalty")
    return fields + bonus - penalty


def self_maxima(criteria_set: CriteriaSet) -> dict[str, int]:
    """Per code, the points a unit can give itself: the maximum less the survey (ĐTXHH) items under it."""
    return rollup(criteria_set, {c.code: c.maximum for c in criteria_set.leaves() if not c.survey})


def self_maximum(criteria_set: CriteriaSet) -> int:
    maxima = self_maxima(criteria_set)
    return sum(maxima[c.code] for c in criteria_set.criteria if c.kind == "item" and c.depth == 0)
