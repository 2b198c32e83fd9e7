"""The ranking bar chart (Pillow) and the Picture block of the Word engine.

The chart is checked as a picture: a real PNG at 200 dpi, one fixed-height row per unit, bars whose length
is proportional to the value (read back from the pixels), the same scale and colours on every page of a
long ranking. The Picture block is rendered to .docx and read back: one inline picture of the asked width
(never wider than the text), its caption, the image in word/media; LibreOffice prints it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from PIL import Image

from parclerk.errors import ParclerkError, ValidationError
from parclerk.paths import resource_path
from parclerk.reports import chart, render
from parclerk.reports.chart import Bar, Threshold, bar_chart_pages, bar_chart_png
from parclerk.reports.document import Document, Letterhead, PageLayout, Paragraph, Picture, Signature
from parclerk.reports.preview import document_html

D = Decimal
NAMES = ["Xã Ba Tơ", "Phường Trương Quang Trọng", "Xã Đặng Thùy Trâm", "Phường Nghĩa Lộ", "Xã Đức Phổ"]
THRESHOLDS = [Threshold("Xuất sắc", D(90)), Threshold("Tốt", D(80)), Threshold("Khá", D(65))]


def _bars(count: int) -> list[Bar]:
    return [
        Bar(f"{NAMES[i % len(NAMES)]} {i}", D(97) - i * D("0.5"), "Tốt" if i % 2 else "Xuất sắc")
        for i in range(count)
    ]


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _spans(image: Image.Image, colour: str) -> list[tuple[int, int]]:
    """(left, right) of each bar drawn in `colour`, top to bottom: rows with many pixels of that colour,
    grouped into bars by the white gap between them."""
    target = Image.new("RGB", (1, 1), colour).getpixel((0, 0))
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    bars: list[tuple[int, int]] = []
    previous_row = -2
    for y in range(height):
        xs = [x for x in range(width) if pixels[x, y] == target]
        if len(xs) < 40:  # a legend swatch, a letter: not a bar
            continue
        if y != previous_row + 1:
            bars.append((min(xs), max(xs)))
        previous_row = y
    return bars


# --- the picture ----------------------------------------------------------------------------------------


def test_chart_is_a_200_dpi_png_of_the_asked_width_growing_with_the_units():
    five = _image(bar_chart_png(_bars(5), title="Xếp hạng", thresholds=THRESHOLDS, average=D("84.12")))
    ten = _image(bar_chart_png(_bars(10), title="Xếp hạng", thresholds=THRESHOLDS, average=D("84.12")))
    assert five.format == "PNG"
    assert five.width == ten.width == 1400
    assert ten.height - five.height == 5 * chart.ROW  # one fixed-height row per unit
    assert five.info["dpi"] == pytest.approx((200, 200), abs=0.01)
    narrow = _image(bar_chart_png(_bars(5), title="Xếp hạng", width_px=900))
    assert narrow.width == 900


def test_bar_length_is_proportional_to_the_value():
    image = _image(bar_chart_png([Bar("Xã A", D(100)), Bar("Xã B", D(50))], title="Tỷ lệ"))
    full, half = _spans(image, chart.PALETTE[0])
    assert half[0] == full[0]  # both start on the 0% line
    assert (half[1] - half[0]) / (full[1] - full[0]) == pytest.approx(0.5, abs=0.01)
    assert full[1] > image.width * 0.8  # 100% is near the right edge: the axis ends at 100%


def test_axis_grows_past_100_percent_with_bonus_points_and_negative_values_draw_nothing():
    image = _image(
        bar_chart_png([Bar("Xã A", D("104.5")), Bar("Xã B", D(100)), Bar("Xã C", D(-3))], title="Tỷ lệ")
    )
    over, full = _spans(image, chart.PALETTE[0])  # no bar for a value below 0
    assert (full[1] - full[0]) / (over[1] - over[0]) == pytest.approx(100 / 104.5, abs=0.01)
    assert chart._axis_max([Bar("x", D("104.5"))], (), None) == 110
    assert chart._axis_max([Bar("x", D(60))], THRESHOLDS, D(70)) == 100


def test_groups_share_a_colour_in_the_thresholds_order_and_stay_the_same_on_every_page():
    bars = [
        Bar("A", D(95), "Xuất sắc"),
        Bar("B", D(85), "Tốt"),
        Bar("C", D(83), "Tốt"),
        Bar("D", D(70), "Khá"),
    ]
    colours = chart._colours(bars, THRESHOLDS)
    assert [colours[g] for g in ("Xuất sắc", "Tốt", "Khá")] == list(chart.PALETTE[:3])
    # the last page holds only "Khá": still the third colour, the same scale
    pages = bar_chart_pages(bars, title="Xếp hạng", thresholds=THRESHOLDS, per_image=3)
    (only,) = _spans(_image(pages[1]), chart.PALETTE[2])
    whole = _spans(_image(bar_chart_png(bars, title="Xếp hạng", thresholds=THRESHOLDS)), chart.PALETTE[2])
    assert only == whole[0]
    assert chart._colours([Bar("A", D(1))], ()) == {"": chart.PALETTE[0]}


def test_pages_split_the_ranking_on_one_scale_with_running_ranks(monkeypatch):
    calls = []
    real = chart._draw

    def spy(bars, **kwargs):
        calls.append((len(bars), kwargs["title"], kwargs["start"], kwargs["axis_max"]))
        return real(bars, **kwargs)

    monkeypatch.setattr(chart, "_draw", spy)
    bars = [Bar(f"Xã số {i + 1}", D(100) - i, "") for i in range(80)]
    bars[70] = Bar("Xã có điểm thưởng", D("101.5"))
    pages = bar_chart_pages(bars, title="Xếp hạng Chỉ số", per_image=35)
    assert len(pages) == 3
    assert calls == [
        (35, "Xếp hạng Chỉ số", 0, 110),
        (35, "Xếp hạng Chỉ số (tiếp theo)", 35, 110),
        (10, "Xếp hạng Chỉ số (tiếp theo)", 70, 110),
    ]
    heights = [_image(png).height for png in pages]
    assert heights[0] == heights[1] > heights[2]


def test_no_units_is_a_vietnamese_error():
    for draw in (bar_chart_png, bar_chart_pages):
        with pytest.raises(ParclerkError) as caught:
            draw([], title="Xếp hạng")
        assert caught.value.message == "Chưa có đơn vị nào để vẽ biểu đồ."


def test_text_is_normalised_and_written_the_vietnamese_way():
    nfc = [Bar("Ủy ban nhân dân xã Đức Phổ", D("87.5"), "Tốt")]
    nfd = [Bar(unicodedata.normalize("NFD", "Ủy ban nhân dân xã Đức Phổ"), D("87.5"), "Tốt")]
    title = "Phường Nghĩa Lộ"
    assert bar_chart_png(nfc, title=title) == bar_chart_png(nfd, title=unicodedata.normalize("NFD", title))
    assert chart.threshold_text(Threshold("Tốt", D(80))) == "Tốt ≥ 80%"
    assert chart.threshold_text(Threshold("Khá", D("82.50"))) == "Khá ≥ 82,5%"
    assert chart.average_text(D("84.12")) == "Bình quân 84,12%"


def test_fonts_are_bundled_and_importing_the_module_does_not_load_pillow():
    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LICENSE-Liberation.txt"):
        assert resource_path("fonts", name).is_file(), name
    code = (
        "import sys, parclerk.reports.chart; assert 'PIL' not in sys.modules and 'PySide6' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# --- the Picture block in the Word file -------------------------------------------------------------------


CHART = bar_chart_png(_bars(5), title="Chỉ số cải cách hành chính", thresholds=THRESHOLDS, average=D("95"))
CAPTION = "Biểu đồ 1. Chỉ số cải cách hành chính năm 2025"


def _document(*blocks) -> Document:
    return Document(
        title="Kết quả Chỉ số cải cách hành chính năm 2025",
        letterhead=Letterhead(
            issuing_body="ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY",
            place="Sơn Tây",
            date=dt.date(2026, 3, 16),
            number_symbol="20/BC-UBND",
        ),
        signature=Signature(title="Chủ tịch", name="Nguyễn Văn An"),
        blocks=[Paragraph("Kết quả xếp hạng như sau:"), *blocks, Paragraph("Trên đây là báo cáo.")],
    )


def _render(tmp_path: Path, *blocks, layout: PageLayout = render.DEFAULT_LAYOUT) -> Path:
    return render.render_docx(_document(*blocks), tmp_path / "bao-cao.docx", layout=layout)


def test_picture_is_one_centred_inline_image_with_its_caption_below(tmp_path):
    out = _render(tmp_path, Picture(CHART, width_mm=120, caption=CAPTION))
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width == Mm(120)
    image = _image(CHART)
    assert doc.inline_shapes[0].height == pytest.approx(Mm(120) * image.height / image.width, abs=Mm(0.1))

    paragraphs = list(doc.paragraphs)
    index = next(i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic"))
    picture, caption = paragraphs[index], paragraphs[index + 1]
    assert picture.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert picture.paragraph_format.first_line_indent == 0
    assert picture.paragraph_format.keep_with_next is True
    assert caption.text == CAPTION
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert caption.paragraph_format.first_line_indent == 0
    assert all(run.italic for run in caption.runs)

    with zipfile.ZipFile(out) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/image")]
        assert len(media) == 1 and media[0].endswith(".png")
        assert package.read(media[0]) == CHART
        rels = package.read("word/_rels/document.xml.rels").decode()
        assert media[0].removeprefix("word/") in rels  # the body's part holds the image relationship


def test_picture_width_defaults_to_and_never_exceeds_the_text_width(tmp_path):
    layout = PageLayout(left_mm=35, right_mm=20)  # 155 mm of text
    out = _render(tmp_path, Picture(CHART), Picture(CHART, width_mm=400), layout=layout)
    widths = [shape.width for shape in docx.Document(str(out)).inline_shapes]
    assert widths == [Mm(155), Mm(155)]


def test_a_very_tall_picture_is_narrowed_to_fit_a_page():
    tall = bar_chart_png(_bars(60), title="Xếp hạng")
    width, height = render.png_size(tall)
    assert (width, height) == _image(tall).size
    printed = render.picture_width_mm(Picture(tall), 165)
    assert printed * height / width == pytest.approx(render.MAX_PICTURE_HEIGHT_MM)


def test_picture_must_be_a_png():
    for data in (b"GIF89a....", b"", b"\x89PNG\r\n", CHART.decode("latin-1")):
        with pytest.raises(ValidationError) as caught:
            Picture(data)
        assert "Hình" in caught.value.fields
    with pytest.raises(ValidationError):
        Picture(CHART, width_mm=0)


def test_preview_shows_the_picture_inline_with_its_caption():
    html = document_html(_document(Picture(CHART, caption=CAPTION)))
    assert '<img src="data:image/png;base64,' in html
    assert f"<i>{CAPTION}</i>" in html


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (libreoffice-writer)"
)
@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages is not installed (poppler-utils)")
def test_libreoffice_prints_the_chart(tmp_path, to_pdf):
    source = _render(tmp_path, Picture(CHART, caption=CAPTION))
    pdf = to_pdf(source)
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    image = _image(CHART)
    assert [line.split()[3:5] for line in listing] == [[str(image.width), str(image.height)]]
