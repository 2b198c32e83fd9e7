"""The Decree 30 document engine: the template, the renderer, and what the rendered .docx holds.

Every rendered file is read back with python-docx and checked against Nghị định 30/2020/NĐ-CP (Phụ lục I):
A4, margins, Times New Roman at the sizes and styles of each component, the two borderless tables, the
date line, page numbers from page 2, the body paragraphs; then hostile text, the template's placeholders,
broken templates, and one LibreOffice conversion to check what page 1 and page 2 really show.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import subprocess
from importlib.machinery import SourceFileLoader
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from parclerk.errors import ParclerkError, ValidationError
from parclerk.reports import render
from parclerk.reports.document import (
    Annex,
    Document,
    Heading,
    Letterhead,
    PageBreak,
    PageLayout,
    Paragraph,
    Signature,
    Table,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "resources" / "templates" / "bao-cao.docx"
TITLE = "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def make_document(**changes) -> Document:
    letterhead = Letterhead(
        parent_body=changes.pop("parent_body", ""),
        issuing_body="ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY",
        number_symbol=changes.pop("number_symbol", "20/BC-UBND"),
        place="Sơn Tây",
        date=changes.pop("date", dt.date(2026, 3, 16)),
        issuer_name="Ủy ban nhân dân xã Sơn Tây",
    )
    values = {
        "title": TITLE,
        "letterhead": letterhead,
        "signature": Signature(
            authority="TM. Ủy ban nhân dân", deputy="KT. Chủ tịch", title="Phó Chủ tịch", name="Nguyễn Văn An"
        ),
        "kinh_gui": ["Sở Nội vụ tỉnh Quảng Ngãi"],
        "recipients": ["Như trên", "Chủ tịch, các PCT UBND xã", "Lưu: VT, VP"],
        "blocks": [
            Paragraph(
                "Thực hiện Kế hoạch số 15/KH-UBND ngày 10 tháng 01 năm 2026 của Ủy ban nhân dân xã Sơn Tây, "
                "Ủy ban nhân dân xã báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2026 như sau:"
            ),
            Heading(1, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
            Heading(2, "1. Về kế hoạch cải cách hành chính"),
            Paragraph("Ủy ban nhân dân xã đã ban hành Kế hoạch số 15/KH-UBND ngày 10/01/2026."),
            Heading(3, "a) Công tác kiểm tra"),
            Table(
                ["STT", "Lĩnh vực", "Hồ sơ tiếp nhận", "Tỷ lệ đúng hạn (%)"],
                [
                    ["(1)", "(2)", "(3)", "(4)"],
                    ["1", "Chứng thực", 1215, 99.5],
                    ["2", "Đất đai", 57, "96,49"],
                ],
                widths_mm=[12, 80, 35, 38],
                header_rows=2,
                align=["center", "left", "right", "right"],
            ),
            Paragraph("Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2026."),
        ],
    }
    values.update(changes)
    return Document(**values)


def render_to(
    tmp_path: Path, document: Document, name: str = "bao-cao.docx", **kwargs
) -> docx.document.Document:
    out = render.render_docx(document, tmp_path / name, **kwargs)
    assert out == tmp_path / name
    return docx.Document(str(out))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> docx.document.Document:
    tmp_path = tmp_path_factory.mktemp("docx")
    document = make_document(
        parent_body="UBND tỉnh Quảng Ngãi",
        annexes=[Annex(number="I", title="Số liệu cải cách hành chính", blocks=[Paragraph("Số liệu.")])],
    )
    return render_to(tmp_path, document)


# --- reading effective formatting back ----------------------------------------------------------------


def _defaults(doc):
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts, size = r_pr.find(qn("w:rFonts")), r_pr.find(qn("w:sz"))
    return {
        "name": fonts.get(qn("w:ascii")) if fonts is not None else None,
        "size": Pt(int(size.get(qn("w:val"))) / 2) if size is not None else None,
        "bold": False,
        "italic": False,
    }


def font(doc, paragraph, attr: str):
    """The effective value of a font attribute for the paragraph's text runs (run, style chain, defaults)."""
    values = set()
    for run in paragraph.runs or [None]:
        value = getattr(run.font, attr) if run is not None else None
        style = paragraph.style
        while value is None and style is not None:
            value = getattr(style.font, attr)
            style = style.base_style
        if value is None:
            value = _defaults(doc)[attr]
        values.add(value)
    assert len(values) == 1, (paragraph.text, attr, values)
    return values.pop()


