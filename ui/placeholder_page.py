"""A page that says plainly what will come there (later issues replace it)."""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QEvent, QLabel, Qt, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: Callable[[], str], body: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Callables, so the texts are looked up again in the current language.
        self._title = title
        self._body = body
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.body_label = QLabel()
        self.body_label.setObjectName("placeholderText")
        self.body_label.setWordWrap(True)
        self.body_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self._title())
        self.body_label.setText(self._body())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
