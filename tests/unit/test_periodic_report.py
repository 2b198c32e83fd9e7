"""The periodic CCHC report: the period by the cut-off rule, the clerk's outline, the figures counted from the
register and the tasks, the narrative carried to the next period, and numbering in the Sổ văn bản đi."""

from __future__ import annotations

import datetime as dt

import pytest

from parclerk.errors import ParclerkError, ValidationError
from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
from parclerk.reports.periodic import (
    DEFAULT_OUTLINE,
    parse_outline,
    parse_period,
    periodic_figures,
    substitute,
)
from parclerk.services import reports
from parclerk.services.directives import register_directive
from parclerk.services.settings import save_profile
from parclerk.services.tasks import add_tasks, complete_items

PROFILE = OfficeProfile(
    unit_name="Ủy ban nhân dân xã Ba Điền", unit_abbrev="UBND", place_name="Ba Điền",
    signer_name="Trần Thị Bình", signer_title="Phó Chủ tịch", signer_authority="TM. ỦY BAN NHÂN DÂN",
    reports_to="Ủy ban nhân dân huyện Ba Tơ",
)  # fmt: skip


@pytest.mark.parametrize(
    ("key", "label", "start", "end", "following"),
    [
        ("2021-Q1", "quý I năm 2021", "2020-12-15", "2021-03-14", "quý II năm 2021"),
        ("2021-h1", "6 tháng đầu năm 2021", "2020-12-15", "2021-06-14", "6 tháng cuối năm 2021"),
        ("2021-Q3", "quý III năm 2021", "2021-06-15", "2021-09-14", "quý IV năm 2021"),
        ("2021", "năm 2021", "2020-12-15", "2021-12-14", "năm 2022"),
    ],
)
def test_periods_follow_the_cut_off_rule(key, label, start, end, following):
    period = parse_period(key)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)
    assert period.next_label == following and period.key == key.upper()


