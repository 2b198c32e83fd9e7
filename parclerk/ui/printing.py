"""Print preview and PDF for documents prepared as HTML by the report layer (A4, Qt's own layout)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog


def make_document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def make_printer(title: str, *, landscape: bool = True, pdf: Path | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    if pdf is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
    return printer


def preview_html(parent, html: str, title: str, *, landscape: bool = True) -> None:
    document = make_document(html)
    dialog = QPrintPreviewDialog(make_printer(title, landscape=landscape), parent)
    dialog.setWindowTitle(f"Xem trước khi in — {title}")
    dialog.paintRequested.connect(document.print_)
    dialog.resize(1100, 760)
    dialog.exec()


def html_to_pdf(html: str, path: Path, title: str, *, landscape: bool = True) -> None:
    """The same pages the preview shows, written to a PDF file."""
    make_document(html).print_(make_printer(title, landscape=landscape, pdf=Path(path)))