def fmt(paragraph, attr: str):
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def all_paragraphs(doc):
    def walk(container):
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    return list(walk(doc))


def paragraph_with(doc, text: str, *, exact: bool = True):
    found = [p for p in all_paragraphs(doc) if (p.text == text if exact else text in p.text)]
    assert found, f"no paragraph {'=' if exact else '∋'} {text!r}"
    return found[0]


def check_font(doc, paragraph, *, sizes, bold=False, italic=False, upper=False):
    assert font(doc, paragraph, "name") == "Times New Roman", paragraph.text
    size = font(doc, paragraph, "size").pt
    assert min(sizes) <= size <= max(sizes), (paragraph.text, size)
    assert bool(font(doc, paragraph, "bold")) is bold, paragraph.text
    assert bool(font(doc, paragraph, "italic")) is italic, paragraph.text
    if upper:
        assert paragraph.text == paragraph.text.upper()


# --- the page -----------------------------------------------------------------------------------------


def test_every_section_is_a4_with_the_decree_margins(rendered):
    assert len(rendered.sections) == 2  # the report and its annex
    for section in rendered.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
        assert [round(m.mm) for m in margins] == [20, 20, 30, 15]


def test_page_layout_margins_and_size_are_applied(tmp_path):
    layout = PageLayout(top_mm=25, bottom_mm=22, left_mm=35, right_mm=20, body_size=13)
    doc = render_to(tmp_path, make_document(), layout=layout)
    section = doc.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [25, 22]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [35, 20]
    body = paragraph_with(doc, "Ủy ban nhân dân xã đã ban hành Kế hoạch số 15/KH-UBND ngày 10/01/2026.")
    assert font(doc, body, "size") == Pt(13)
    # the fixed-width tables shrink to the narrower text width (155 mm)
    for table in doc.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert sum(int(col.get(qn("w:w"))) for col in grid) <= Mm(155).twips + 2


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"top_mm": 19}, "Lề trên"),
        ({"bottom_mm": 26}, "Lề dưới"),
        ({"left_mm": 25}, "Lề trái"),
        ({"right_mm": 21}, "Lề phải"),
        ({"body_size": 12}, "Cỡ chữ"),
    ],
)
def test_page_layout_outside_the_decree_is_refused_in_vietnamese(changes, label):
    with pytest.raises(ValidationError) as caught:
        PageLayout(**changes)
    assert label in caught.value.fields
    assert "Nghị định 30/2020/NĐ-CP" in caught.value.message


# --- the letterhead and the footer -------------------------------------------------------------------


def _check_borderless_two_columns(table):
    assert len(table.columns) == 2
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblStyle")) is None  # no style that could bring borders back
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} <= {"nil", "none"}
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - Mm(165).twips) < 30


def test_header_is_a_borderless_two_column_table_with_each_component_in_its_place(rendered):
    header = rendered.tables[0]
    _check_borderless_two_columns(header)
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH QUẢNG NGÃI",
        "ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [QUOC_HIEU, TIEU_NGU]
    assert header.rows[1].cells[0].paragraphs[0].text == "Số: 20/BC-UBND"
    assert header.rows[1].cells[1].paragraphs[0].text == "Sơn Tây, ngày 16 tháng 3 năm 2026"


