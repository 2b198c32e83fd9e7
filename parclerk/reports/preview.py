"""A report as HTML for the on-screen preview (QTextDocument pages): the same Document the Word file is made
from, laid out close to Decree 30 — the two-column header, type name and title, Kính gửi, the body, the Nơi
nhận and signature columns, the annexes. Word remains the reference; this is for reading before saving."""

from __future__ import annotations

import base64
from html import escape

from parclerk import vntext
from parclerk.reports.document import Document, Heading, PageBreak, PageLayout, Paragraph, Picture, Table
from parclerk.reports.render import (
    annex_note,
    body_blocks,
    kinh_gui_lines,
    noi_nhan_lines,
    picture_width_mm,
    text_context,
)

# QTextDocument applies inline styles reliably, class rules less so: each paragraph carries its own.
_STYLE = "body { font-family: 'Times New Roman'; font-size: 13pt; } td { vertical-align: top; }"
_BODY = "text-align: justify; text-indent: 36px; margin-top: 6px; margin-bottom: 0px;"
_PX_PER_MM = 96 / 25.4  # QTextDocument lays HTML out at 96 px per inch
_TEXT_WIDTH_MM = PageLayout().text_width_mm
_HEADING = {
    1: f"font-weight: bold; {_BODY}",
    2: f"font-weight: bold; {_BODY}",
    3: f"font-weight: bold; font-style: italic; {_BODY}",
}


def document_html(document: Document) -> str:
    c = text_context(document)
    parts = [f"<html><head><style>{_STYLE}</style></head><body>"]
    issuer = "<br>".join(escape(line) for line in c["co_quan_ban_hanh"].splitlines())
    parent = f"{escape(c['co_quan_chu_quan'])}<br>" if c["co_quan_chu_quan"] else ""
    parts.append(
        '<table width="100%"><tr>'
        f'<td width="40%" align="center">{parent}<b>{issuer}</b><br>———<br>Số: {escape(c["so_ky_hieu"])}</td>'
        '<td width="60%" align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b>'
        f"<br>———————————<br><i>{escape(c['dia_danh_ngay'])}</i></td></tr></table>"
    )
    parts.append(
        f'<p align="center" style="margin-top:12pt"><b>{escape(c["ten_loai"])}<br>{escape(c["trich_yeu"])}</b>'
        "<br>———</p>"
    )
    lines = kinh_gui_lines(document.kinh_gui)
    if len(lines) == 1:
        parts.append(f'<p align="center">Kính gửi: {escape(lines[0])}</p>')
    elif lines:
        parts.append('<p align="center">Kính gửi:<br>' + "<br>".join(escape(line) for line in lines) + "</p>")
    parts.extend(_blocks(body_blocks(document)))
    recipients = "<br>".join(escape(line) for line in noi_nhan_lines(document.recipients))
    signer = "<br>".join(escape(line) for line in (c["quyen_han"], c["ky_thay"], c["chuc_vu"]) if line)
    parts.append(
        '<table width="100%" style="margin-top:12pt"><tr>'
        f'<td width="45%" style="font-size:11pt"><b><i>Nơi nhận:</i></b><br>{recipients}</td>'
        f'<td width="55%" align="center"><b>{signer}</b><br><br><br><br><b>{escape(c["nguoi_ky"])}</b></td>'
        "</tr></table>"
    )
    for annex in document.annexes:
        label = f"Phụ lục {annex.number}".strip()  # as the Word file numbers it
        note = annex.note if annex.note is not None else annex_note(document)
        parts.append(
            f'<p align="center" style="page-break-before: always"><b>{escape(label)}<br>'
            f"{escape(annex.title.upper())}</b><br><i>{escape(note)}</i></p>"
        )
        parts.extend(_blocks(annex.blocks))
    parts.append("</body></html>")
    return "".join(parts)


def _blocks(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f'<p style="{_HEADING[block.level]}">{escape(block.text)}</p>')
        elif isinstance(block, Paragraph):
            out.extend(
                f'<p class="body">{escape(line)}</p>' for line in block.text.splitlines() if line.strip()
            )
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, PageBreak):
            out.append('<p style="page-break-after: always"></p>')
        elif isinstance(block, Picture):
            out.append(_picture(block))
    return out


def _picture(picture: Picture) -> str:
    """The PNG inline as a data: URL (QTextDocument.loadResource decodes those), its caption in italics."""
    width = round(picture_width_mm(picture, _TEXT_WIDTH_MM) * _PX_PER_MM)
    data = base64.b64encode(picture.png).decode("ascii")
    html = f'<p align="center"><img src="data:image/png;base64,{data}" width="{width}"></p>'
    caption = vntext.clean_line(picture.caption)
    if caption:
        html += f'<p align="center" style="margin-top: 3px;"><i>{escape(caption)}</i></p>'
    return html


def _table(table: Table) -> str:
    count = len(table.columns or table.rows[0])
    align = list(table.align or ["left"] * count)
    widths = list(table.widths_mm or [1] * count)
    share = [round(100 * w / sum(widths)) for w in widths]
    head = "".join(
        f'<th align="center" width="{share[i]}%">{escape(str(label))}</th>'
        for i, label in enumerate(table.columns)
    )
    rows = "".join(
        "<tr>"
        + "".join(f'<td align="{align[i]}">{escape(str(value))}</td>' for i, value in enumerate(row))
        + "</tr>"
        for row in table.rows
    )
    return (
        '<table border="1" width="100%" cellspacing="0" cellpadding="3" style="border-collapse: collapse; '
        f'margin-top: 6px; font-size: 12pt;"><tr>{head}</tr>{rows}</table>'
    )
