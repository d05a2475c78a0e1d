"""Editing one field of a form: type, question, help, required, the type's own settings
(answer options, number range, text length, consent) and the condition that shows it.

Every edit is written straight into the ``FormField`` (the editor dialog works on a copy of
the definition); ``changed`` tells the dialog to refresh its outline."""

from __future__ import annotations

import math
from datetime import datetime

from app.forms.definition import (
    CHOICE_TYPES,
    FIELD_TYPES,
    TEXT_LIMIT_CEILING,
    TEXT_TYPES,
    ConditionValue,
    FormField,
    ShowIf,
)
from ui.forms.texts import type_labels, yes_no_label
from ui.qt import (
    QCheckBox,
    QComboBox,
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


def parse_number(text: str) -> int | float | None:
    """A number as typed ("84,5" too); None for an empty box, NaN for anything else, which
    the structural check then reports."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def format_number(value: int | float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


class FieldEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formFieldEditor")
        self.field: FormField | None = None
        self._earlier: list[FormField] = []
        self._loading = False

        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        self.heading.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("fieldTypeCombo")
        for kind in FIELD_TYPES:
            self.type_combo.addItem(kind, kind)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("fieldLabelEdit")
        self.help_edit = QPlainTextEdit()
        self.help_edit.setObjectName("fieldHelpEdit")
        self.help_edit.setFixedHeight(64)
        self.help_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.required_box = QCheckBox()
        self.required_box.setObjectName("fieldRequiredBox")
        self.must_accept_box = QCheckBox()
        self.must_accept_box.setObjectName("fieldMustAcceptBox")
        self.choices_edit = QPlainTextEdit()
        self.choices_edit.setObjectName("fieldChoicesEdit")
        self.choices_edit.setFixedHeight(96)
        self.choices_hint = QLabel()
        self.choices_hint.setObjectName("secondaryText")
        choices = QWidget()
        choices_box = QVBoxLayout(choices)
        choices_box.setContentsMargins(0, 0, 0, 0)
        choices_box.addWidget(self.choices_edit)
        choices_box.addWidget(self.choices_hint)
        self.min_edit = QLineEdit()
        self.min_edit.setObjectName("fieldMinEdit")
        self.max_edit = QLineEdit()
        self.max_edit.setObjectName("fieldMaxEdit")
        self.range_to = QLabel()
        number_range = QWidget()
        range_row = QHBoxLayout(number_range)
        range_row.setContentsMargins(0, 0, 0, 0)
        range_row.addWidget(self.min_edit)
        range_row.addWidget(self.range_to)
        range_row.addWidget(self.max_edit)
        self.max_length_spin = QSpinBox()
        self.max_length_spin.setObjectName("fieldMaxLengthSpin")
        self.max_length_spin.setRange(0, TEXT_LIMIT_CEILING)
        self.max_length_spin.setSingleStep(50)

        self.condition_box = QCheckBox()
        self.condition_box.setObjectName("fieldConditionBox")
        self.condition_field_combo = QComboBox()
        self.condition_field_combo.setObjectName("conditionFieldCombo")
        self.condition_equals = QLabel()
        self.condition_value_combo = QComboBox()
        self.condition_value_combo.setObjectName("conditionValueCombo")
        self.condition_value_edit = QLineEdit()
        self.condition_value_edit.setObjectName("conditionValueEdit")
        self.condition_hint = QLabel()
        self.condition_hint.setObjectName("secondaryText")
        self.condition_hint.setWordWrap(True)
        condition = QWidget()
        condition_box = QVBoxLayout(condition)
        condition_box.setContentsMargins(0, 0, 0, 0)
        condition_box.addWidget(self.condition_box)
        condition_row = QHBoxLayout()
        condition_row.addWidget(self.condition_field_combo, 3)
        condition_row.addWidget(self.condition_equals)
        condition_row.addWidget(self.condition_value_combo, 2)
        condition_row.addWidget(self.condition_value_edit, 2)
        condition_box.addLayout(condition_row)
        condition_box.addWidget(self.condition_hint)

        self.form = QFormLayout()
        self.type_caption = QLabel()
        self.label_caption = QLabel()
        self.help_caption = QLabel()
        self.choices_caption = QLabel()
        self.range_caption = QLabel()
        self.max_length_caption = QLabel()
        self.condition_caption = QLabel()
        self.form.addRow(self.type_caption, self.type_combo)
        self.form.addRow(self.label_caption, self.label_edit)
        self.form.addRow(self.help_caption, self.help_edit)
        self.form.addRow("", self.required_box)
        self.form.addRow("", self.must_accept_box)
        self.form.addRow(self.choices_caption, choices)
        self.form.addRow(self.range_caption, number_range)
        self.form.addRow(self.max_length_caption, self.max_length_spin)
        self.form.addRow(self.condition_caption, condition)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.type_combo.currentIndexChanged.connect(lambda _i: self._type_changed())
        self.label_edit.textChanged.connect(lambda _t: self._store())
        self.help_edit.textChanged.connect(self._store)
        self.required_box.toggled.connect(lambda _on: self._store())
        self.must_accept_box.toggled.connect(lambda _on: self._store())
        self.choices_edit.textChanged.connect(self._choices_changed)
        self.min_edit.textChanged.connect(lambda _t: self._store())
        self.max_edit.textChanged.connect(lambda _t: self._store())
        self.max_length_spin.valueChanged.connect(lambda _v: self._store())
        self.condition_box.toggled.connect(lambda _on: self._condition_changed())
        self.condition_field_combo.currentIndexChanged.connect(
            lambda _i: self._condition_target_changed())
        self.condition_value_combo.currentIndexChanged.connect(lambda _i: self._store())
        self.condition_value_edit.textChanged.connect(lambda _t: self._store())
        self.retranslate()

    # -- loading -----------------------------------------------------------------------
    def set_field(self, field: FormField, earlier: list[FormField]) -> None:
        """Show ``field``; ``earlier`` are the fields before it (what it may depend on)."""
        self._loading = True
        try:
            self.field = field
            self._earlier = [f for f in earlier if f.type != "signature"]
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(field.type)))
            self.label_edit.setText(field.label)
            self.help_edit.setPlainText(field.help)
            self.required_box.setChecked(field.required)
            self.must_accept_box.setChecked(field.must_accept)
            self.choices_edit.setPlainText("\n".join(field.choices or []))
            self.min_edit.setText(format_number(field.min))
            self.max_edit.setText(format_number(field.max))
            self.max_length_spin.setValue(field.max_length or 0)
            self._fill_condition_targets(field.show_if)
            self.condition_box.setChecked(field.show_if is not None)
            self._fill_condition_values(field.show_if.equals if field.show_if else None)
        finally:
            self._loading = False
        self._update_rows()

    def _fill_condition_targets(self, show_if: ShowIf | None) -> None:
        combo = self.condition_field_combo
        combo.clear()
        for item in self._earlier:
            combo.addItem(_short(item.label) or item.id, item.id)
        if show_if is not None and combo.findData(show_if.field) < 0:
            # The condition points at a field that is no longer before this one: keep it
            # visible (the check before saving says what is wrong) instead of hiding it.
            combo.addItem(self.tr("(not an earlier field: %1)").replace("%1", show_if.field),
                          show_if.field)
        if show_if is not None:
            combo.setCurrentIndex(combo.findData(show_if.field))
        elif combo.count():
            combo.setCurrentIndex(combo.count() - 1)  # usually the question just before

    def _target(self) -> FormField | None:
        target_id = self.condition_field_combo.currentData()
        return next((f for f in self._earlier if f.id == target_id), None)

    def _fill_condition_values(self, current: ConditionValue | None) -> None:
        target = self._target()
        combo = self.condition_value_combo
        combo.clear()
        kind = target.type if target is not None else "text"
        if kind == "yes_no":
            combo.addItem(yes_no_label(True), True)
            combo.addItem(yes_no_label(False), False)
        elif kind in CHOICE_TYPES and target is not None:
            for choice in target.choices or []:
                combo.addItem(choice, choice)
        uses_combo = kind == "yes_no" or kind in CHOICE_TYPES
        if uses_combo:
            index = next((i for i in range(combo.count())
                          if combo.itemData(i) == current
                          and isinstance(combo.itemData(i), bool) == isinstance(current, bool)),
                         0)
            combo.setCurrentIndex(index)
        elif current is not None:
            if kind == "number" and not isinstance(current, str | bool):
                self.condition_value_edit.setText(format_number(current))
            elif kind == "date" and isinstance(current, str) and len(current) == 10:
                self.condition_value_edit.setText(_iso_to_german(current))
            else:
                self.condition_value_edit.setText(str(current))
        else:
            self.condition_value_edit.clear()
        self.condition_value_combo.setVisible(uses_combo)
        self.condition_value_edit.setVisible(not uses_combo)

    # -- storing -----------------------------------------------------------------------
    def _type_changed(self) -> None:
        self._update_rows()
        self._store()

    def _choices_changed(self) -> None:
        self._store()

    def _condition_changed(self) -> None:
        self._update_rows()
        self._store()

    def _condition_target_changed(self) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self._fill_condition_values(None)
        finally:
            self._loading = False
        self._store()

    def _store(self) -> None:
        field = self.field
        if field is None or self._loading:
            return
        kind = str(self.type_combo.currentData())
        field.type = kind
        field.label = self.label_edit.text().strip()
        field.help = self.help_edit.toPlainText().strip()
        field.required = self.required_box.isChecked()
        field.must_accept = kind == "yes_no" and self.must_accept_box.isChecked()
        field.choices = ([line.strip() for line in self.choices_edit.toPlainText().splitlines()
                          if line.strip()] if kind in CHOICE_TYPES else None)
        field.min = parse_number(self.min_edit.text()) if kind == "number" else None
        field.max = parse_number(self.max_edit.text()) if kind == "number" else None
        length = self.max_length_spin.value()
        field.max_length = length if kind in TEXT_TYPES and length > 0 else None
        field.show_if = self._condition() if self.condition_box.isChecked() else None
        self.changed.emit()

    def _condition(self) -> ShowIf | None:
        target_id = self.condition_field_combo.currentData()
        if target_id is None:
            return None
        target = self._target()
        if target is None:
            # Not an earlier field (any more): keep the condition as it was, for the check.
            old = self.field.show_if if self.field is not None else None
            return ShowIf(str(target_id), old.equals if old is not None else "")
        value: ConditionValue
        if target.type == "yes_no" or target.type in CHOICE_TYPES:
            data = self.condition_value_combo.currentData()
            value = data if isinstance(data, bool | str) else ""
        else:
            text = self.condition_value_edit.text().strip()
            if target.type == "number":
                number = parse_number(text)
                value = number if number is not None and math.isfinite(number) else text
            elif target.type == "date":
                value = _german_to_iso(text)
            else:
                value = text
        return ShowIf(field=target.id, equals=value)

    def _update_rows(self) -> None:
        kind = str(self.type_combo.currentData())
        self.form.setRowVisible(self.must_accept_box, kind == "yes_no")
        self.form.setRowVisible(self.required_box, True)
        self.form.setRowVisible(self.choices_caption, kind in CHOICE_TYPES)
        self.form.setRowVisible(self.range_caption, kind == "number")
        self.form.setRowVisible(self.max_length_caption, kind in TEXT_TYPES)
        has_targets = self.condition_field_combo.count() > 0
        self.condition_box.setEnabled(has_targets)
        on = self.condition_box.isChecked() and has_targets
        for widget in (self.condition_field_combo, self.condition_value_combo,
                       self.condition_value_edit, self.condition_equals):
            widget.setEnabled(on)
        self.condition_hint.setVisible(not has_targets)

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(self.tr("Field"))
        for index, (kind, label) in enumerate(type_labels().items()):
            if self.type_combo.itemData(index) == kind:
                self.type_combo.setItemText(index, label)
        self.type_caption.setText(self.tr("Type"))
        self.label_caption.setText(self.tr("Question"))
        self.help_caption.setText(self.tr("Help text"))
        self.required_box.setText(self.tr("Answer required"))
        self.must_accept_box.setText(self.tr("Consent: only “Yes” can be submitted"))
        self.choices_caption.setText(self.tr("Answer options"))
        self.choices_hint.setText(self.tr("One option per line."))
        self.range_caption.setText(self.tr("Allowed range"))
        self.range_to.setText(self.tr("to"))
        self.min_edit.setPlaceholderText(self.tr("no minimum"))
        self.max_edit.setPlaceholderText(self.tr("no maximum"))
        self.max_length_caption.setText(self.tr("Maximum length"))
        self.max_length_spin.setSpecialValueText(self.tr("Standard"))
        self.max_length_spin.setSuffix(self.tr(" characters"))
        self.condition_caption.setText(self.tr("Condition"))
        self.condition_box.setText(self.tr("Show only if"))
        self.condition_equals.setText(self.tr("is"))
        self.condition_value_edit.setPlaceholderText(self.tr("Answer"))
        self.condition_hint.setText(self.tr("A condition can only refer to a question "
                                            "that comes before this one."))
        if self.field is not None and not self._loading:
            target = self.field.show_if
            self._loading = True
            try:
                self._fill_condition_values(target.equals if target else None)
            finally:
                self._loading = False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:69] + "…"


def _iso_to_german(value: str) -> str:
    try:
        return datetime.strptime(value, "%Y-%m-%d").strftime("%d.%m.%Y")
    except ValueError:
        return value


def _german_to_iso(text: str) -> str:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text