def test_letterhead_fonts(rendered):
    doc = rendered
    check_font(doc, paragraph_with(doc, "UBND TỈNH QUẢNG NGÃI"), sizes=(12, 13), upper=True)
    check_font(doc, paragraph_with(doc, "ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY"), sizes=(12, 13), bold=True, upper=True)
    check_font(doc, paragraph_with(doc, QUOC_HIEU), sizes=(12, 13), bold=True)
    check_font(doc, paragraph_with(doc, TIEU_NGU), sizes=(13, 14), bold=True)
    check_font(doc, paragraph_with(doc, "Số: 20/BC-UBND"), sizes=(13, 13))
    check_font(doc, paragraph_with(doc, "Sơn Tây, ngày 16 tháng 3 năm 2026"), sizes=(13, 14), italic=True)
    check_font(doc, paragraph_with(doc, "BÁO CÁO"), sizes=(13, 14), bold=True, upper=True)
    check_font(doc, paragraph_with(doc, TITLE), sizes=(13, 14), bold=True)
    check_font(doc, paragraph_with(doc, "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi."), sizes=(13, 14))
    for paragraph in (
        paragraph_with(doc, QUOC_HIEU),
        paragraph_with(doc, "BÁO CÁO"),
        paragraph_with(doc, TITLE),
    ):
        assert fmt(paragraph, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_rules_under_the_issuer_the_motto_and_the_title(rendered):
    """Each rule is the bottom border of an empty centred paragraph right after the text it underlines."""

    def rule_after(paragraph):
        following = paragraph._p.getnext()
        assert following is not None and following.tag == qn("w:p")
        rule = docx.text.paragraph.Paragraph(following, paragraph._parent)
        assert rule.text == ""
        style = rule.style
        bottom = style.element.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
        assert bottom.get(qn("w:val")) == "single"
        return style

    issuer = rule_after(paragraph_with(rendered, "ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY"))
    motto = rule_after(paragraph_with(rendered, TIEU_NGU))
    title = rule_after(paragraph_with(rendered, TITLE))
    # the issuer's and the title's rules are short, the motto's as long as the motto (about 56 mm)
    cell_text = Mm(66 - 3.8).emu
    issuer_length = cell_text - issuer.paragraph_format.left_indent - issuer.paragraph_format.right_indent
    assert Mm(15).emu < issuer_length < Mm(30).emu
    motto_length = Mm(99 - 3.8).emu - motto.paragraph_format.left_indent - motto.paragraph_format.right_indent
    assert Mm(54).emu < motto_length < Mm(58).emu
    title_length = Mm(165).emu - title.paragraph_format.left_indent - title.paragraph_format.right_indent
    assert Mm(30).emu < title_length < Mm(60).emu


def test_footer_holds_noi_nhan_and_the_signature_block(rendered):
    doc = rendered
    footer = next(t for t in doc.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    _check_borderless_two_columns(footer)
    left, right = footer.rows[0].cells
    label, *lines = [p for p in left.paragraphs if p.text]
    check_font(doc, label, sizes=(12, 12), bold=True, italic=True)
    assert [p.text for p in lines] == ["- Như trên;", "- Chủ tịch, các PCT UBND xã;", "- Lưu: VT, VP."]
    for line in lines:
        check_font(doc, line, sizes=(11, 11))
    signature = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signature] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    ]
    for paragraph in signature:
        check_font(doc, paragraph, sizes=(13, 14), bold=True)
        assert fmt(paragraph, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert fmt(signature[-1], "space_before") >= Cm(2.3)  # room for the signature and the seal


def test_signature_without_authority_or_deputy(tmp_path):
    document = make_document(signature=Signature(title="Chủ tịch", name="Lê Văn Cường"))
    doc = render_to(tmp_path, document)
    footer = doc.tables[-1]
    assert [p.text for p in footer.rows[0].cells[1].paragraphs if p.text] == ["CHỦ TỊCH", "Lê Văn Cường"]


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2021, 1, 5), "Sơn Tây, ngày 05 tháng 01 năm 2021"),
        (dt.date(2021, 6, 29), "Sơn Tây, ngày 29 tháng 6 năm 2021"),
        (dt.date(2022, 2, 9), "Sơn Tây, ngày 09 tháng 02 năm 2022"),
        (dt.date(2022, 10, 14), "Sơn Tây, ngày 14 tháng 10 năm 2022"),
    ],
)
def test_date_line_padding(day, line):
    assert render.text_context(make_document(date=day))["dia_danh_ngay"] == line


