"""The form editor: title, description, an outline of sections and fields, and the editor
of whatever is chosen in it. It works on a copy of the definition; "Speichern" checks the
structural rules first (the server library's, via ``app.forms.definition``) and lists what
is wrong in German, or hands the copy to the Settings section, which saves it as a new
form or a new version. Opened with ``open()``, never ``exec()`` (qasync)."""

from __future__ import annotations

import copy

from app.forms.definition import (
    FormDefinition,
    Problem,
    definition_to_json,
    form_id_from_title,
    validate_definition,
)
from ui.forms.buttons import fit_bold_text
from ui.forms.field_editor import FieldEditor
from ui.forms.preview import PreviewDialog
from ui.forms.section_editor import SectionEditor
from ui.forms.section_list import (
    SECTION,
    FormOutline,
    add_field,
    add_section,
    earlier_fields,
    move,
    remove,
)
from ui.forms.texts import problem_message
from ui.qt import (
    QDialog,
    QEvent,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


class FormEditorDialog(QDialog):
    """``saveRequested(definition)`` carries a checked copy; the owner saves it and then
    calls ``accept()``, or ``show_error()`` when the server refused."""

    saveRequested = Signal(object)

    def __init__(self, definition: FormDefinition, *, new_form: bool,
                 taken_form_ids: frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formEditorDialog")
        self.definition = copy.deepcopy(definition)
        self.new_form = new_form
        # A blank new form gets its id from the title when it is saved.
        self._id_from_title = new_form and not definition.id
        self._taken = taken_form_ids
        if not self.definition.sections:
            add_section(self.definition, None, self.tr("Questions"))
        self.problems: list[Problem] = []
        self.preview_dialog: PreviewDialog | None = None
        self.discard_box: QMessageBox | None = None
        # What "Abbrechen" compares against before asking whether to throw work away.
        self._initial = definition_to_json(self.definition)

        self.heading = QLabel()
        self.heading.setObjectName("dialogHeading")
        self.title_caption = QLabel()
        self.title_edit = QLineEdit(self.definition.title)
        self.title_edit.setObjectName("formTitleEdit")
        self.description_caption = QLabel()
        self.description_edit = QPlainTextEdit(self.definition.description)
        self.description_edit.setObjectName("formDescriptionEdit")
        self.description_edit.setFixedHeight(64)
        top = QFormLayout()
        top.addRow(self.title_caption, self.title_edit)
        top.addRow(self.description_caption, self.description_edit)
        self.title_edit.textChanged.connect(lambda _t: self._store_head())
        self.description_edit.textChanged.connect(self._store_head)

        self.outline = FormOutline()
        self.outline.currentItemChanged.connect(lambda *_: self._show_selected())
        self.add_section_button = QPushButton()
        self.add_section_button.setObjectName("addSectionButton")
        self.add_section_button.clicked.connect(self.add_section)
        self.add_field_button = QPushButton()
        self.add_field_button.setObjectName("addFieldButton")
        self.add_field_button.clicked.connect(self.add_field)
        self.up_button = QPushButton()
        self.up_button.setObjectName("moveUpButton")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton()
        self.down_button.setObjectName("moveDownButton")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeItemButton")
        self.remove_button.clicked.connect(self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_section_button)
        add_row.addWidget(self.add_field_button)
        add_row.addStretch(1)
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        move_row.addStretch(1)
        move_row.addWidget(self.remove_button)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.outline, 1)
        left_box.addLayout(add_row)
        left_box.addLayout(move_row)

        self.section_editor = SectionEditor()
        self.section_editor.changed.connect(self.outline.refresh_texts)
        self.field_editor = FieldEditor()
        self.field_editor.changed.connect(self.outline.refresh_texts)
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("placeholderText")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_hint)
        self.stack.addWidget(self.section_editor)
        self.stack.addWidget(self.field_editor)
        right = QScrollArea()
        right.setObjectName("formItemScroll")
        right.setWidgetResizable(True)
        right.setFrameShape(QFrame.Shape.NoFrame)
        right.setWidget(self.stack)
        right.setMinimumWidth(420)
        # The editors sit on the dialog's own background, not a grey scroll viewport.
        right.viewport().setAutoFillBackground(False)
        self.stack.setAutoFillBackground(False)
        self.stack.setContentsMargins(12, 0, 4, 0)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([460, 580])

        self.problems_label = QLabel()
        self.problems_label.setObjectName("formError")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()

        self.preview_button = QPushButton()
        self.preview_button.setObjectName("editorPreviewButton")
        self.preview_button.clicked.connect(self.open_preview)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("editorCancelButton")
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton()
        self.save_button.setObjectName("editorSaveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.problems_label)
        layout.addLayout(buttons)
        self.resize(1040, 720)
        self.retranslate()
        first = self.definition.sections[0].id if self.definition.sections else None
        self.outline.show_definition(self.definition, first)

    # -- the outline -------------------------------------------------------------------
    def _selected_id(self) -> str | None:
        chosen = self.outline.selected()
        return chosen[1] if chosen is not None else None

    def _show_selected(self) -> None:
        chosen = self.outline.selected()
        if chosen is None:
            self.stack.setCurrentWidget(self.empty_hint)
        elif chosen[0] == SECTION:
            section = next(s for s in self.definition.sections if s.id == chosen[1])
            self.section_editor.set_section(section)
            self.stack.setCurrentWidget(self.section_editor)
        else:
            field = self.definition.field(chosen[1])
            assert field is not None
            self.field_editor.set_field(field, earlier_fields(self.definition, field.id))
            self.stack.setCurrentWidget(self.field_editor)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self._selected_id()
        self.add_field_button.setEnabled(bool(self.definition.sections))
        for button in (self.up_button, self.down_button, self.remove_button):
            button.setEnabled(chosen is not None)

    def _rebuild(self, select: str | None) -> None:
        self.outline.show_definition(self.definition, select)
        self._update_buttons()

    def add_section(self) -> None:
        section = add_section(self.definition, self._selected_id(), self.tr("New section"))
        self._rebuild(section.id)
        self.section_editor.title_edit.setFocus()
        self.section_editor.title_edit.selectAll()

    def add_field(self) -> None:
        field = add_field(self.definition, self._selected_id())
        if field is None:
            return
        self._rebuild(field.id)
        self.field_editor.label_edit.setFocus()

    def move_selected(self, delta: int) -> None:
        chosen = self._selected_id()
        if chosen is not None and move(self.definition, chosen, delta):
            self._rebuild(chosen)

    def remove_selected(self) -> None:
        chosen = self._selected_id()
        if chosen is not None:
            self._rebuild(remove(self.definition, chosen))

    def _store_head(self) -> None:
        self.definition.title = " ".join(self.title_edit.text().split())
        self.definition.description = self.description_edit.toPlainText().strip()

    # -- checking and saving -----------------------------------------------------------
    def check(self) -> list[Problem]:
        """The structural problems of the edited form, shown in German under the editor
        (the first one's section or field is selected); empty when it can be saved."""
        self._store_head()
        if self._id_from_title:
            self.definition.id = form_id_from_title(self.definition.title, self._taken)
        self.problems = validate_definition(self.definition)
        if not self.problems:
            self.problems_label.hide()
            return []
        lines = [problem_message(p) for p in self.problems[:8]]
        if len(self.problems) > 8:
            lines.append(self.tr("… and %n more problems.", "", len(self.problems) - 8))
        self.problems_label.setText(
            self.tr("The form cannot be saved yet:") + "\n• " + "\n• ".join(lines))
        self.problems_label.show()
        first = next((p.item_id for p in self.problems if p.item_id), None)
        if first is not None:
            self.outline.select_id(first)
        return self.problems

    def save(self) -> None:
        if self.check():
            return
        self.saveRequested.emit(copy.deepcopy(self.definition))

    def is_modified(self) -> bool:
        self._store_head()
        return definition_to_json(self.definition) != self._initial

    def reject(self) -> None:
        """Cancel, Esc or closing the window: asks first when something was changed
        (non-blocking ``open()``), so an accidental Esc does not lose a long form."""
        if not self.cancel_button.isEnabled():
            return  # saving: the answer decides whether the dialog closes
        if not self.is_modified():
            super().reject()
            return
        if self.discard_box is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Discard changes"),
                          self.tr("Discard your changes to this form?"),
                          QMessageBox.StandardButton.NoButton, self)
        discard = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setObjectName("discardFormBox")

        def answered(_result: int) -> None:
            confirmed = box.clickedButton() is discard
            self.discard_box = None
            box.deleteLater()
            if confirmed:
                super(FormEditorDialog, self).reject()

        box.finished.connect(answered)
        self.discard_box = box
        box.open()

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.problems_label.setText(text)
        self.problems_label.show()

    def error_text(self) -> str:
        return self.problems_label.text() if not self.problems_label.isHidden() else ""

    def open_preview(self) -> PreviewDialog:
        self._store_head()
        dialog = PreviewDialog(copy.deepcopy(self.definition), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.new_form:
            self.setWindowTitle(self.tr("New form"))
            self.heading.setText(self.tr("New form"))
        else:
            self.setWindowTitle(self.tr("Edit form"))
            self.heading.setText(self.tr("Edit form – saving makes version %1").replace(
                "%1", str(self.definition.version)))
        self.title_caption.setText(self.tr("Title"))
        self.description_caption.setText(self.tr("Description"))
        self.add_section_button.setText(self.tr("Add section"))
        self.add_field_button.setText(self.tr("Add question"))
        self.up_button.setText(self.tr("Up"))
        self.down_button.setText(self.tr("Down"))
        self.remove_button.setText(self.tr("Remove"))
        self.empty_hint.setText(self.tr("Choose a section or question on the left, or add "
                                        "one."))
        self.preview_button.setText(self.tr("Preview"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Save"))
        fit_bold_text(self.save_button)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