def test_a_province_with_another_cut_off_day_and_bad_keys():
    period = parse_period("2024-Q1", cutoff_day=31)  # 'to the end of the month': February has 29 days in 2024
    assert (period.start, period.end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    for bad in ("2021-Q2", "Q1-2021", "", "2021-Q4"):
        with pytest.raises(ValidationError, match="không hợp lệ"):
            parse_period(bad)


def test_the_outline_is_the_clerks_text_checked_line_by_line():
    items = parse_outline(DEFAULT_OUTLINE)
    assert [i.level for i in items[:3]] == [1, 2, 2] and items[0].figures == ("documents",)
    assert items[0].heading == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
    assert items[0].key == "cong-tac-chi-dao-dieu-hanh-cai-cach-hanh-chinh"
    mine = parse_outline(
        "I. TÌNH HÌNH TRIỂN KHAI [Số liệu nhiệm vụ]\n\na) Đoàn kiểm tra đ/c Đức\nII. KIẾN NGHỊ\n"
    )
    assert [(i.number, i.level, i.figures) for i in mine] == [
        ("I.", 1, ("tasks",)),
        ("a)", 3, ()),
        ("II.", 2 - 1, ()),
    ]
    with pytest.raises(ValidationError) as error:
        parse_outline("I. A [bảng lương]\nkhông số\nII. {kỳ sau}\nIII. A")
    text = str(error.value)
    assert "Dòng 1: không hiểu “[bảng lương]”" in text and "Dòng 2" in text and "Dòng 3" in text
    assert "có hai lần" in text
    period = parse_period("2021-Q1")
    assert substitute("PHƯƠNG HƯỚNG, NHIỆM VỤ {KỲ TỚI}", period) == "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2021"
    assert substitute("trong {kỳ báo cáo}", period) == "trong quý I năm 2021"


def _directive(db, received: dt.date, number: str) -> int:
    values = DirectiveInput(ngay_den=received, issuer="UBND huyện Ba Tơ", number=number, doc_type="Kế hoạch",
                            subject="Triển khai CCHC", issued_date=received)  # fmt: skip
    return register_directive(db, values, today=dt.date(2021, 12, 31)).directive.id


@pytest.fixture
def office(db):
    save_profile(db, PROFILE)
    first = _directive(db, dt.date(2021, 1, 5), "01/KH-UBND")
    _directive(db, dt.date(2021, 3, 20), "02/KH-UBND")  # after the Q1 cut-off
    _directive(db, dt.date(2020, 12, 10), "99/KH-UBND")  # before the period
    with db.atomic():
        ids = add_tasks(
            db, first,
            [
                TaskInput("Ban hành kế hoạch & <phụ lục>", lead_unit="Văn phòng", deadline=dt.date(2021, 1, 31)),
                TaskInput("Rà soát TTHC", lead_unit="Tư pháp", deadline=dt.date(2021, 2, 28)),
                TaskInput("Kiểm tra CCHC", lead_unit="Văn phòng", deadline=dt.date(2021, 3, 10)),
                TaskInput("Tuyên truyền", lead_unit="Văn phòng", deadline=dt.date(2021, 5, 30)),  # next quarter
                TaskInput("Họp giao ban", lead_unit="Tư pháp", deadline=dt.date(2020, 12, 10)),  # carried over
            ],
            today=dt.date(2021, 1, 5),
        )  # fmt: skip
    item = {
        task_id: db.execute("SELECT id FROM task_items WHERE task_id = ?", [task_id]).fetchone()[0]
        for task_id in ids
    }
    complete_items(db, [item[ids[0]]], dt.date(2021, 1, 30), today=dt.date(2021, 12, 31))  # on time
    complete_items(db, [item[ids[1]]], dt.date(2021, 3, 2), today=dt.date(2021, 12, 31))  # late
    complete_items(db, [item[ids[2]]], dt.date(2021, 3, 20), today=dt.date(2021, 12, 31))  # after the cut-off
    return item, ids


def test_figures_are_counted_for_the_period_only(db, office):
    figures = periodic_figures(db, parse_period("2021-Q1"))
    assert figures.documents == 1 and figures.documents_by_type == (("Kế hoạch", 1),)
    assert figures.tasks == 4 and figures.carried_over == 1  # the December task still open on 15/12
    assert (figures.on_time, figures.late, figures.open, figures.overdue) == (1, 1, 2, 2)
    units = {u.unit: (u.total, u.on_time, u.late, u.open, u.overdue) for u in figures.by_unit}
    assert units == {"Tư pháp": (2, 0, 1, 1, 1), "Văn phòng": (2, 1, 0, 1, 1)}


def test_the_narrative_is_saved_and_the_next_period_starts_from_it(db, office):
    draft = reports.load_draft(db, "periodic", "2021-Q1")
    assert draft.report_id is None and draft.outline == DEFAULT_OUTLINE
    draft = reports.Draft(
        **{**draft.__dict__, "narrative": {"uu-diem": "Chỉ đạo sát sao & kịp thời <quý I>."}}
    )
    reports.save_draft(db, draft)
    assert reports.load_draft(db, "periodic", "2021-Q1").narrative == {
        "uu-diem": "Chỉ đạo sát sao & kịp thời <quý I>."
    }
    following = reports.load_draft(db, "periodic", "2021-H1")
    assert following.started_from == "2021-Q1" and following.narrative["uu-diem"].startswith("Chỉ đạo")
    with pytest.raises(ValidationError):
        reports.save_outline(db, "không có số thứ tự")
    reports.save_outline(db, "I. TÌNH HÌNH [số liệu nhiệm vụ]\nII. KIẾN NGHỊ")
    assert reports.load_draft(db, "periodic", "2021-Q3").outline.startswith("I. TÌNH HÌNH")


def test_issuing_numbers_the_report_and_closes_the_task_it_answers(db, office, tmp_path):
    from docx import Document

    item, ids = office
    draft = reports.load_draft(db, "periodic", "2021-Q1")
    first = reports.write_report(db, draft, tmp_path / "q1.docx", issue=True, day=dt.date(2021, 3, 16),
                                 task_item_id=item[ids[3]])  # fmt: skip
    assert first.number_symbol == "01/BC-UBND"
    text = "\n".join(p.text for p in Document(str(tmp_path / "q1.docx")).paragraphs)
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2021" in text
    done = db.execute("SELECT status, reply_number FROM task_items WHERE id = ?", [item[ids[3]]]).fetchone()
    assert done == ("done", "01/BC-UBND")
    again = reports.write_report(db, draft, tmp_path / "q1b.docx", issue=True, day=dt.date(2021, 3, 17))
    assert again.number_symbol == "02/BC-UBND"
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(ParclerkError):
        reports.write_report(db, draft, tmp_path / "folder.docx", issue=True, day=dt.date(2021, 3, 18))
    numbers = [e.number_symbol for e in reports.list_outgoing(db, 2021)]
    assert numbers == ["01/BC-UBND", "02/BC-UBND"]  # the failed file took no number
    assert reports.load_draft(db, "periodic", "2021-Q1").issued == ("01/BC-UBND", "02/BC-UBND")


def test_a_report_needs_the_office_profile(db, tmp_path):
    draft = reports.load_draft(db, "periodic", "2021-Q1")
    with pytest.raises(ValidationError, match="Thông tin đơn vị"):
        reports.write_report(db, draft, tmp_path / "x.docx")