def test_date_line_in_the_rendered_file(tmp_path):
    doc = render_to(tmp_path, make_document(date=dt.date(2021, 1, 5)))
    assert doc.tables[0].rows[1].cells[1].paragraphs[0].text == "Sơn Tây, ngày 05 tháng 01 năm 2021"


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("20/BC-UBND", "20/BC-UBND"),
        ("5/BC-UBND", "05/BC-UBND"),
        ("20 /BC-UBND", "20/BC-UBND"),
        ("12/QyĐ-UBND", "12/QyĐ-UBND"),
        ("", "      /BC-UBND"),
        ("/KH-UBND", "      /KH-UBND"),
        ("TTr-UBND", "      /TTr-UBND"),
    ],
)
def test_number_and_symbol(written, printed):
    assert render.number_symbol_text(written) == printed


def test_draft_number_keeps_its_blank(tmp_path):
    doc = render_to(tmp_path, make_document(number_symbol=""))
    assert doc.tables[0].rows[1].cells[0].paragraphs[0].text == "Số:       /BC-UBND"


def test_page_number_in_the_header_from_page_two(rendered):
    for section in rendered.sections:
        assert section.different_first_page_header_footer  # page 1 (and an annex's first page) show none
        header = section.header._element
        instructions = "".join(t.text for t in header.iter(qn("w:instrText")))
        assert instructions.strip() == "PAGE"
        assert [c.get(qn("w:fldCharType")) for c in header.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        paragraph = section.header.paragraphs[0]
        assert fmt(paragraph, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
        check_font(rendered, paragraph, sizes=(13, 14))
        first = section.first_page_header
        assert not first.is_linked_to_previous
        assert first._element.find(".//" + qn("w:fldChar")) is None
        assert "".join(p.text for p in first.paragraphs) == ""


# --- Kính gửi and Nơi nhận ----------------------------------------------------------------------------


def test_kinh_gui_one_addressee_stays_on_the_line(rendered):
    paragraph = paragraph_with(rendered, "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi.")
    assert fmt(paragraph, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_kinh_gui_several_addressees_one_per_line(tmp_path):
    names = ["- Sở Nội vụ tỉnh Quảng Ngãi;", "Văn phòng Ủy ban nhân dân tỉnh."]
    doc = render_to(tmp_path, make_document(kinh_gui=names))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Kính gửi:\t- Sở Nội vụ tỉnh Quảng Ngãi;")
    assert texts[start + 1] == "\t- Văn phòng Ủy ban nhân dân tỉnh."
    assert not any(text.startswith("{") for text in texts)


def test_recipient_lines_are_punctuated_once():
    assert render.noi_nhan_lines(["Như trên;", "- UBND tỉnh", " ", "Lưu: VT, VP."]) == [
        "- Như trên;",
        "- UBND tỉnh;",
        "- Lưu: VT, VP.",
    ]
    assert render.kinh_gui_lines(["Sở Nội vụ"]) == ["Sở Nội vụ."]
    assert render.kinh_gui_lines([]) == []


# --- the body -----------------------------------------------------------------------------------------


def test_body_paragraphs_use_the_template_styles(rendered):
    doc = rendered
    body = paragraph_with(doc, "Ủy ban nhân dân xã đã ban hành Kế hoạch số 15/KH-UBND ngày 10/01/2026.")
    assert body.style.name == "P30 Nội dung"
    assert fmt(body, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt(body, "first_line_indent") - Cm(1.27)) < Mm(0.1)
    assert fmt(body, "space_before") >= Pt(6)
    assert 1.0 <= fmt(body, "line_spacing") <= 1.5
    check_font(doc, body, sizes=(14, 14))
    headings = {
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH": ("P30 Mục 1", True, False),
        "1. Về kế hoạch cải cách hành chính": ("P30 Mục 2", True, False),
        "a) Công tác kiểm tra": ("P30 Mục 3", False, True),
    }
    for text, (style, bold, italic) in headings.items():
        paragraph = paragraph_with(doc, text)
        assert paragraph.style.name == style
        check_font(doc, paragraph, sizes=(13, 14), bold=bold, italic=italic)
        assert fmt(paragraph, "keep_with_next")
    # the template's styles are used, not copied: each exists once
    names = [style.name for style in doc.styles]
    assert names.count("P30 Nội dung") == 1


def test_body_ends_with_the_closing_mark(rendered):
    closing = paragraph_with(rendered, "./.", exact=False)
    assert (
        closing.text == "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2026./."
    )
    assert sum("./." in p.text for p in all_paragraphs(rendered)) == 1


def test_closing_mark_after_a_final_table_and_never_twice():
    table = Table(["A"], [["1"]])
    assert render.body_blocks(make_document(blocks=[Paragraph("Xong./.")]))[-1] == Paragraph("Xong./.")
    assert render.body_blocks(make_document(blocks=[Paragraph("Xong")]))[-1] == Paragraph("Xong./.")
    assert render.body_blocks(make_document(blocks=[table]))[-1] == Paragraph("./.")
    assert render.body_blocks(make_document(blocks=[])) == []


def test_body_table(rendered):
    table = next(t for t in rendered.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Lĩnh vực",
        "Hồ sơ tiếp nhận",
        "Tỷ lệ đúng hạn (%)",
    ]
    assert [c.text for c in table.rows[2].cells] == ["1", "Chứng thực", "1.215", "99,5"]
    tbl_pr = table._tbl.tblPr
    assert {edge.get(qn("w:val")) for edge in tbl_pr.find(qn("w:tblBorders"))} == {"single"}
    repeated = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows
    ]
    assert repeated == [True, True, False, False]
    header_cell = table.rows[0].cells[1].paragraphs[0]
    assert header_cell.style.name == "P30 Bảng tiêu đề"
    check_font(rendered, header_cell, sizes=(12, 13), bold=True)
    assert fmt(header_cell, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    number_cell = table.rows[2].cells[2].paragraphs[0]
    assert number_cell.style.name == "P30 Bảng"
    check_font(rendered, number_cell, sizes=(12, 13))
    assert number_cell.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - Mm(165).twips) < 5
    assert widths[1] > widths[2] > widths[0]


def test_annex_starts_its_own_section_with_its_own_page_numbers(rendered):
    report, annex = rendered.sections
    assert report._sectPr.find(qn("w:pgNumType")) is None
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    heading = paragraph_with(rendered, "Phụ lục I")
    check_font(rendered, heading, sizes=(14, 14), bold=True)
    check_font(rendered, paragraph_with(rendered, "SỐ LIỆU CẢI CÁCH HÀNH CHÍNH"), sizes=(13, 14), bold=True)
    note = paragraph_with(
        rendered,
        "(Kèm theo Báo cáo số 20/BC-UBND ngày 16 tháng 3 năm 2026 của Ủy ban nhân dân xã Sơn Tây)",
    )
    check_font(rendered, note, sizes=(13, 14), italic=True)
    # the section break sits in the paragraph just before "Phụ lục I"
    assert heading._p.getprevious().find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def test_page_break_block(tmp_path):
    doc = render_to(
        tmp_path, make_document(blocks=[Paragraph("Trang một."), PageBreak(), Paragraph("Trang hai.")])
    )
    breaks = [br for br in doc.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


# --- hostile and empty data ---------------------------------------------------------------------------

HOSTILE = 'Sở Nội vụ & UBND <huyện> <b>đậm</b> "trích" ‘nháy’ {{ noi_dung }} {% if x %} ]]> &amp; &#x41; cuối'


def test_hostile_text_renders_intact(tmp_path):
    long_title = " ".join(["Kết quả thực hiện <cải cách> & hành chính"] * 50)[:2000]
    document = make_document(
        title=long_title,
        kinh_gui=[HOSTILE],
        recipients=[HOSTILE, "Lưu: VT"],
        blocks=[
            Heading(1, "I. " + HOSTILE),
            Paragraph(HOSTILE + "\x0bdòng sau\x01"),
            Table(["<th>", "&"], [[HOSTILE, None]]),
        ],
        signature=Signature(title="Chủ tịch", name='Nguyễn "Văn" <A> & B'),
    )
    doc = render_to(tmp_path, document)
    texts = [p.text for p in all_paragraphs(doc)]
    assert " ".join(long_title.split()) in texts
    assert len(long_title) == 2000
    assert f"Kính gửi: {HOSTILE}." in texts
    assert f"- {HOSTILE};" in texts
    assert "I. " + HOSTILE in texts
    assert HOSTILE in texts  # the paragraph split at the soft line break
    assert "dòng sau" in texts  # the control character became a space, trimmed
    assert "./." in texts  # after the final table
    assert 'Nguyễn "Văn" <A> & B' in texts
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "<th>")
    assert [c.text for c in table.rows[1].cells] == [HOSTILE, ""]


def test_empty_lists_and_no_body(tmp_path):
    document = make_document(kinh_gui=[], recipients=[], blocks=[], annexes=[])
    doc = render_to(tmp_path, document)
    texts = [p.text for p in all_paragraphs(doc)]
    assert not any(text.startswith("Kính gửi") for text in texts)
    assert "Nơi nhận:" in texts
    assert not any(text.startswith("- ") for text in texts)
    assert not any("{" in text or "}" in text for text in texts)
    assert len(doc.sections) == 1
    # Word needs a paragraph after a final table
    body = [child for child in doc.element.body if child.tag != qn("w:sectPr")]
    assert body[-1].tag == qn("w:p")


# --- the template ---------------------------------------------------------------------------------------


def test_template_placeholders_are_exactly_the_context_keys():
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(TEMPLATE))
    context = render.build_context(make_document(), tpl)
    assert tpl.get_undeclared_template_variables() == set(context)
    assert set(context) == set(render.TEXT_KEYS) | set(render.SUBDOC_KEYS)


def test_readme_lists_every_placeholder():
    readme = (TEMPLATE.parent / "README.md").read_text(encoding="utf-8")
    for key in render.TEXT_KEYS + render.SUBDOC_KEYS:
        assert f"`{key}`" in readme


def test_committed_template_is_what_the_script_generates():
    script = ROOT / "scripts" / "make-templates"
    loader = SourceFileLoader("make_templates", str(script))
    spec = importlib.util.spec_from_loader("make_templates", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    assert module.build() == TEMPLATE.read_bytes(), "run: .venv/bin/python scripts/make-templates"


def _edit_template(tmp_path: Path, old: str, new_runs: list[str]) -> Path:
    """A copy of the template with the paragraph reading `old` rewritten as the given runs."""
    doc = docx.Document(str(TEMPLATE))
    paragraph = paragraph_with(doc, old)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    for index, text in enumerate(new_runs):
        run = paragraph.add_run(text)
        run.bold = bool(index % 2)  # alternate formatting, as Word leaves it after an edit
    path = tmp_path / "mau-loi.docx"
    doc.save(str(path))
    return path


def test_unknown_placeholder_names_the_template_and_the_field(tmp_path):
    template = _edit_template(tmp_path, "{{ trich_yeu }}", ["{{ trich_yeu_moi }}"])
    out = tmp_path / "bao-cao.docx"
    out.write_bytes(b"old report")
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), out, template_path=template)
    message = caught.value.message
    assert "mau-loi.docx" in message
    assert "“trich_yeu_moi”" in message
    assert "{{ trich_yeu_moi }}" in message  # the paragraph holding it
    assert "parclerk không có trường này" in message
    assert out.read_bytes() == b"old report"  # nothing half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx", "mau-loi.docx"]


