"""Deadline phrases resolved on the calendar (domain guide §6, §7.1-7.2), over the real sample directives first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parclerk.dates import add_months, add_working_days, is_working_day, month_end
from parclerk.parsing.deadlines import clean_markup, find_deadline, load_holidays, parse_vn_date
from parclerk.parsing.model import RECURRENCES, Deadline
from parclerk.paths import resource_path

D = dt.date
# The real directives of ../shared/samples, as shipped with the demo (a clone may have no ../shared).
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "demo" / "samples"
# Explicit days off for the tests, never the shipped JSON: Thu 29/4/2021 is followed by a holiday (Fri 30/4),
# the weekend and a compensatory day off (Mon 3/5).
HOLIDAYS = frozenset({D(2021, 4, 30), D(2021, 5, 1), D(2021, 5, 3)})


DOC_DATE = D(2021, 1, 9)


def deadline(text: str, doc_date: dt.date | None = DOC_DATE, **kwargs) -> Deadline:
    return find_deadline(text, doc_date, holidays=HOLIDAYS, **kwargs)


# --- The real directives in ../shared/samples ---------------------------------------------------------------------

REAL = [
    pytest.param(
        "cv-107-UBND-NC-quang-ngai-2021.txt",
        "Hoàn thành các nhiệm vụ nêu trên chậm nhất trong **tháng 2/2021**.",
        D(2021, 1, 9),
        Deadline(D(2021, 2, 28), "chậm nhất trong tháng 2/2021"),
        id="cv107-item1-thang-2-2021",
    ),
    pytest.param(
        "cv-107-UBND-NC-quang-ngai-2021.txt",
        "Hoàn thành nhiệm vụ chậm nhất trong **tháng 02/2020**./.",
        D(2021, 1, 9),
        Deadline(
            D(2020, 2, 29),
            "chậm nhất trong tháng 02/2020",
            warnings=("Hạn 29/02/2020 sớm hơn ngày văn bản 09/01/2021 — kiểm tra lại năm.",),
        ),
        id="cv107-item2-leap-year-earlier-than-document",
    ),
    pytest.param(
        "cv-294-UBND-son-tay-2021-with-tb-89.txt",
        "Hàng quý báo cáo kết quả thực hiện về UBND huyện (qua Cơ quan Tổ chức – Nội vụ) để theo dõi, chỉ đạo.",
        D(2021, 3, 31),
        Deadline(None, "Hàng quý", "quarterly"),
        id="cv294-hang-quy",
    ),
    pytest.param(
        "cv-294-UBND-son-tay-2021-with-tb-89.txt",
        "- Chủ trì, tham mưu UBND tỉnh hoàn thành việc đánh giá, xếp hạng chỉ số cải cách hành chính của sở, ban, "
        "ngành, UBND các huyện, thị xã, thành phố trong tháng 11 hàng năm, làm cơ sở đánh giá xếp loại người đứng "
        "đầu cơ quan, đơn vị.",
        D(2021, 3, 16),
        Deadline(D(2021, 11, 30), "trong tháng 11 hàng năm", "annual"),
        id="tb89-thang-11-hang-nam",
    ),
    pytest.param(
        "cv-294-UBND-son-tay-2021-with-tb-89.txt",
        "- Đối với huyện, thị xã, thành phố chưa sử dụng đồng bộ Hệ thống phần mềm một cửa điện tử đến cấp xã, "
        "đến ngày 30/6/2021 phải hoàn thành 100%.",
        D(2021, 3, 16),
        Deadline(D(2021, 6, 30), "đến ngày 30/6/2021"),
        id="tb89-den-ngay-30-6-2021",
    ),
    pytest.param(
        "cv-526-VP-HCTC-quang-tri-2022.txt",
        "Định kỳ quý, 6 tháng và năm, căn cứ chức năng nhiệm vụ được giao các đơn vị rà soát, báo cáo kết quả "
        "thực hiện công tác cải cách hành chính",
        D(2022, 10, 14),
        Deadline(None, "Định kỳ quý, 6 tháng và năm", "quarterly"),
        id="cv526-dinh-ky-quy-6-thang-va-nam",
    ),
    pytest.param(
        "cv-526-VP-HCTC-quang-tri-2022.txt",
        "tiết kiệm chi thường xuyên từ 10-15% trên cơ sở đảm bảo hoàn thành",
        D(2022, 10, 14),
        Deadline(),
        id="cv526-chi-thuong-xuyen-is-no-deadline",
    ),
    pytest.param(
        "cv-526-VP-HCTC-quang-tri-2022.txt",
        "chủ động lập phương án dự trù kinh phí hàng năm nhằm đảm bảo kinh phí",
        D(2022, 10, 14),
        Deadline(None, "hàng năm", "annual"),
        id="cv526-kinh-phi-hang-nam",
    ),
    pytest.param(
        "cv-294-UBND-son-tay-2021-with-tb-89.txt",
        "- Khẩn trương tham mưu sửa đổi hoặc thay thế Quyết định số 20/2013/QĐ-UBND ngày 07/5/2013 của UBND "
        "tỉnh theo chỉ đạo của Chủ tịch UBND tỉnh tại Công văn số 107/UBND-NC ngày 09/01/2021.",
        D(2021, 3, 16),
        Deadline(),
        id="a-cited-document-date-is-no-deadline",
    ),
]


@pytest.mark.parametrize(("sample", "text", "doc_date", "expected"), REAL)
def test_real_sample_sentences(sample, text, doc_date, expected):
    assert find_deadline(text, doc_date, holidays=HOLIDAYS) == expected


@pytest.mark.parametrize(("sample", "text", "doc_date", "expected"), REAL)
def test_real_sentences_are_quoted_from_the_samples(sample, text, doc_date, expected):
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    # The sample keeps its line breaks and markup; compare the one-line, unmarked forms.
    assert clean_markup(text) in clean_markup(path.read_text(encoding="utf-8"))


def _paragraphs(name: str) -> list[str]:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    return path.read_text(encoding="utf-8").split("\n\n")


def test_whole_sample_paragraphs():
    """Each paragraph of the samples, as the task splitter will hand it over: the known deadlines and no others."""
    found = {
        result.text
        for name in ("cv-107-UBND-NC-quang-ngai-2021.txt", "cv-294-UBND-son-tay-2021-with-tb-89.txt")
        for paragraph in _paragraphs(name)
        if (result := find_deadline(paragraph, D(2021, 1, 9), holidays=HOLIDAYS)).text
    }
    assert found == {
        "chậm nhất trong tháng 2/2021",
        "chậm nhất trong tháng 02/2020",
        "Hàng quý",
        "hằng năm",  # "hằng năm UBND tỉnh tổ chức đánh giá": a yearly duty, fine to flag as annual
        "hàng năm",
        "đến ngày 30/6/2021",
        "theo từng Quý",
        "trong tháng 11 hàng năm",
    }


# --- Months, quarters, periods: the last day ----------------------------------------------------------------------

LAST_DAY = [
    ("chậm nhất trong tháng 2/2021", D(2021, 1, 9), D(2021, 2, 28), "chậm nhất trong tháng 2/2021"),
    ("trong tháng 02/2021", D(2021, 1, 9), D(2021, 2, 28), "trong tháng 02/2021"),
    ("hoàn thành trong tháng 3 năm 2022", D(2022, 1, 4), D(2022, 3, 31), "hoàn thành trong tháng 3 năm 2022"),
    ("Hoàn thành trong tháng  4 / 2022 .", D(2022, 1, 4), D(2022, 4, 30), "Hoàn thành trong tháng 4 / 2022"),
    ("chậm nhất trong tháng 2/2024", D(2024, 1, 2), D(2024, 2, 29), "chậm nhất trong tháng 2/2024"),
    ("chậm nhất trong tháng 2/2100", D(2099, 12, 1), D(2100, 2, 28), "chậm nhất trong tháng 2/2100"),
    ("chậm nhất trong tháng 2/2000", D(2000, 1, 3), D(2000, 2, 29), "chậm nhất trong tháng 2/2000"),
    ("đến hết tháng 12/2025", D(2025, 1, 3), D(2025, 12, 31), "đến hết tháng 12/2025"),
    ("CHẬM NHẤT TRONG THÁNG 6/2021", D(2021, 1, 9), D(2021, 6, 30), "CHẬM NHẤT TRONG THÁNG 6/2021"),
    ("trong quý II/2021", D(2021, 1, 9), D(2021, 6, 30), "trong quý II/2021"),
    ("trong quí III/2021", D(2021, 1, 9), D(2021, 9, 30), "trong quí III/2021"),
    ("hoàn thành trong Quý 3/2021", D(2021, 1, 9), D(2021, 9, 30), "hoàn thành trong Quý 3/2021"),
    ("quý III năm 2022", D(2022, 1, 5), D(2022, 9, 30), "quý III năm 2022"),
    ("trong quý IV/2025", D(2025, 1, 5), D(2025, 12, 31), "trong quý IV/2025"),
    ("trong Quý I/2024", D(2024, 1, 5), D(2024, 3, 31), "trong Quý I/2024"),
    ("Thời hạn: Quý II/2021", D(2021, 1, 9), D(2021, 6, 30), "Thời hạn: Quý II/2021"),
    (
        "hoàn thành trong 6 tháng đầu năm 2024",
        D(2024, 1, 5),
        D(2024, 6, 30),
        "hoàn thành trong 6 tháng đầu năm 2024",
    ),
    ("hoàn thành trong năm 2022", D(2022, 1, 5), D(2022, 12, 31), "hoàn thành trong năm 2022"),
]


@pytest.mark.parametrize(("text", "doc_date", "date", "phrase"), LAST_DAY)
def test_month_quarter_period_resolve_to_the_last_day(text, doc_date, date, phrase):
    assert deadline(text, doc_date) == Deadline(date, phrase)


def test_quarter_without_year_takes_the_documents_year():
    assert deadline("Hoàn thành trong Quý IV", D(2021, 1, 9)) == Deadline(
        D(2021, 12, 31),
        "Hoàn thành trong Quý IV",
        warnings=("Không ghi năm; đã lấy năm 2021 theo ngày văn bản.",),
    )


def test_quarter_without_year_already_ended_keeps_the_year_and_says_so():
    assert deadline("trong quý I", D(2021, 6, 16)) == Deadline(
        D(2021, 3, 31),
        "trong quý I",
        warnings=(
            "Không ghi năm; đã lấy năm 2021 theo ngày văn bản.",
            "Hạn 31/03/2021 sớm hơn ngày văn bản 16/06/2021 — kiểm tra lại năm.",
        ),
    )


def test_month_without_year_takes_the_documents_year():
    result = deadline("chậm nhất trong tháng 3", D(2021, 1, 9))
    assert (result.date, result.warnings) == (
        D(2021, 3, 31),
        ("Không ghi năm; đã lấy năm 2021 theo ngày văn bản.",),
    )


@pytest.mark.parametrize(
    "text",
    [
        "báo cáo kết quả tháng 3/2021",  # a period named, no deadline word
        "Trong năm 2021, tiêu chí nào bị trừ điểm thì Thủ trưởng phải chịu trách nhiệm",
        "giai đoạn 2021-2025, định hướng đến năm 2030",
        "công khai tình hình thực hiện kết quả quý",
        "từ 30-35/63 tỉnh thành phố",
        "xếp 59/63; 2017 xếp 63/63",
    ],
)
def test_no_deadline(text):
    assert deadline(text) == Deadline()


def test_empty_text():
    assert find_deadline("", None) == Deadline()
    assert find_deadline("  ** ~~ *  ", D(2021, 1, 9)) == Deadline()


# --- Days: "đến ngày", "chậm nhất", "trước ngày" ------------------------------------------------------------------

ON_THE_DAY = [
    ("đến ngày 30/6/2021 phải hoàn thành 100%", "đến ngày 30/6/2021"),
    ("đến hết ngày 30/06/2021", "đến hết ngày 30/06/2021"),
    ("chậm nhất là ngày 30/6/2021", "chậm nhất là ngày 30/6/2021"),
    ("chậm nhất ngày 30/6/2021", "chậm nhất ngày 30/6/2021"),
    ("gửi về UBND xã chậm nhất 30/6/2021.", "chậm nhất 30/6/2021"),
    ("xong trong ngày 30/6/2021", "xong trong ngày 30/6/2021"),
    ("hạn chót 30/6/2021", "hạn chót 30/6/2021"),
    ("Hạn chót: ngày 30 tháng 6 năm 2021", "Hạn chót: ngày 30 tháng 6 năm 2021"),
    ("Thời hạn hoàn thành: 30/6/2021", "Thời hạn hoàn thành: 30/6/2021"),
    ("đến ngày **30** tháng 6 năm 2021", "đến ngày 30 tháng 6 năm 2021"),
    ("đến ngày 30 / 6 / 2021", "đến ngày 30 / 6 / 2021"),
    ("đến ngày 30-6-2021", "đến ngày 30-6-2021"),
]


@pytest.mark.parametrize(("text", "phrase"), ON_THE_DAY)
def test_deadline_on_the_day(text, phrase):
    assert deadline(text, D(2021, 3, 16)) == Deadline(D(2021, 6, 30), phrase)


@pytest.mark.parametrize(
    ("text", "inclusive", "date"),
    [
        ("trước ngày 30/6/2021", False, D(2021, 6, 29)),
        ("trước ngày 30/6/2021", True, D(2021, 6, 30)),
        ("hoàn thành trước ngày 30 tháng 6 năm 2021", False, D(2021, 6, 29)),
        ("xong trước ngày 30/6/2021", False, D(2021, 6, 29)),  # still "trước ngày": the setting applies
        ("trước 30/6/2021", False, D(2021, 6, 29)),
        ("trước ngày 01/01/2026", False, D(2025, 12, 31)),  # across the year end
        ("trước ngày 01/01/2026", True, D(2026, 1, 1)),
        ("trước ngày 01/3/2024", False, D(2024, 2, 29)),  # into a leap day
        ("trước ngày 01/3/2100", False, D(2100, 2, 28)),
    ],
)
def test_before_is_strict_by_default(text, inclusive, date):
    result = deadline(text, D(2021, 3, 16), before_is_inclusive=inclusive)
    assert result.date == date
    assert result.warnings == ()  # the setting is the clerk's choice, not a doubt
    assert result.text == text


def test_day_without_year():
    assert deadline("trước ngày 15/01", D(2021, 1, 9)) == Deadline(
        D(2021, 1, 14), "trước ngày 15/01", warnings=("Không ghi năm; đã lấy năm 2021 theo ngày văn bản.",)
    )


# --- Every year, every month, every quarter end -------------------------------------------------------------------

YEARLY = [
    ("trước ngày 15 tháng 01 hằng năm", D(2021, 3, 16), False, D(2022, 1, 14)),
    ("trước ngày 15 tháng 01 hằng năm", D(2021, 1, 9), False, D(2021, 1, 14)),
    ("trước ngày 15/01 hàng năm", D(2021, 1, 9), True, D(2021, 1, 15)),
    ("trước ngày 15/01 hàng năm", D(2021, 1, 15), True, D(2021, 1, 15)),
    ("trước ngày 15/01 hàng năm", D(2021, 1, 15), False, D(2022, 1, 14)),  # 14/01/2021 is already past
    ("đến ngày 31/12 hằng năm", D(2021, 12, 31), False, D(2021, 12, 31)),
    ("trước ngày 01/01 hằng năm", D(2021, 6, 1), False, D(2021, 12, 31)),
    ("chậm nhất ngày 29/02 hàng năm", D(2021, 3, 16), False, D(2024, 2, 29)),  # the next leap year
]


@pytest.mark.parametrize(("text", "doc_date", "inclusive", "date"), YEARLY)
def test_yearly_day(text, doc_date, inclusive, date):
    assert deadline(text, doc_date, before_is_inclusive=inclusive) == Deadline(date, text, "annual")


@pytest.mark.parametrize(
    ("text", "doc_date", "date"),
    [
        ("trong tháng 11 hàng năm", D(2021, 3, 16), D(2021, 11, 30)),
        ("trong tháng 11 hằng năm", D(2021, 11, 30), D(2021, 11, 30)),
        ("trong tháng 11 hàng năm", D(2021, 12, 1), D(2022, 11, 30)),
        ("trong tháng 2 hàng năm", D(2023, 3, 1), D(2024, 2, 29)),
        ("trong quý I hàng năm", D(2021, 4, 1), D(2022, 3, 31)),
    ],
)
def test_yearly_month_or_quarter(text, doc_date, date):
    assert deadline(text, doc_date) == Deadline(date, text, "annual")


@pytest.mark.parametrize(
    ("text", "doc_date", "date", "recurrence"),
    [
        ("trước ngày 15 hàng tháng", D(2021, 3, 16), D(2021, 4, 14), "monthly"),
        ("trước ngày 15 hàng tháng", D(2021, 3, 14), D(2021, 3, 14), "monthly"),
        ("đến ngày 31 hằng tháng", D(2021, 4, 5), D(2021, 4, 30), "monthly"),
        ("trước ngày 20 của tháng cuối quý", D(2021, 4, 1), D(2021, 6, 19), "quarterly"),
        ("trước ngày 20 của tháng cuối quý", D(2021, 12, 25), D(2022, 3, 19), "quarterly"),
    ],
)
def test_day_of_every_month_or_quarter(text, doc_date, date, recurrence):
    assert deadline(text, doc_date) == Deadline(date, text, recurrence)


def test_recurring_without_document_date():
    assert deadline("trong tháng 11 hàng năm", None) == Deadline(
        None, "trong tháng 11 hàng năm", "annual", ("Không có ngày văn bản; chưa tính được hạn.",)
    )


# --- Recurrence only: the tracker takes the dates from the reporting calendar --------------------------------------

RECURRING = [
    ("Hàng tháng báo cáo kết quả", "Hàng tháng", "monthly"),
    ("hằng tháng", "hằng tháng", "monthly"),
    ("định kỳ hàng tháng", "định kỳ hàng tháng", "monthly"),
    ("Định kỳ tháng, quý, năm báo cáo", "Định kỳ tháng, quý, năm", "monthly"),
    ("hàng quý", "hàng quý", "quarterly"),
    ("Hằng quý báo cáo UBND xã", "Hằng quý", "quarterly"),
    ("hàng quí", "hàng quí", "quarterly"),
    ("định kỳ hàng quý", "định kỳ hàng quý", "quarterly"),
    ("định kỳ quý báo cáo", "định kỳ quý", "quarterly"),
    ("Định kỳ quý, 6 tháng và năm", "Định kỳ quý, 6 tháng và năm", "quarterly"),
    ("định kỳ hàng quý, 6 tháng, năm", "định kỳ hàng quý, 6 tháng, năm", "quarterly"),
    ("định kỳ hằng quý, 6 tháng, hằng năm", "định kỳ hằng quý, 6 tháng, hằng năm", "quarterly"),
    ("định kỳ 6 tháng", "định kỳ 6 tháng", "semiannual"),
    ("định kỳ 06 tháng và năm", "định kỳ 06 tháng và năm", "semiannual"),
    ("định kỳ sáu tháng", "định kỳ sáu tháng", "semiannual"),
    ("6 tháng một lần", "6 tháng một lần", "semiannual"),
    ("báo cáo định kỳ 6 tháng một lần", "định kỳ 6 tháng một lần", "semiannual"),
    ("hàng năm", "hàng năm", "annual"),
    ("Hằng năm tổ chức đánh giá", "Hằng năm", "annual"),
    ("định kỳ hàng năm", "định kỳ hàng năm", "annual"),
    ("định kỳ năm", "định kỳ năm", "annual"),
    ("kinh phí hàng năm", "hàng năm", "annual"),
    ("định kỳ 9 tháng", "định kỳ 9 tháng", "annual"),
    ("công khai theo từng Quý", "theo từng Quý", "quarterly"),
]


@pytest.mark.parametrize(("text", "phrase", "recurrence"), RECURRING)
def test_recurrence_only(text, phrase, recurrence):
    assert deadline(text) == Deadline(None, phrase, recurrence)


def test_most_frequent_recurrence_wins():
    assert deadline("Lập dự toán kinh phí hàng năm; hàng quý báo cáo kết quả.") == Deadline(
        None, "hàng quý", "quarterly"
    )


def test_recurrence_is_not_a_year():
    # "hàng năm 2021" is not a phrase; the month is
    assert deadline("hoàn thành trong tháng 3 năm 2022").recurrence is None


def test_explicit_date_beats_a_recurrence_elsewhere():
    assert deadline("Hàng quý báo cáo; hoàn thành trước ngày 30/6/2021.", D(2021, 3, 16)) == Deadline(
        D(2021, 6, 29),
        "hoàn thành trước ngày 30/6/2021",
        warnings=("Nhiệm vụ còn ghi “Hàng quý”; hạn lấy theo “hoàn thành trước ngày 30/6/2021”.",),
    )


# --- "thường xuyên" ----------------------------------------------------------------------------------------------

ONGOING = Deadline(None, "thường xuyên", None)


@pytest.mark.parametrize(
    "text",
    [
        "Thời gian thực hiện: thường xuyên",
        "Thời hạn: Thường xuyên",
        "Thời hạn thực hiện: thường xuyên.",
        "Rà soát thủ tục hành chính (thường xuyên).",
        "Rà soát thủ tục hành chính ( Thường xuyên )",
        "thực hiện thường xuyên",
        "Thường xuyên thực hiện việc kiểm tra",
        "Nhiệm vụ thường xuyên",
        "thường xuyên theo dõi, đôn đốc",
        "THỜI GIAN THỰC HIỆN: THƯỜNG XUYÊN",
        "Thời hạn: thường xuyên; hàng quý báo cáo kết quả",  # the label is the deadline
    ],
)
def test_ongoing(text):
    assert deadline(text) == ONGOING


@pytest.mark.parametrize(
    "text",
    [
        "tiết kiệm chi thường xuyên từ 10-15%",
        "Chi thường xuyên thực hiện theo dự toán",
        "bố trí kinh phí thường xuyên",
        "kinh phí thường xuyên thực hiện nhiệm vụ",
        "khen thưởng đột xuất và thường xuyên theo quy định",
        "dự toán chi thường xuyên năm 2022",
    ],
)
def test_thuong_xuyen_that_is_not_a_deadline(text):
    assert deadline(text) == Deadline()


def test_recurrence_beats_an_unlabelled_thuong_xuyen():
    assert deadline("Thường xuyên theo dõi; hằng quý báo cáo.") == Deadline(None, "hằng quý", "quarterly")


# --- The day received, counted periods, working days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Báo cáo trong ngày.", "trong ngày"),
        ("xử lý ngay trong ngày, báo cáo UBND huyện", "ngay trong ngày"),
        ("ngay sau khi nhận được văn bản này", "ngay sau khi nhận được văn bản này"),
        ("Triển khai ngay khi nhận được Công văn", "ngay khi nhận được Công văn"),
    ],
)
def test_same_day_uses_the_document_date_and_says_so(text, phrase):
    assert deadline(text, D(2021, 4, 29)) == Deadline(
        D(2021, 4, 29),
        phrase,
        warnings=("Không rõ ngày nhận văn bản; đã tính theo ngày văn bản 29/04/2021.",),
    )


def test_same_day_or_the_next_working_day():
    # Thu 29/4/2021: Fri 30/4 is a holiday, then the weekend, Mon 3/5 a day off: Tue 4/5.
    assert deadline("trong ngày, chậm nhất là trong ngày làm việc tiếp theo", D(2021, 4, 29)) == Deadline(
        D(2021, 5, 4),
        "trong ngày, chậm nhất là trong ngày làm việc tiếp theo",
        warnings=("Không rõ ngày nhận văn bản; đã tính theo ngày văn bản 29/04/2021.",),
    )


def test_same_day_without_document_date():
    assert deadline("Báo cáo trong ngày.", None) == Deadline(
        None, "trong ngày", warnings=("Không có ngày văn bản; chưa tính được hạn.",)
    )


PERIODS = [
    ("trong thời hạn 03 tháng kể từ ngày 15/3/2021", D(2021, 3, 1), D(2021, 6, 15)),
    ("trong thời hạn 03 tháng kể từ ngày 30/11/2023", D(2023, 11, 1), D(2024, 2, 29)),  # clamped, leap year
    ("trong thời hạn 03 tháng kể từ ngày 30/11/2022", D(2022, 11, 1), D(2023, 2, 28)),
    ("trong thời hạn 01 tháng kể từ ngày 31/01/2021", D(2021, 1, 9), D(2021, 2, 28)),
    ("trong thời hạn 10 ngày kể từ ngày ký", D(2021, 12, 25), D(2022, 1, 4)),
    ("trong thời hạn 10 ngày kể từ ngày ban hành", D(2021, 1, 9), D(2021, 1, 19)),
    ("trong thời hạn mười ngày kể từ ngày ký", D(2021, 1, 9), D(2021, 1, 19)),
    ("trong vòng 02 tuần kể từ ngày 01/3/2021", D(2021, 2, 20), D(2021, 3, 15)),
    ("sau 15 ngày kể từ ngày 20/12/2021", D(2021, 12, 1), D(2022, 1, 4)),
    # Thu 29/4: Fri 30/4 holiday, Sat, Sun, Mon 3/5 day off, Tue 4/5 (1), Wed 5/5 (2)
    ("02 ngày làm việc kể từ ngày 29/4/2021", D(2021, 4, 1), D(2021, 5, 5)),
    # Fri 14/5: the weekend, Mon 17/5 (1), Tue 18/5 (2)
    ("gửi báo cáo trong 02 ngày làm việc kể từ ngày 14/5/2021", D(2021, 5, 1), D(2021, 5, 18)),
]


@pytest.mark.parametrize(("text", "doc_date", "date"), PERIODS)
def test_counted_periods(text, doc_date, date):
    result = deadline(text, doc_date)
    assert (result.date, result.recurrence, result.warnings) == (date, None, ())
    assert result.text in clean_markup(text)
    assert result.text.endswith(("2021", "2022", "2023", "ký", "ban hành"))


def test_period_from_receipt_uses_the_document_date_and_says_so():
    assert deadline(
        "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản", D(2021, 4, 28)
    ) == Deadline(
        D(2021, 5, 7),
        "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản",
        warnings=("Không rõ ngày nhận văn bản; đã tính theo ngày văn bản 28/04/2021.",),
    )


def test_period_without_anchor():
    assert deadline("trong thời hạn 10 ngày", D(2021, 1, 9)) == Deadline(
        D(2021, 1, 19),
        "trong thời hạn 10 ngày",
        warnings=("Không ghi mốc tính thời hạn; đã tính từ ngày văn bản 09/01/2021.",),
    )


def test_period_from_a_cut_off_is_left_to_the_reporting_calendar():
    result = deadline("Định kỳ hàng quý, gửi báo cáo trong 02 ngày làm việc kể từ ngày chốt số liệu.")
    assert result == Deadline(
        None,
        "Định kỳ hàng quý",
        "quarterly",
        (
            "Chưa tính được hạn “trong 02 ngày làm việc kể từ ngày chốt số liệu”: "
            "mốc “ngày chốt số liệu” không có ngày cụ thể.",
        ),
    )
    alone = deadline("02 ngày làm việc kể từ ngày chốt số liệu")
    assert (alone.date, alone.text) == (None, "02 ngày làm việc kể từ ngày chốt số liệu")


@pytest.mark.parametrize("text", ["trong 6 tháng qua", "6 tháng đầu năm 2024", "trong 10 ngày"])
def test_durations_need_an_anchor_or_a_limit_word(text):
    assert deadline(text).date is None


# --- Warnings: never silently fixed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("đến ngày 31/02/2021", "Ngày 31/02/2021 không có trên lịch."),
        ("trước ngày 29/02/2023", "Ngày 29/02/2023 không có trên lịch."),
        ("chậm nhất ngày 31/4/2021", "Ngày 31/04/2021 không có trên lịch."),
        ("chậm nhất ngày 00/1/2021", "Ngày 00/01/2021 không có trên lịch."),
        ("đến ngày 15/13/2021", "Ngày 15/13/2021 không có trên lịch."),
        ("chậm nhất trong tháng 13/2021", "Tháng 13/2021 không có trên lịch."),
        ("trước ngày 30/02 hằng năm", "Ngày 30/02 không có trên lịch."),
    ],
)
def test_date_not_on_the_calendar(text, warning):
    result = deadline(text, D(2021, 1, 9))
    assert result.date is None
    assert result.text == text
    assert result.warnings == (warning,)


def test_earlier_than_the_document():
    assert deadline("đến ngày 30/6/2020", D(2021, 1, 9)).warnings == (
        "Hạn 30/06/2020 sớm hơn ngày văn bản 09/01/2021 — kiểm tra lại năm.",
    )


def test_no_earlier_warning_without_a_document_date():
    assert deadline("đến ngày 30/6/2020", None) == Deadline(D(2020, 6, 30), "đến ngày 30/6/2020")


def test_missing_year_without_document_date():
    assert deadline("chậm nhất trong tháng 3", None) == Deadline(
        None, "chậm nhất trong tháng 3", warnings=("Không có ngày văn bản; chưa tính được hạn.",)
    )


def test_several_deadlines_take_the_last_committed_one():
    text = "Xây dựng kế hoạch trong tháng 3/2021; hoàn thành chậm nhất ngày 30/6/2021; báo cáo trước ngày 15/7/2021."
    assert deadline(text, D(2021, 3, 1)) == Deadline(
        D(2021, 7, 14),
        "trước ngày 15/7/2021",
        warnings=(
            "Có nhiều thời hạn trong nhiệm vụ; đã lấy “trước ngày 15/7/2021”, "
            "bỏ qua “trong tháng 3/2021”, “chậm nhất ngày 30/6/2021”.",
        ),
    )


def test_a_committed_deadline_beats_a_later_plain_one():
    text = "Hoàn thành chậm nhất ngày 30/6/2021, báo cáo kết quả trong tháng 7/2021."
    result = deadline(text, D(2021, 3, 1))
    assert (result.date, result.text) == (D(2021, 6, 30), "chậm nhất ngày 30/6/2021")
    assert result.warnings == (
        "Có nhiều thời hạn trong nhiệm vụ; đã lấy “chậm nhất ngày 30/6/2021”, bỏ qua “trong tháng 7/2021”.",
    )


def test_the_same_day_twice_is_one_deadline():
    text = "đến ngày 30/6/2021 phải xong; chậm nhất ngày 30/06/2021 báo cáo."
    assert deadline(text, D(2021, 3, 1)).warnings == ()


def test_a_period_named_beside_a_deadline_is_not_a_second_deadline():
    text = "Báo cáo kết quả quý I năm 2024 trước ngày 10/3/2024."
    assert deadline(text, D(2024, 2, 1)) == Deadline(D(2024, 3, 9), "trước ngày 10/3/2024")


def test_range_end_gives_way_to_the_sending_deadline():
    text = "Số liệu tính từ ngày 15/12/2020 đến ngày 14/3/2021; gửi báo cáo trước ngày 20/3/2021."
    result = deadline(text, D(2021, 3, 1))
    assert (result.date, result.text) == (D(2021, 3, 19), "trước ngày 20/3/2021")


def test_dates_near_the_calendars_ends_do_not_raise():
    assert deadline("trước ngày 01/01/0001", D(2021, 1, 1)).date is None
    assert deadline("trong thời hạn 999 tháng kể từ ngày 15/3/9999", D(9999, 1, 1)) == Deadline(
        None,
        "trong thời hạn 999 tháng kể từ ngày 15/3/9999",
        warnings=("Hạn vượt quá phạm vi lịch; kiểm tra lại.",),
    )
    assert deadline("trong tháng 12 hàng năm", D.max).date == D(9999, 12, 31)


# --- parse_vn_date ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("ngày 05 tháng 01 năm 2020", None, (D(2020, 1, 5), [])),
        ("Quảng Ngãi, ngày 09 tháng 01 năm 2021", None, (D(2021, 1, 9), [])),
        ("Sơn Tây, ngày **31** tháng 3 năm 2021", None, (D(2021, 3, 31), [])),
        ("ngày 18 tháng 7 năm 2025", None, (D(2025, 7, 18), [])),
        ("ngày 08/8/2022", None, (D(2022, 8, 8), [])),
        ("08/08/2022", None, (D(2022, 8, 8), [])),
        ("14/01/2021", None, (D(2021, 1, 14), [])),
        ("17/03/2021", 2020, (D(2021, 3, 17), [])),
        ("30-6-2021", None, (D(2021, 6, 30), [])),
        ("15/01", 2021, (D(2021, 1, 15), ["Không ghi năm; đã lấy năm 2021."])),
        ("ngày 15 tháng 01", 2022, (D(2022, 1, 15), ["Không ghi năm; đã lấy năm 2022."])),
        ("15/01", None, (None, ["Ngày 15/01 không ghi năm."])),
        ("31/02/2021", None, (None, ["Ngày 31/02/2021 không có trên lịch."])),
        ("29/02/2021", None, (None, ["Ngày 29/02/2021 không có trên lịch."])),
        ("29/02", 2023, (None, ["Không ghi năm; đã lấy năm 2023.", "Ngày 29/02/2023 không có trên lịch."])),
        ("không có ngày", 2021, (None, [])),
        ("Số: 107/UBND-NC", 2021, (None, [])),
        ("Quyết định số 20/2013/QĐ-UBND", 2021, (None, [])),
    ],
)
def test_parse_vn_date(text, default_year, expected):
    assert parse_vn_date(text, default_year) == expected


def test_parse_vn_date_prefers_a_full_date():
    assert parse_vn_date("Số: 89/TB-UBND, 15/01, ngày 16 tháng 3 năm 2021", 2020) == (D(2021, 3, 16), [])


# --- Calendar helpers in dates.py and the holiday list ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        (D(2021, 5, 14), 2, frozenset(), D(2021, 5, 18)),  # Fri + 2 across the weekend
        (D(2021, 5, 15), 1, frozenset(), D(2021, 5, 17)),  # from a Saturday
        (D(2021, 4, 29), 2, HOLIDAYS, D(2021, 5, 5)),  # across a holiday, the weekend and a day off
        (D(2021, 4, 29), 0, HOLIDAYS, D(2021, 4, 29)),
        (D(2021, 5, 5), -2, HOLIDAYS, D(2021, 4, 29)),
        (D(2021, 12, 30), 2, frozenset({D(2021, 12, 31), D(2022, 1, 3)}), D(2022, 1, 5)),  # across the year
    ],
)
def test_add_working_days(start, n, holidays, expected):
    assert add_working_days(start, n, holidays) == expected


def test_is_working_day():
    assert is_working_day(D(2021, 5, 4))
    assert not is_working_day(D(2021, 5, 8))  # Saturday
    assert not is_working_day(D(2021, 4, 30), HOLIDAYS)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2021, 3, 15), 3, D(2021, 6, 15)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2021, 1, 31), 1, D(2021, 2, 28)),
        (D(2021, 12, 31), 2, D(2022, 2, 28)),
        (D(2021, 3, 31), -1, D(2021, 2, 28)),
        (D(2021, 5, 31), 12, D(2022, 5, 31)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 2, D(2024, 2, 29)),
        (2100, 2, D(2100, 2, 28)),
        (2000, 2, D(2000, 2, 29)),
        (9999, 12, D(9999, 12, 31)),
    ],
)
def test_month_end(year, month, expected):
    assert month_end(year, month) == expected


def test_holiday_list_loads_and_is_cached():
    days = load_holidays()
    assert isinstance(days, frozenset)
    assert load_holidays() is days
    assert {D(2021, 1, 1), D(2021, 9, 2), D(2021, 9, 3), D(2024, 4, 18), D(2025, 1, 29)} <= days
    assert all(2021 <= day.year <= 2027 for day in days)


def test_holiday_file_shape():
    data = json.loads(resource_path("holidays.json").read_text(encoding="utf-8"))
    assert "_comment" in data
    years = [key for key in data if not key.startswith("_")]
    assert years == [str(year) for year in range(2021, 2028)]
    for year in years:
        for name, values in data[year].items():
            if name.startswith("_"):
                continue
            assert all(D.fromisoformat(value).year == int(year) for value in values), (year, name)
        assert data[year]["Tết Dương lịch"] == [f"{year}-01-01"]
        assert f"{year}-09-02" in data[year]["Quốc khánh"]


def test_working_days_from_the_shipped_list():
    # Tết Giáp Thìn: Thu 8/2/2024 to Wed 14/2/2024 off; two working days from Wed 7/2 are Thu 15 and Fri 16.
    assert find_deadline("02 ngày làm việc kể từ ngày 07/02/2024", D(2024, 2, 1)).date == D(2024, 2, 16)


# --- Never raises, never returns a date that is not on the calendar -----------------------------------------------

FRAGMENTS = [
    "trước ngày ",
    "đến hết ngày ",
    "chậm nhất là ",
    "trong tháng ",
    "trong quý ",
    "quí ",
    "IV",
    "II",
    "hàng năm",
    "hằng quý",
    "định kỳ ",
    "6 tháng",
    "một lần",
    "thường xuyên",
    "chi ",
    "trong thời hạn ",
    "ngày làm việc",
    "kể từ ngày ",
    "ký",
    "nhận được",
    "trong ngày",
    "năm ",
    "tháng ",
    "/",
    "-",
    ".",
    ",",
    " ",
    "**",
    "~~",
    "(",
    ")",
    "Thời hạn: ",
    "hoàn thành ",
    "của tháng cuối quý",
]


@given(
    pieces=st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.integers(0, 10000).map(str),
            st.from_regex(r"\d{1,2}", fullmatch=True),
        ),
        max_size=20,
    ),
    noise=st.text(max_size=30),
    doc_date=st.none() | st.dates(),
    inclusive=st.booleans(),
)
def test_never_raises_and_dates_are_real(pieces, noise, doc_date, inclusive):
    text = "".join(pieces) + noise
    result = find_deadline(text, doc_date, before_is_inclusive=inclusive, holidays=HOLIDAYS)
    assert isinstance(result, Deadline)
    if result.date is not None:
        assert type(result.date) is dt.date
        assert D.fromisoformat(result.date.isoformat()) == result.date
        if doc_date is not None and result.date < doc_date:
            assert any("sớm hơn ngày văn bản" in warning for warning in result.warnings)
    assert result.recurrence is None or result.recurrence in RECURRENCES
    assert all(isinstance(warning, str) and warning for warning in result.warnings)
    assert result.text.lower() in clean_markup(text).lower()


@given(text=st.text(max_size=80), year=st.none() | st.integers(1, 9999))
def test_parse_vn_date_never_raises(text, year):
    date, warnings = parse_vn_date(text, year)
    assert date is None or type(date) is dt.date
    assert all(isinstance(warning, str) for warning in warnings)
