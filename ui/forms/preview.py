"""A form rendered as Qt widgets, the way the patient page shows it: sections with their
text, every question with its help and required mark, and conditional questions appearing
and disappearing as the answers change. Nothing typed here is stored or sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.forms.conditions import visible_field_ids
from app.forms.definition import FormDefinition, FormField
from ui.forms.texts import yes_no_label
from ui.qt import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class FieldInput(QWidget):
    """The answer widget of one field; ``value()`` is the answer typed as the server wants
    it (None while unanswered), ``changed`` is called on every edit."""

    def __init__(self, field: FormField, changed: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._line: QLineEdit | None = None
        self._text: QPlainTextEdit | None = None
        self._group: QButtonGroup | None = None
        self._boxes: list[QCheckBox] = []
        self._options: list[Any] = []
        self.signature_hint: QLabel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        kind = field.type
        if kind in ("text", "number", "date"):
            self._line = QLineEdit()
            self._line.setObjectName(f"preview_{field.id}")
            if kind == "text":
                self._line.setMaxLength(field.text_limit)
            self._line.textChanged.connect(lambda _t: changed())
            layout.addWidget(self._line)
        elif kind == "long_text":
            self._text = QPlainTextEdit()
            self._text.setObjectName(f"preview_{field.id}")
            self._text.setFixedHeight(80)
            self._text.textChanged.connect(changed)
            layout.addWidget(self._text)
        elif kind in ("yes_no", "single_choice"):
            self._group = QButtonGroup(self)
            options: list[tuple[str, Any]] = (
                [(yes_no_label(True), True), (yes_no_label(False), False)]
                if kind == "yes_no" else [(c, c) for c in field.choices or []])
            row = QHBoxLayout() if kind == "yes_no" else None
            for number, (text, _value) in enumerate(options):
                button = QRadioButton(text)
                self._group.addButton(button, number)
                if row is not None:
                    row.addWidget(button)
                else:
                    layout.addWidget(button)
            if row is not None:
                row.addStretch(1)
                layout.addLayout(row)
            self._options = [value for _text, value in options]
            self._group.idClicked.connect(lambda _id: changed())
        elif kind == "multiple_choice":
            for choice in field.choices or []:
                box = QCheckBox(choice)
                box.toggled.connect(lambda _on: changed())
                self._boxes.append(box)
                layout.addWidget(box)
        else:  # signature: the page has a drawing area here
            pad = QLabel()
            pad.setObjectName("signaturePad")
            pad.setMinimumHeight(90)
            pad.setStyleSheet("QLabel#signaturePad { border: 1px dashed #9aa5b1; "
                              "border-radius: 6px; background: #f8fafc; color: #7b8794; }")
            self.signature_hint = pad
            layout.addWidget(pad)
        self.retranslate()

    def retranslate(self) -> None:
        kind = self.field.type
        if self._line is not None and kind == "number":
            bounds = [self.field.min, self.field.max]
            if bounds[0] is not None and bounds[1] is not None:
                self._line.setPlaceholderText(self.tr("Number from %1 to %2").replace(
                    "%1", f"{bounds[0]:g}").replace("%2", f"{bounds[1]:g}"))
            else:
                self._line.setPlaceholderText(self.tr("Number"))
        elif self._line is not None and kind == "date":
            self._line.setPlaceholderText(self.tr("DD.MM.YYYY"))
        elif self.signature_hint is not None:
            self.signature_hint.setText(self.tr("The patient signs here with the mouse, a "
                                                "finger or a pen."))

    def value(self) -> Any:
        kind = self.field.type
        if self._line is not None:
            text = self._line.text().strip()
            if not text:
                return None
            if kind == "number":
                try:
                    return float(text.replace(",", "."))
                except ValueError:
                    return None
            if kind == "date":
                try:
                    return datetime.strptime(text, "%d.%m.%Y").date().isoformat()
                except ValueError:
                    return None
            return text
        if self._text is not None:
            return self._text.toPlainText().strip() or None
        if self._group is not None:
            chosen = self._group.checkedId()
            return self._options[chosen] if chosen >= 0 else None
        if self._boxes:
            return [box.text() for box in self._boxes if box.isChecked()] or None
        return None

    def buttons(self) -> list[QRadioButton | QCheckBox]:
        """The option buttons (radio buttons or check boxes), in order."""
        if self._group is not None:
            return [b for b in self._group.buttons() if isinstance(b, QRadioButton)]
        return list(self._boxes)


class FormPreview(QWidget):
    """The questions of ``definition``; ``rows`` maps each field id to its whole row."""

    def __init__(self, definition: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPreview")
        self.definition = definition
        self.rows: dict[str, QWidget] = {}
        self.inputs: dict[str, FieldInput] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        title = QLabel(definition.title)
        title.setObjectName("dialogHeading")
        title.setWordWrap(True)
        layout.addWidget(title)
        if definition.description:
            layout.addWidget(_text_label(definition.description))
        for section in definition.sections:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setObjectName("previewSection")
            box = QVBoxLayout(frame)
            box.setSpacing(10)
            heading = QLabel(section.title)
            heading.setObjectName("previewSectionTitle")
            # The style sheet sets label fonts, so a plain setFont() would be overridden.
            heading.setStyleSheet("font-weight: 600; font-size: 12pt;")
            heading.setWordWrap(True)
            box.addWidget(heading)
            if section.text:
                box.addWidget(_text_label(section.text))
            for item in section.fields:
                row = self._field_row(item)
                self.rows[item.id] = row
                box.addWidget(row)
            layout.addWidget(frame)
        layout.addStretch(1)
        self.update_visibility()

    def _field_row(self, item: FormField) -> QWidget:
        row = QWidget()
        row.setObjectName(f"previewRow_{item.id}")
        box = QVBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        label = QLabel(item.label + (" *" if item.is_required else ""))
        label.setWordWrap(True)
        box.addWidget(label)
        if item.help:
            box.addWidget(_text_label(item.help))
        answer = FieldInput(item, self.update_visibility)
        self.inputs[item.id] = answer
        box.addWidget(answer)
        return row

    def answers(self) -> dict[str, Any]:
        return {fid: value for fid, widget in self.inputs.items()
                if (value := widget.value()) is not None}

    def update_visibility(self) -> None:
        shown = set(visible_field_ids(self.definition, self.answers()))
        for field_id, row in self.rows.items():
            row.setHidden(field_id not in shown)

    def is_shown(self, field_id: str) -> bool:
        return not self.rows[field_id].isHidden()


def _text_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("secondaryText")
    label.setWordWrap(True)
    return label


class PreviewDialog(QDialog):
    """The preview in its own window (opened with ``open()``, never ``exec()``)."""

    def __init__(self, definition: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPreviewDialog")
        self.notice = QLabel()
        self.notice.setObjectName("secondaryText")
        self.notice.setWordWrap(True)
        self.preview = FormPreview(definition)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(16, 12, 16, 12)
        inner.addWidget(self.preview)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAutoDefault(False)  # nothing to confirm here; Esc closes
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 720)
        self.retranslate()

    def scroll_to(self, field_id: str) -> None:
        row = self.preview.rows.get(field_id)
        if row is not None:
            self.scroll_area.ensureWidgetVisible(row, 0, 160)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Preview: %1").replace("%1", self.preview.definition.title))
        self.notice.setText(self.tr("This is how patients see the form on their page. "
                                    "Nothing you enter here is saved."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