def test_jinja_syntax_error_names_the_template_and_the_paragraph(tmp_path):
    template = _edit_template(tmp_path, "Số: {{ so_ky_hieu }}", ["Số: {{ so_ky ", "hieu }}"])
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "out.docx", template_path=template)
    message = caught.value.message
    assert "mau-loi.docx" in message
    assert "“Số: {{ so_ky hieu }}”" in message
    assert "thẻ bị lỗi" in message
    assert not (tmp_path / "out.docx").exists()


def test_unclosed_block_is_a_vietnamese_error(tmp_path):
    template = _edit_template(tmp_path, "{%p endif %}", ["Đã xóa nhầm thẻ đóng"])
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "out.docx", template_path=template)
    assert "mau-loi.docx" in caught.value.message
    assert "thẻ bị lỗi" in caught.value.message


def test_template_without_the_body_tag_is_refused(tmp_path):
    template = _edit_template(tmp_path, "{{p noi_dung }}", ["{{ noi_dung }}"])  # inline: no room for a body
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "out.docx", template_path=template)
    assert "“{{p noi_dung }}”" in caught.value.message and "mau-loi.docx" in caught.value.message


def test_tag_split_across_runs_still_renders(tmp_path):
    """Word often splits a tag into runs with different formatting; docxtpl joins them again."""
    template = _edit_template(tmp_path, "{{ trich_yeu }}", ["{{ trich", "_yeu }", "}"])
    doc = render_to(tmp_path, make_document(), template_path=template)
    assert TITLE in [p.text for p in doc.paragraphs]


