"""readers: directive files (.txt, .docx, .pdf) and pasted text -> the NFC text the parser reads.

The .docx files are built here with python-docx, laid out as Decree 30 directives are (a borderless two-column
header table, the body, a two-column "Nơi nhận" / signature table) from the real 107/UBND-NC sample. The PDFs
in tests/data were printed once by tests/data/make_pdf_fixtures.py (Qt, by hand); here pypdf only reads them.
"""

from __future__ import annotations

import io
import random
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from parclerk.errors import ParclerkError
from parclerk.parsing import readers
from parclerk.parsing.readers import ScannedDocumentError, read_document, read_text

# The real directives of ../shared/samples, as shipped with the demo (a clone may have no ../shared).
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "demo" / "samples"
SAMPLE_107 = SAMPLES / "cv-107-UBND-NC-quang-ngai-2021.txt"
DATA = Path(__file__).resolve().parents[1] / "data"
PDF_107 = DATA / "cv-107.pdf"
SCAN_PDF = DATA / "scan.pdf"

# Letters only Vietnamese uses (not in Latin-1): a message or text with one is Vietnamese.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def _plain_sample() -> str:
    """The 107 sample without its Markdown marks (**bold**, ~~struck~~, *italic*)."""
    return re.sub(r"\*\*|~~|\*", "", SAMPLE_107.read_text(encoding="utf-8"))


def _sample_paragraphs() -> list[str]:
    return [p.strip() for p in _plain_sample().split("\n\n") if p.strip()]


def _order(text: str, *parts: str) -> list[int]:
    """The position of each part in text; fails if one is missing."""
    positions = []
    for part in parts:
        assert part in text, f"{part!r} not in:\n{text}"
        positions.append(text.index(part))
    return positions


# --- pasted text ----------------------------------------------------------------------------------------------


def test_read_text_normalises_and_strips():
    nfd = unicodedata.normalize("NFD", "  Quảng Ngãi, ngày 09 tháng 01 năm 2021\r\nSố: 107/UBND-NC\v \n")
    assert read_text(nfd) == "Quảng Ngãi, ngày 09 tháng 01 năm 2021\nSố: 107/UBND-NC"


# --- .txt ------------------------------------------------------------------------------------------------------


def _to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: the base letter (with its ˆ ˘ or horn) precomposed where the code
    page has it, the tone as a combining mark after it ('ế' -> 'ê' + U+0301)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        tone = "".join(m for m in marks if m in tones)
        out.append((base + tone).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be-bom-less"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(_to_cp1258, id="cp1258"),
    ],
)
def test_txt_encodings(tmp_path, encode):
    sample = _plain_sample()
    path = tmp_path / "cv-107.txt"
    path.write_bytes(encode(sample))
    text = read_document(path)
    assert text == unicodedata.normalize("NFC", sample)
    assert "\ufeff" not in text and "\r" not in text
    assert _is_nfc(text)


def test_cp1258_really_uses_combining_tones():
    encoded = _to_cp1258("Quảng Ngãi, Đặng Văn Minh")
    assert encoded.decode("cp1258") != "Quảng Ngãi, Đặng Văn Minh"  # NFD-ish: tones are separate characters
    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == "Quảng Ngãi, Đặng Văn Minh"


def test_nfd_utf8_comes_back_nfc(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Quảng Ngãi").encode("utf-8"))
    assert read_document(path) == "Ủy ban nhân dân tỉnh Quảng Ngãi"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x81\x8d\x8f\x90\x9d Qu\xe1ng", id="cp1258-undefined-bytes"),
        pytest.param(b"\x00\x01\x02\x03binary\x00\xff\xfe", id="binary"),
        pytest.param(b"\xff\xfeQ\x00\x00\xd8", id="utf-16-bom-broken-surrogate"),
        pytest.param(b"\xef\xbb\xbfQu\xe1ng", id="utf-8-bom-then-not-utf-8"),
    ],
)
def test_txt_undecodable(tmp_path, data):
    path = tmp_path / "hong.txt"
    path.write_bytes(data)
    with pytest.raises(ParclerkError, match="bảng mã") as info:
        read_document(path)
    assert "hong.txt" in info.value.message


