"""Editing one section of a form: its title and the explanatory text above its fields
(a consent form's wording, printed in the signed PDF). Edits go straight into the
``Section``; ``changed`` tells the dialog to refresh its outline."""

from __future__ import annotations

from app.forms.definition import Section
from ui.qt import (
    QEvent,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)


class SectionEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formSectionEditor")
        self.section: Section | None = None
        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        self.heading.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.title_caption = QLabel()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("sectionTitleEdit")
        self.text_caption = QLabel()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("sectionTextEdit")
        self.text_edit.setMinimumHeight(120)
        self.text_hint = QLabel()
        self.text_hint.setObjectName("secondaryText")
        self.text_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.title_caption, self.title_edit)
        form.addRow(self.text_caption, self.text_edit)
        form.addRow("", self.text_hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)
        self.title_edit.textChanged.connect(lambda _t: self._store())
        self.text_edit.textChanged.connect(self._store)
        self.retranslate()

    def set_section(self, section: Section) -> None:
        self.section = None  # no write-back while the widgets are filled
        self.title_edit.setText(section.title)
        self.text_edit.setPlainText(section.text)
        self.section = section

    def _store(self) -> None:
        if self.section is None:
            return
        self.section.title = " ".join(self.title_edit.text().split())
        self.section.text = self.text_edit.toPlainText().strip()
        self.changed.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Section"))
        self.title_caption.setText(self.tr("Title"))
        self.text_caption.setText(self.tr("Text"))
        self.text_hint.setText(self.tr("Shown above the section's questions and printed in "
                                       "the PDF, e.g. the wording of a consent."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