def test_missing_style_and_damaged_template(tmp_path):
    doc = docx.Document(str(TEMPLATE))
    style = doc.styles["P30 Mục 2"]
    style.name = "Kiểu của tôi"
    style.style_id = "KieuCuaToi"
    renamed = tmp_path / "doi-ten.docx"
    doc.save(str(renamed))
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "a.docx", template_path=renamed)
    assert "“P30 Mục 2”" in caught.value.message and "doi-ten.docx" in caught.value.message

    damaged = tmp_path / "hong.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "b.docx", template_path=damaged)
    assert "hong.docx" in caught.value.message and "bị hỏng" in caught.value.message

    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "c.docx", template_path=tmp_path / "khong-co.docx")
    assert "Không tìm thấy mẫu" in caught.value.message


def test_unwritable_target_is_a_vietnamese_error(tmp_path):
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path)
    assert "là một thư mục" in caught.value.message
    with pytest.raises(ParclerkError) as caught:
        render.render_docx(make_document(), tmp_path / "khong-co" / "a.docx")
    assert "không tồn tại" in caught.value.message


def test_reports_package_never_imports_qt_or_docx_at_module_level():
    for name in ("document.py", "render.py"):
        source = (ROOT / "parclerk" / "reports" / name).read_text(encoding="utf-8")
        top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
        assert not any("PySide6" in line or "docx" in line or "jinja2" in line for line in top_level), name


