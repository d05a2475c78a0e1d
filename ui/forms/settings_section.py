"""Settings → "Formulare": the practice's forms with their versions. Everyone may look at
them and preview them; admins start new ones (blank or from a shipped template), edit
(saving makes a new version: a form in use is never changed in place) and archive or
re-activate versions. The list is read from the server when the section is shown."""

from __future__ import annotations

import asyncio
from typing import Any

from app.api.errors import ApiError, Conflict, Forbidden, NotFound, ValidationFailed
from app.forms.definition import FormDefinition, unique_form_id
from app.forms.versions import ACTIVE, ARCHIVED, FormVersion, ShippedTemplate
from ui.core_port import FormsAdminCore
from ui.forms.editor_dialog import FormEditorDialog
from ui.forms.forms_model import FormsModel
from ui.forms.preview import PreviewDialog
from ui.qt import (
    QAbstractItemView,
    QAction,
    QCoreApplication,
    QEvent,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from ui.security_errors import security_error_message
from ui.tasks import TaskRunner

translate = QCoreApplication.translate


def forms_error_message(exc: BaseException) -> str | None:
    """The inline message for a failed forms action, or None for a programming error."""
    if isinstance(exc, Forbidden):
        return translate("FormsSection", "Only administrators can change forms.")
    code = exc.code if isinstance(exc, ApiError) else ""
    if code == "form_exists" or isinstance(exc, Conflict):
        return translate("FormsSection", "The practice already has a form with this name. "
                                         "Edit that form instead, or choose another title.")
    if code == "invalid_form" or isinstance(exc, ValidationFailed):
        # The server's detail is English library text; the editor's own check (the same
        # rules) has already said in German what could be wrong.
        return translate("FormsSection", "The server did not accept the form. Please check "
                                         "its questions and conditions and try again.")
    if isinstance(exc, NotFound):
        return translate("FormsSection",
                         "This form no longer exists. The list has been updated.")
    return security_error_message(exc) if isinstance(exc, ApiError | OSError) else None


class FormsSection(QGroupBox):
    """Works once ``attach()`` gave it the core; ``refresh()`` re-reads the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formsSection")
        self._core: FormsAdminCore | None = None
        self._runner: TaskRunner | None = None
        self._load_task: asyncio.Task[Any] | None = None
        self._write_task: asyncio.Task[Any] | None = None
        self._templates: list[ShippedTemplate] = []
        self._select_after_load: str | None = None
        self._reload_again = False
        self._load_error_shown = False
        self.editor: FormEditorDialog | None = None
        self.preview_dialog: PreviewDialog | None = None

        self.caption = QLabel()
        self.caption.setObjectName("secondaryText")
        self.caption.setWordWrap(True)
        self.readonly_hint = QLabel()
        self.readonly_hint.setObjectName("secondaryText")
        self.readonly_hint.setWordWrap(True)
        self.model = FormsModel()
        self.table = QTableView()
        self.table.setObjectName("formsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FormsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FormsModel.VERSION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FormsModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(260)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_state())
        self.table.doubleClicked.connect(lambda _index: self.open_preview())

        self.template_menu = QMenu(self)
        self.template_button = QPushButton()
        self.template_button.setObjectName("formFromTemplateButton")
        self.template_button.setMenu(self.template_menu)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newFormButton")
        self.new_button.clicked.connect(lambda: self.open_new())
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editFormButton")
        self.edit_button.clicked.connect(lambda: self.open_edit())
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("previewFormButton")
        self.preview_button.clicked.connect(lambda: self.open_preview())
        self.status_button = QPushButton()
        self.status_button.setObjectName("formStatusButton")
        self.status_button.clicked.connect(self.toggle_status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.status_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("secondaryText")
        self.status_label.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.readonly_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        self.retranslate()
        self.update_state()

    # -- wiring and state --------------------------------------------------------------
    def attach(self, core: FormsAdminCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self.update_state()
        if self.isVisible():
            self.refresh()

    @property
    def can_edit(self) -> bool:
        return self._core is not None and self._core.user.get("role") == "admin"

    @property
    def busy(self) -> bool:
        return self._load_task is not None or self._write_task is not None

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def selected(self) -> FormVersion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.form_at(rows[0].row()) if rows else None

    def select(self, definition_id: str) -> bool:
        row = self.model.row_of(definition_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def update_state(self, *_args: object) -> None:
        """Buttons for the user's role (admins edit) and the chosen version."""
        editable = self.can_edit
        idle = self._write_task is None
        chosen = self.selected()
        self.readonly_hint.setVisible(self._core is not None and not editable)
        for button in (self.template_button, self.new_button, self.edit_button,
                       self.status_button):
            button.setVisible(editable)
        self.template_button.setEnabled(idle and bool(self._templates))
        self.new_button.setEnabled(idle and self._core is not None)
        self.edit_button.setEnabled(idle and chosen is not None)
        self.status_button.setEnabled(idle and chosen is not None)
        self.preview_button.setEnabled(chosen is not None)
        archived = chosen is not None and not chosen.active
        self.status_button.setText(self.tr("Activate") if archived else self.tr("Archive"))

    def _show_error(self, exc: BaseException) -> bool:
        message = forms_error_message(exc)
        if message is None:
            return False
        self.error_label.setText(message)
        self.error_label.show()
        return True

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()

    # -- loading -----------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self._load_task is not None:
            self._reload_again = True  # a write finished while the old list was loading
            return
        if self._core is None or self._runner is None:
            return
        self._load_task = self._runner.start(self._load(), on_success=self._loaded,
                                             on_error=self._load_failed, name="forms-list")

    async def _load(self) -> tuple[list[FormVersion], list[ShippedTemplate]]:
        assert self._core is not None
        forms = await self._core.list_forms()
        templates = await self._core.shipped_form_templates() if self.can_edit else []
        return forms, templates

    def _loaded(self, result: tuple[list[FormVersion], list[ShippedTemplate]]) -> None:
        self._load_task = None
        if self._load_error_shown:
            self._load_error_shown = False
            self.error_label.hide()
        forms, templates = result
        chosen = self._select_after_load or (s.id if (s := self.selected()) else None)
        self._select_after_load = None
        self.model.set_forms(forms)
        self._templates = templates
        self._fill_template_menu()
        if chosen is not None:
            self.select(chosen)
        self.update_state()
        if self._reload_again:
            self._reload_again = False
            self._select_after_load = chosen
            self.refresh()

    def _load_failed(self, exc: BaseException) -> bool:
        self._load_task = None
        self._reload_again = False
        self.update_state()
        if isinstance(exc, NotFound):
            # /forms itself is unknown: a server from before forms (issue 8).
            self.error_label.setText(self.tr(
                "This server does not offer forms yet. Please ask your IT support to update "
                "the Praxisdesk server."))
            self.error_label.show()
            self._load_error_shown = True
            return True
        self._load_error_shown = self._show_error(exc)
        return self._load_error_shown

    def _fill_template_menu(self) -> None:
        self.template_menu.clear()
        for template in self._templates:
            action = QAction(template.title, self.template_menu)
            action.triggered.connect(lambda _checked=False, t=template: self.open_template(t))
            self.template_menu.addAction(action)

    # -- the editor ----------------------------------------------------------------------
    def _open_editor(self, definition: FormDefinition, *, new_form: bool,
                     base: FormVersion | None) -> FormEditorDialog | None:
        if not self.can_edit or self._write_task is not None:
            return None
        if self.editor is not None:
            self.editor.raise_()
            return self.editor
        self.error_label.hide()
        self.status_label.hide()
        editor = FormEditorDialog(definition, new_form=new_form,
                                  taken_form_ids=self.model.form_ids(), parent=self.window())
        editor.saveRequested.connect(lambda defn: self._save(editor, defn, base))
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()
        return editor

    def _editor_closed(self, editor: FormEditorDialog) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def open_new(self) -> FormEditorDialog | None:
        blank = FormDefinition(id="", version=1, title="")
        return self._open_editor(blank, new_form=True, base=None)

    def open_template(self, template: ShippedTemplate) -> FormEditorDialog | None:
        definition = FormDefinition(
            id=unique_form_id(template.definition.id, self.model.form_ids()), version=1,
            title=template.definition.title, description=template.definition.description,
            sections=template.definition.sections)
        return self._open_editor(definition, new_form=True, base=None)

    def open_edit(self) -> FormEditorDialog | None:
        base = self.selected()
        if base is None:
            return None
        # The server numbers the version itself (max + 1); shown in the editor's heading.
        versions = [f.version for r in range(self.model.rowCount())
                    if (f := self.model.form_at(r)) is not None and f.form_id == base.form_id]
        next_version = max([base.version, *versions]) + 1
        definition = FormDefinition(
            id=base.form_id, version=next_version,
            title=base.definition.title, description=base.definition.description,
            sections=base.definition.sections)
        return self._open_editor(definition, new_form=False, base=base)

    def _save(self, editor: FormEditorDialog, definition: FormDefinition,
              base: FormVersion | None) -> None:
        if self._core is None or self._runner is None or self._write_task is not None:
            return
        coro: Any = (self._core.create_form(definition) if base is None
                     else self._core.new_form_version(base.id, definition))
        editor.set_busy(True)
        self._write_task = self._runner.start(
            coro, on_success=lambda saved: self._saved(editor, saved),
            on_error=lambda exc: self._save_failed(editor, exc), name="save-form")
        self.update_state()

    def _saved(self, editor: FormEditorDialog, saved: FormVersion) -> None:
        self._write_task = None
        editor.accept()
        self._show_status(self.tr("“%1” saved as version %2.").replace(
            "%1", saved.title).replace("%2", str(saved.version)))
        self._select_after_load = saved.id
        self.refresh()
        self.update_state()

    def _save_failed(self, editor: FormEditorDialog, exc: BaseException) -> bool:
        self._write_task = None
        self.update_state()
        message = forms_error_message(exc)
        if message is None:
            editor.set_busy(False)
            return False
        editor.show_error(message)
        return True

    # -- preview and status --------------------------------------------------------------
    def open_preview(self) -> PreviewDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        dialog = PreviewDialog(chosen.definition, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def toggle_status(self) -> None:
        chosen = self.selected()
        if chosen is None or self._core is None or self._runner is None \
                or self._write_task is not None or not self.can_edit:
            return
        status = ACTIVE if not chosen.active else ARCHIVED
        self.error_label.hide()
        self.status_label.hide()
        self._write_task = self._runner.start(
            self._core.set_form_status(chosen.id, status), on_success=self._status_changed,
            on_error=self._status_failed, name="form-status")
        self.update_state()

    def _status_changed(self, changed: FormVersion) -> None:
        self._write_task = None
        if changed.active:
            text = self.tr("Version %2 of “%1” is active again.")
        else:
            text = self.tr("Version %2 of “%1” is archived; it can no longer be sent.")
        self._show_status(text.replace("%1", changed.title).replace("%2", str(changed.version)))
        self._select_after_load = changed.id
        self.refresh()
        self.update_state()

    def _status_failed(self, exc: BaseException) -> bool:
        self._write_task = None
        self.update_state()
        self.refresh()
        return self._show_error(exc)

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(self.tr("Forms"))
        self.caption.setText(self.tr(
            "Forms patients fill in and sign on their page, e.g. anamnesis or consent. A "
            "saved form is never changed: editing it makes a new version."))
        self.readonly_hint.setText(self.tr("Only administrators can change forms."))
        self.template_button.setText(self.tr("New from template…"))
        self.new_button.setText(self.tr("New form"))
        self.edit_button.setText(self.tr("Edit"))
        self.preview_button.setText(self.tr("Preview"))
        self.model.retranslate()
        self.update_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
