"""Make the PDF fixtures of tests/unit/test_readers.py: run by hand, once; the tests only read the results.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/data/make_pdf_fixtures.py

- cv-107.pdf: the text of ../shared/samples/cv-107-UBND-NC-quang-ngai-2021.txt laid out as the real directive
  is (a two-column header table, the body, a two-column "Nơi nhận" / signature table), printed by Qt to a PDF
  with a real text layer (embedded font subsets with a ToUnicode map), A4, two pages or more.
- scan.pdf: one A4 page that is only a picture (a grey "scanned" page with shapes, no text at all), like the
  output of a scanner: the reader must say it cannot read it instead of returning nothing.

Qt is used here, in a script, never in the tests: tests read these files with pypdf only. Needs a font with
Vietnamese glyphs (Liberation Serif, Times New Roman's metrics; DejaVu Serif also works).
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMarginsF, QRect, QSizeF  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "resources" / "demo" / "samples" / "cv-107-UBND-NC-quang-ngai-2021.txt"


PAGE_BREAK = ' style="page-break-before: always"'


def _plain(text: str) -> str:
    """The sample's Markdown marks (**bold**, ~~struck~~, *italic*) removed: they are not in the document."""
    return re.sub(r"\*\*|~~|\*", "", text)


def _cell(paragraphs: list[str], *, bold_first: bool = False) -> str:
    """Centred paragraphs of a header cell, lines kept, the first one bold if asked."""
    parts = []
    for i, paragraph in enumerate(paragraphs):
        body = "<br>".join(html.escape(line) for line in paragraph.splitlines())
        if bold_first and i == 0:
            body = f"<b>{body}</b>"
        parts.append(f'<p align="center">{body}</p>')
    return "".join(parts)


def directive_html(sample: str) -> str:
    paragraphs = [p.strip() for p in _plain(sample).split("\n\n") if p.strip()]
    issuer, motto, number, date_line, subject = paragraphs[:5]
    received = paragraphs.index("Nơi nhận:")
    body = paragraphs[5:received]
    recipients, title, signer = paragraphs[received + 1], paragraphs[-2], paragraphs[-1]
    header = (
        '<table width="100%" cellpadding="2"><tr>'
        f'<td width="40%">{_cell([issuer, number, subject], bold_first=True)}</td>'
        f'<td width="60%">{_cell([motto], bold_first=True)}<p align="right"><i>{html.escape(date_line)}</i></p></td>'
        "</tr></table>"
    )
    # The original's page 2 starts mid-sentence at "dân; nâng cao ...", which the sample keeps as a paragraph of
    # its own: break the page there. (Left to itself, Qt draws a line that straddles the page end on both pages,
    # and its text layer then holds that line twice.)
    text = "".join(
        f'<p align="justify"{PAGE_BREAK if p.startswith("dân; nâng cao") else ""}>'
        f"{'<br>'.join(map(html.escape, p.splitlines()))}</p>"
        for p in body
    )
    footer = (
        '<table width="100%" cellpadding="2"><tr>'
        f'<td width="50%"><p><b><i>Nơi nhận:</i></b><br>{"<br>".join(map(html.escape, recipients.splitlines()))}</p></td>'
        f'<td width="50%"><p align="center"><b>{html.escape(title)}</b></p>'
        f'<p align="center"><br><br><br><b>{html.escape(signer)}</b></p></td>'
        "</tr></table>"
    )
    return f"<html><body>{header}{text}{footer}</body></html>"


def make_text_pdf(target: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(30, 20, 15, 20),  # Decree 30 margins, mm
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setDefaultFont(QFont("Liberation Serif", 13))
    document.setPageSize(QSizeF(printer.pageLayout().paintRectPixels(96).size()))  # 96 dpi, as on screen
    document.setHtml(directive_html(SAMPLE.read_text(encoding="utf-8")))
    document.print_(printer)


def make_scan_pdf(target: Path) -> None:
    """A page that is a picture only: a grey page with dark bars where a scanner would show lines of text."""
    image = QImage(620, 877, QImage.Format.Format_Grayscale8)  # A4 at 75 dpi, small on purpose
    image.fill(QColor(236, 236, 232))
    painter = QPainter(image)
    painter.setPen(QPen(QColor(40, 40, 40), 3))
    painter.drawEllipse(QRect(70, 60, 90, 90))  # the red seal, in grey
    painter.setPen(QPen(QColor(60, 60, 60), 5))
    for row in range(28):  # "lines of text"
        y = 200 + row * 22
        width = 480 - (row * 37) % 140
        painter.drawLine(70, y, 70 + width, y)
    painter.end()

    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(75)
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    painter.drawImage(page, image.scaled(QSizeF(page.size()).toSize()))
    painter.end()


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # fonts need a (offscreen) GUI app
    make_text_pdf(HERE / "cv-107.pdf")
    make_scan_pdf(HERE / "scan.pdf")
    for name in ("cv-107.pdf", "scan.pdf"):
        print(name, (HERE / name).stat().st_size, "bytes")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
