"""Print preview for documents prepared as HTML by the report layer (A4 landscape, Qt's own layout)."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog


def make_document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def preview_html(parent, html: str, title: str, *, landscape: bool = True) -> None:
    document = make_document(html)
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
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Xem trước khi in — {title}")
    dialog.paintRequested.connect(document.print_)
    dialog.resize(1100, 760)
    dialog.exec()