def test_txt_empty_is_an_error(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    with pytest.raises(ParclerkError, match="không có chữ nào"):
        read_document(path)


def test_suffix_is_case_insensitive(tmp_path):
    path = tmp_path / "CV-107.TXT"
    path.write_text("Số: 107/UBND-NC", encoding="utf-8")
    assert read_document(path) == "Số: 107/UBND-NC"


# --- .docx -----------------------------------------------------------------------------------------------------


def _add_lines(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Lines of text as runs separated by Word line breaks (Shift+Enter), as header blocks are typed."""
    for i, line in enumerate(text.splitlines()):
        if i:
            paragraph.runs[-1].add_break()
        run = paragraph.add_run(line)
        run.bold, run.italic = bold, italic


def _fill_cell(cell, blocks: list[tuple[str, dict]]) -> None:
    for i, (text, style) in enumerate(blocks):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _add_lines(paragraph, text, **style)


def _directive_docx(path: Path, layout: str = "rows") -> Path:
    """The 107/UBND-NC directive as a Word document laid out like the original. The header table is either
    one row (left cell: issuer, number, subject; right cell: motto, date) or, as many offices' templates have
    it, one row per line of blocks (issuer | motto; number | date; subject | nothing)."""
    paragraphs = _sample_paragraphs()
    issuer, motto, number, date_line, subject = paragraphs[:5]
    assert number == "Số: 107 /UBND-NC"  # the sample has the number written into a blank
    number = "Số: 107/UBND-NC"
    received = paragraphs.index("Nơi nhận:")
    body, recipients = paragraphs[5:received], paragraphs[received + 1]
    title, signer = paragraphs[-2], paragraphs[-1]

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Trang đầu trang"  # section header: left out
    document.sections[0].footer.paragraphs[0].text = "Trang 1/2"  # page numbers: left out
    bold, italic, plain = {"bold": True}, {"italic": True}, {}
    if layout == "one-row":
        header = document.add_table(rows=1, cols=2)  # no style: the borderless "Normal Table"
        _fill_cell(header.rows[0].cells[0], [(issuer, bold), (number, plain), (subject, plain)])
        _fill_cell(header.rows[0].cells[1], [(motto, bold), (date_line, italic)])
    else:
        header = document.add_table(rows=3, cols=2)
        for row, (left, right) in zip(
            header.rows,
            [
                ((issuer, bold), (motto, bold)),
                ((number, plain), (date_line, italic)),
                ((subject, plain), ("", plain)),
            ],
            strict=True,
        ):
            _fill_cell(row.cells[0], [left])
            _fill_cell(row.cells[1], [right])
    for text in body:
        _add_lines(document.add_paragraph(), text)
    footer = document.add_table(rows=1, cols=2)
    _fill_cell(footer.rows[0].cells[0], [("Nơi nhận:", {"bold": True, "italic": True}), (recipients, plain)])
    _fill_cell(footer.rows[0].cells[1], [(title, bold), ("", plain), (signer, bold)])
    document.save(path)
    return path


@pytest.mark.parametrize("layout", ["one-row", "rows"])
def test_docx_directive_reads_in_document_order(tmp_path, layout):
    text = read_document(_directive_docx(tmp_path / "cv-107.docx", layout))
    assert _is_nfc(text)
    # Header table, each row cell by cell: the issuer before the motto, the number before the date.
    issuer, motto, number, date_line = _order(
        text,
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Số: 107/UBND-NC",
        "Quảng Ngãi, ngày 09 tháng 01 năm 2021",
    )
    assert issuer < motto and number < date_line and issuer < number
    # The body, in order, after the header and before the footer table.
    body = _order(
        text,
        "V/v tham mưu chỉ đạo\ntăng cường công tác cải cách",
        "Kính gửi:\n\n- Sở Nội vụ;\n- Sở Thông tin và Truyền thông;",
        "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
        "1. Chủ trì, phối hợp với các cơ quan, đơn vị liên quan:",
        "a) Khẩn trương rà soát",
        "d) Tham mưu UBND tỉnh chỉ đạo",
        "Hoàn thành các nhiệm vụ nêu trên chậm nhất trong tháng 2/2021.",
        "2. Chủ trì, phối hợp với Văn phòng UBND tỉnh",
        "Hoàn thành nhiệm vụ chậm nhất trong tháng 02/2020./.",
    )
    assert body == sorted(body) and number < body[0]
    received, title, signer = _order(text, "Nơi nhận:", "CHỦ TỊCH", "Đặng Văn Minh")
    assert body[-1] < received < title < signer
    assert "- Lưu: VT, NC,vi09.\n\nCHỦ TỊCH\n\nĐặng Văn Minh" in text
    # Paragraphs are separated by one blank line, never more; headers and footers are left out.
    assert "\n\n\n" not in text
    assert "Trang 1/2" not in text and "Trang đầu trang" not in text
    assert text.startswith("ỦY BAN NHÂN DÂN") and text.endswith("Đặng Văn Minh")


def test_docx_reads_like_the_sample(tmp_path):
    """Header in rows: the same paragraphs in the same order as the sample .txt (less its Markdown marks and
    the space of the hand-filled number)."""
    text = read_document(_directive_docx(tmp_path / "cv-107.docx", "rows"))
    expected = ["Số: 107/UBND-NC" if p == "Số: 107 /UBND-NC" else p for p in _sample_paragraphs()]
    assert text.split("\n\n") == expected


def test_docx_merged_cells_are_written_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    wide = table.cell(0, 0).merge(table.cell(0, 2))  # across all three columns
    wide.text = "Ô gộp ngang"
    tall = table.cell(1, 0).merge(table.cell(2, 0))  # down two rows
    tall.text = "Ô gộp dọc"
    table.cell(1, 1).text = "B2"
    table.cell(2, 2).text = "C3"
    document.save(path := tmp_path / "gop.docx")
    text = read_document(path)
    assert text.count("Ô gộp ngang") == 1 and text.count("Ô gộp dọc") == 1
    assert text.split("\n\n") == ["Ô gộp ngang", "Ô gộp dọc", "B2", "C3"]


def test_docx_nested_table(tmp_path):
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    left, right = outer.rows[0].cells
    left.text = "UBND TỈNH QUẢNG TRỊ\nVĂN PHÒNG"
    inner = left.add_table(rows=1, cols=2)
    inner.rows[0].cells[0].text = "Số: 526/VP-HCTC"
    inner.rows[0].cells[1].text = "V/v đôn đốc triển khai"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    document.add_paragraph("Kính gửi: Các phòng, ban.")
    document.save(path := tmp_path / "long.docx")
    text = read_document(path)
    positions = _order(
        text,
        "UBND TỈNH QUẢNG TRỊ",
        "Số: 526/VP-HCTC",
        "V/v đôn đốc triển khai",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Kính gửi: Các phòng, ban.",
    )
    assert positions == sorted(positions)


def test_docx_tables_nested_too_deep_are_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_TABLE_DEPTH", 2)
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for depth in range(1, 5):
        cell.paragraphs[0].text = f"Mức {depth}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    document.save(path := tmp_path / "sau.docx")
    assert read_document(path).split("\n\n") == ["Mức 1", "Mức 2"]


def test_docx_line_breaks_tabs_and_spacing(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.add_break()
    paragraph.add_run("Độc lập - Tự do - Hạnh phúc")
    paragraph.runs[-1].add_break(WD_BREAK.PAGE)  # a page break inside a paragraph ends the line too
    paragraph.add_run("Số:\t107/UBND-NC   ")
    document.add_paragraph("")  # empty paragraphs make no extra blank lines
    document.add_paragraph("   ")
    strike = document.add_paragraph().add_run("Nội dung gạch ngang vẫn là chữ")
    strike.font.strike = True
    document.save(path := tmp_path / "ngat.docx")
    assert read_document(path) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 107/UBND-NC\n\n"
        "Nội dung gạch ngang vẫn là chữ"
    )


def test_docx_automatic_list_numbers_are_written(tmp_path):
    """Word's automatic numbering is not in a paragraph's text; the parser needs "1.", "2." to find tasks."""
    document = docx.Document()
    document.add_paragraph("Kính gửi:")
    document.add_paragraph("Sở Nội vụ;", style="List Bullet")
    document.add_paragraph("Sở Tư pháp.", style="List Bullet")
    document.add_paragraph("Chủ trì, phối hợp với các cơ quan, đơn vị liên quan.", style="List Number")
    document.add_paragraph("Hoàn thành trong tháng 2/2021.")
    document.add_paragraph("Chủ trì, phối hợp với Văn phòng UBND tỉnh.", style="List Number")
    document.save(path := tmp_path / "so.docx")
    assert read_document(path).split("\n\n") == [
        "Kính gửi:",
        "- Sở Nội vụ;",
        "- Sở Tư pháp.",
        "1. Chủ trì, phối hợp với các cơ quan, đơn vị liên quan.",
        "Hoàn thành trong tháng 2/2021.",
        "2. Chủ trì, phối hợp với Văn phòng UBND tỉnh.",
    ]


def test_docx_text_boxes_and_deleted_text_are_left_out_inserted_text_kept(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Giữ ")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:ins xmlns:w="{w}" w:id="1" w:author="A"><w:r><w:t>chữ chèn</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:del xmlns:w="{w}" w:id="2" w:author="A"><w:r><w:delText>chữ xóa</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:r xmlns:w="{w}"><w:pict><w:txbxContent><w:p><w:r><w:t>khung</w:t></w:r></w:p>'
            "</w:txbxContent></w:pict></w:r>"
        )
    )
    document.save(path := tmp_path / "sua.docx")
    assert read_document(path) == "Giữ chữ chèn"


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Số: 107/UBND-NC")
    document.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The docx with each member passed through change(name, content) -> content or None (left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: random.Random(107).randbytes(4000), id="random-bytes"),
        pytest.param(
            lambda: _rezip(_docx_bytes(), lambda name, c: None if name == "word/document.xml" else c),
            id="zip-without-document-xml",
        ),
        pytest.param(
            lambda: _rezip(
                _docx_bytes(), lambda name, c: b"<w:document><w:body>" if name == "word/document.xml" else c
            ),
            id="bad-xml",
        ),
        pytest.param(lambda: _docx_bytes()[:2000], id="truncated"),
        pytest.param(lambda: b"", id="empty-file"),
        pytest.param(lambda: "Số: 107/UBND-NC".encode(), id="text-renamed-docx"),
    ],
)
def test_docx_corrupt(tmp_path, make):
    path = tmp_path / "hong.docx"
    path.write_bytes(make())
    with pytest.raises(ParclerkError) as info:
        read_document(path)
    assert "hong.docx" in info.value.message and "nhập tay" in info.value.message


def test_docx_zip_bomb_is_not_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_DOCX_UNPACKED", 20_000)
    (path := tmp_path / "bom.docx").write_bytes(_rezip(_docx_bytes(), lambda name, c: c + b" " * 30_000))
    with pytest.raises(ParclerkError, match="quá lớn khi giải nén"):
        read_document(path)


def test_docx_without_text(tmp_path):
    docx.Document().save(path := tmp_path / "trang.docx")
    with pytest.raises(ParclerkError, match="không có chữ nào.*text box"):
        read_document(path)


# --- .pdf ------------------------------------------------------------------------------------------------------


def test_pdf_fixtures_are_what_the_tests_think():
    assert len(PdfReader(PDF_107).pages) >= 2
    assert PDF_107.stat().st_size < 200_000 and SCAN_PDF.stat().st_size < 200_000
    assert len(PdfReader(SCAN_PDF).pages) == 1


def test_pdf_text_layer():
    text = read_document(PDF_107)
    assert _is_nfc(text)
    assert "\t" not in text and "  " not in text
    assert re.search(r"Số: 107 ?/UBND-NC", text)  # the number is written into a blank: "107 /UBND-NC"
    positions = _order(
        text,
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Quảng Ngãi, ngày 09 tháng 01 năm 2021",
        "1. Chủ trì, phối hợp với các cơ quan, đơn vị liên quan:",
        "trách nhiệm với\n\ndân;",  # the end of page 1, a blank line, the start of page 2
        "2. Chủ trì, phối hợp với Văn phòng UBND tỉnh",
        "Nơi nhận:",
        "CHỦ TỊCH",
        "Đặng Văn Minh",
    )
    assert positions == sorted(positions)
    # Every word of the sample, none lost or garbled; from "Kính gửi:" on, in the same order. (The header is a
    # one-row table in this PDF: its left cell comes out before its right cell.)
    words, expected = text.split(), _plain_sample().split()
    assert sorted(words) == sorted(expected)
    assert words[words.index("Kính") :] == expected[expected.index("Kính") :]


def test_pdf_page_cap(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PDF_PAGES", 1)
    text = read_document(PDF_107)
    assert "Quảng Ngãi, ngày 09 tháng 01 năm 2021" in text and "Đặng Văn Minh" not in text


def test_pdf_scan_without_text_layer():
    with pytest.raises(ScannedDocumentError) as info:
        read_document(SCAN_PDF)
    assert info.value.message.startswith("Tệp PDF này là bản quét, không có lớp chữ")
    assert isinstance(info.value, ParclerkError)


def test_pdf_blank_pages_are_not_called_a_scan(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    writer.write(path := tmp_path / "trang.pdf")
    with pytest.raises(ParclerkError, match="Không tìm thấy chữ nào") as info:
        read_document(path)
    assert not isinstance(info.value, ScannedDocumentError)


def test_pdf_truncated(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(PDF_107.read_bytes()[:300])
    with pytest.raises(ParclerkError) as info:
        read_document(path)
    assert "cut.pdf" in info.value.message
    assert not isinstance(info.value, ScannedDocumentError)


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PDF_107)
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    writer.write(path := tmp_path / f"khoa-{len(user_password)}.pdf")
    return path


def test_pdf_with_a_password_is_refused(tmp_path):
    path = _encrypted(tmp_path, "mat-khau")
    with pytest.raises(ParclerkError, match="mật khẩu") as info:
        read_document(path)
    assert "nhập tay" in info.value.message


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    """Restricted (no printing or copying) but no password to open: what published PDFs often are."""
    text = read_document(_encrypted(tmp_path, ""))
    assert "Đặng Văn Minh" in text


def test_too_big_a_file_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ParclerkError, match="quá lớn"):
        read_document(PDF_107)


# --- other formats, missing files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cv-107.doc", "cv-107.odt", "cv-107.png", "cv-107.PDF.jpg", "cv-107.rtf"])
def test_unsupported_format(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ParclerkError) as info:
        read_document(path)
    suffix = Path(name).suffix.lower()
    assert info.value.message == (
        f"Chưa đọc được tệp {suffix}. parclerk đọc được .txt, .docx và .pdf có lớp chữ; "
        "với tệp khác, hãy dán nội dung hoặc nhập tay các thông tin."
    )


def test_no_suffix(tmp_path):
    with pytest.raises(ParclerkError, match="không có phần mở rộng"):
        read_document(tmp_path / "congvan")


@pytest.mark.parametrize("name", ["mat.txt", "mat.docx", "mat.pdf"])
def test_missing_file(tmp_path, name):
    with pytest.raises(ParclerkError, match=f"Không tìm thấy tệp “{name}”"):
        read_document(tmp_path / name)


def test_a_folder_is_not_a_file(tmp_path):
    (folder := tmp_path / "thu-muc.txt").mkdir()
    with pytest.raises(ParclerkError, match="thư mục"):
        read_document(folder)


# --- never anything but a ParclerkError --------------------------------------------------------------------------

_VALID = {".txt": _plain_sample().encode("utf-8"), ".docx": _docx_bytes(), ".pdf": PDF_107.read_bytes()}


@st.composite
def _damaged(draw) -> tuple[str, bytes]:
    """A suffix and bytes: random, or a valid file of that kind cut short or with some bytes changed."""
    suffix = draw(st.sampled_from(sorted(_VALID)))
    how = draw(st.sampled_from(["random", "cut", "flip"]))
    valid = _VALID[suffix]
    if how == "random":
        return suffix, draw(st.binary(max_size=2000))
    if how == "cut":
        return suffix, valid[: draw(st.integers(0, len(valid)))]
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 20))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return suffix, bytes(data)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_damaged())
def test_any_bytes_give_text_or_a_parclerk_error(case):
    suffix, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tep{suffix}"
        path.write_bytes(data)
        try:
            text = read_document(path)
        except ParclerkError as exc:
            assert exc.message and VIETNAMESE.search(exc.message)
        else:
            assert isinstance(text, str) and text.strip() and _is_nfc(text)
