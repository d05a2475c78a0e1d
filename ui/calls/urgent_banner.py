"""The red banner above every page when an urgent call has come in.

It names the category and time only (no caller name, number or date of birth: the screen
may be seen by patients at the desk). A click opens the call; the close button dismisses it
until the next urgent call.
"""

from __future__ import annotations

from app.calls.types import CallRow
from ui.calls.texts import urgent_banner_text
from ui.qt import QEvent, QFrame, QHBoxLayout, QLabel, QMouseEvent, QPushButton, Qt, QWidget, Signal


class UrgentCallBanner(QFrame):
    openRequested = Signal(str)  # call id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgentCallBanner")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "QFrame#urgentCallBanner { background: #c81e1e; border: none; }"
            "QFrame#urgentCallBanner QLabel { color: #ffffff; font-weight: 600; }"
            "QFrame#urgentCallBanner QPushButton { color: #ffffff; background: transparent;"
            " border: 1px solid #ffffff; border-radius: 4px; padding: 3px 10px; }")
        self.call_ids: list[str] = []
        self._newest: CallRow | None = None
        self.text_label = QLabel()
        self.text_label.setObjectName("urgentCallText")
        self.text_label.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openUrgentCallButton")
        self.open_button.clicked.connect(self._open)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setObjectName("dismissUrgentCallButton")
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 12, 10)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.retranslate()
        self.hide()

    def show_call(self, row: CallRow) -> None:
        """Another urgent call: the banner counts the calls since it was last dismissed."""
        if row.id not in self.call_ids:
            self.call_ids.append(row.id)
        self._newest = row
        self._update_text()
        self.show()

    def dismiss(self) -> None:
        self.call_ids.clear()
        self._newest = None
        self.hide()

    def _open(self) -> None:
        if self._newest is not None:
            call_id = self._newest.id
            self.dismiss()
            self.openRequested.emit(call_id)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._open()
        super().mouseReleaseEvent(event)

    def _update_text(self) -> None:
        row = self._newest
        self.text_label.setText(urgent_banner_text(
            len(self.call_ids), row.category if row else None, row.started_at if row else None))

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open"))
        self.dismiss_button.setText(self.tr("Dismiss"))
        if self._newest is not None:
            self._update_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