# --- what LibreOffice prints ---------------------------------------------------------------------------


def _long_document() -> Document:
    sentence = (
        "Ủy ban nhân dân xã tiếp tục chỉ đạo các bộ phận chuyên môn thực hiện nghiêm kỷ luật, kỷ cương hành "
        "chính, công khai thủ tục hành chính và giải quyết hồ sơ đúng hạn cho người dân, doanh nghiệp. "
    )
    blocks = [
        Paragraph(
            "Ủy ban nhân dân xã Sơn Tây báo cáo kết quả thực hiện công tác cải cách hành chính như sau:"
        )
    ]
    for part in ("I. CÔNG TÁC CHỈ ĐẠO", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG"):
        blocks.append(Heading(1, part))
        blocks += [Paragraph(sentence * 3) for _ in range(4)]
    blocks.append(Paragraph("Trên đây là báo cáo của Ủy ban nhân dân xã Sơn Tây."))
    annex = Annex(number="I", title="Số liệu", blocks=[Table(["STT", "Chỉ tiêu"], [["1", "Hồ sơ"]])])
    return make_document(blocks=blocks, annexes=[annex])


def _page_text(pdf: Path, page: int) -> list[str]:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (libreoffice-writer)"
)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_libreoffice_prints_page_one_without_a_number_and_numbers_page_two(tmp_path, to_pdf):
    source = render.render_docx(_long_document(), tmp_path / "bao-cao.docx")
    pdf = to_pdf(source)

    first = _page_text(pdf, 1)
    text = " ".join(first)
    assert not first[0].isdigit(), first[:3]  # no page number on page 1
    for expected in (
        "ỦY BAN NHÂN DÂN",
        QUOC_HIEU,
        TIEU_NGU,
        "Số: 20/BC-UBND",
        "Sơn Tây, ngày 16 tháng 3 năm 2026",
        "BÁO CÁO",
        TITLE,
        "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi.",
    ):
        assert expected in text, expected
    assert first.index("BÁO CÁO") < first.index(TITLE)

    second = _page_text(pdf, 2)
    assert second[0] == "2", second[:3]  # the page number, at the top

    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    annex_page = _page_text(pdf, pages)
    assert annex_page[0] == "Phụ lục I", annex_page[:3]  # the annex: a new page, no number on its first page
    main_last = " ".join(_page_text(pdf, pages - 1))
    assert "Nơi nhận:" in main_last and "Nguyễn Văn An" in main_last
