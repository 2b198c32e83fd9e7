"""A date field that may stay empty: dd/mm/yyyy typed by hand, or picked from a calendar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidgetAction

from parclerk import dates, paths


class DateEdit(QLineEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaxLength(10)
        self.setClearButtonEnabled(True)
        icon = QIcon(str(paths.resource_path("icons", "calendar.svg")))
        action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("Chọn ngày trên lịch")
        action.triggered.connect(self._pick)

    def set_date(self, day: dt.date | None) -> None:
        self.setText(dates.format_dmy(day))

    def _pick(self) -> None:
        calendar = QCalendarWidget()
        calendar.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        try:
            current = dates.parse_dmy(self.text()) or dates.today()
        except Exception:  # noqa: BLE001 - a half-typed date just opens the calendar on today
            current = dates.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def chosen(day: QDate) -> None:
            self.set_date(dt.date(day.year(), day.month(), day.day()))
            menu.close()

        calendar.clicked.connect(chosen)
        calendar.activated.connect(chosen)
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))
