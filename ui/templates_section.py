"""The "Reply templates" group of the Settings page: admins edit, everyone else reads."""

from __future__ import annotations

import asyncio
from typing import Any

from app.api.errors import ApiError, NotFound, ValidationFailed
from app.inbox.templates import BODY_MAX, TITLE_MAX, TemplateEditForbidden
from ui.core_port import TemplatesCore
from ui.qt import (
    QAbstractItemView,
    QCoreApplication,
    QEvent,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.security_errors import security_error_message
from ui.tasks import TaskRunner
from ui.templates_model import TemplatesModel

translate = QCoreApplication.translate


def template_error_message(exc: BaseException) -> str | None:
    """The inline message for a failed template action, or None for a programming error."""
    if isinstance(exc, TemplateEditForbidden):
        return translate("TemplatesSection", "Only administrators can edit templates.")
    if isinstance(exc, NotFound):
        return translate("TemplatesSection",
                         "This template was deleted in the meantime. The list has been updated.")
    if isinstance(exc, ValidationFailed):
        return translate("TemplatesSection",
                         "The server did not accept the template. Please check title and text.")
    return security_error_message(exc) if isinstance(exc, ApiError | OSError) else None


class TemplatesSection(QGroupBox):
    """Works once ``attach()`` gave it the core; ``reload()`` re-reads the cache."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatesSection")
        self._core: TemplatesCore | None = None
        self._runner: TaskRunner | None = None
        self._task: asyncio.Task[Any] | None = None
        # The template in the editor; None while a new one is being written.
        self._editing_id: str | None = None
        self.confirm_box: QMessageBox | None = None

        self.model = TemplatesModel()
        self.list_view = QListView()
        self.list_view.setObjectName("templatesList")
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setMinimumHeight(160)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_row(current.row()))

        self.readonly_hint = QLabel()
        self.readonly_hint.setObjectName("secondaryText")
        self.readonly_hint.setWordWrap(True)
        self.title_caption = QLabel()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("templateTitleEdit")
        self.title_caption.setBuddy(self.title_edit)
        self.title_error = QLabel()
        self.title_error.setObjectName("fieldError")
        self.title_error.hide()
        self.body_caption = QLabel()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("templateBodyEdit")
        self.body_edit.setMinimumHeight(140)
        self.body_caption.setBuddy(self.body_edit)
        self.body_error = QLabel()
        self.body_error.setObjectName("fieldError")
        self.body_error.hide()
        self.title_edit.textEdited.connect(lambda _text: self.title_error.hide())
        self.body_edit.textChanged.connect(self.body_error.hide)

        self.new_button = QPushButton()
        self.new_button.setObjectName("newTemplateButton")
        self.new_button.clicked.connect(self.new_template)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("deleteTemplateButton")
        self.delete_button.clicked.connect(self.ask_delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("secondaryText")
        self.status_label.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("templatesError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        editor = QVBoxLayout()
        editor.addWidget(self.title_caption)
        editor.addWidget(self.title_edit)
        editor.addWidget(self.title_error)
        editor.addWidget(self.body_caption)
        editor.addWidget(self.body_edit, 1)
        editor.addWidget(self.body_error)
        editor.addLayout(buttons)
        row = QHBoxLayout()
        row.addWidget(self.list_view, 1)
        row.addLayout(editor, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.readonly_hint)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)

        self.retranslate()
        self._update_state()

    # -- wiring -----------------------------------------------------------------------
    def attach(self, core: TemplatesCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self.reload()

    @property
    def attached(self) -> bool:
        return self._core is not None

    @property
    def can_edit(self) -> bool:
        return self._core is not None and self._core.user.get("role") == "admin"

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def editing_id(self) -> str | None:
        return self._editing_id

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self, _payload: object = None) -> None:
        """Re-read the cached templates (after sync or a save), keeping the editor's one."""
        if self._core is not None:
            self.model.set_templates(self._core.inbox.templates())
        self._select(self._editing_id)
        self._update_state()

    def _select(self, template_id: str | None) -> None:
        row = self.model.row_of(template_id) if template_id is not None else -1
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            self.list_view.setCurrentIndex(self.model.index(row, 0))
        else:
            self.list_view.clearSelection()
            self.list_view.setCurrentIndex(self.model.index(-1, 0))
        selection.blockSignals(False)
        self.list_view.viewport().update()

    def _update_state(self) -> None:
        editable = self.can_edit
        idle = self._task is None
        self.readonly_hint.setVisible(self._core is not None and not editable)
        self.title_edit.setReadOnly(not editable)
        self.body_edit.setReadOnly(not editable)
        for button in (self.new_button, self.save_button, self.delete_button):
            button.setVisible(editable)
        self.new_button.setEnabled(idle)
        self.save_button.setEnabled(idle)
        self.delete_button.setEnabled(idle and self._editing_id is not None)

    def _show_row(self, row: int) -> None:
        template = self.model.template_at(row)
        if template is None:
            return
        self._editing_id = template.id
        self._fill(template.title, template.body)

    def _fill(self, title: str, body: str) -> None:
        self.title_edit.setText(title)
        self.body_edit.setPlainText(body)
        self._clear_messages()
        self._update_state()

    def _clear_messages(self) -> None:
        for label in (self.title_error, self.body_error, self.error_label, self.status_label):
            label.hide()

    # -- editing ----------------------------------------------------------------------
    def new_template(self) -> None:
        if not self.can_edit or self._task is not None:
            return
        self._editing_id = None
        self._select(None)
        self._fill("", "")
        self.title_edit.setFocus()

    def validate(self) -> tuple[str, str] | None:
        """The trimmed title and the body, or None after showing what is wrong."""
        title = " ".join(self.title_edit.text().split())
        body = self.body_edit.toPlainText()
        ok = True
        if not title:
            self._field_error(self.title_error, self.tr("Please enter a title."))
            ok = False
        elif len(title) > TITLE_MAX:
            self._field_error(self.title_error, self.tr(
                "The title is too long: %1 of at most %2 characters.").replace(
                "%1", str(len(title))).replace("%2", str(TITLE_MAX)))
            ok = False
        if not body.strip():
            self._field_error(self.body_error, self.tr("Please enter the text of the template."))
            ok = False
        elif len(body) > BODY_MAX:
            self._field_error(self.body_error, self.tr(
                "The text is too long: %1 of at most %2 characters.").replace(
                "%1", str(len(body))).replace("%2", str(BODY_MAX)))
            ok = False
        return (title, body) if ok else None

    def _field_error(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def save(self) -> None:
        if self._core is None or self._runner is None or self._task is not None \
                or not self.can_edit:
            return
        self._clear_messages()
        values = self.validate()
        if values is None:
            return
        title, body = values
        if self._editing_id is None:
            coro: Any = self._core.create_template(title, body)
        else:
            coro = self._core.update_template(self._editing_id, title, body)
        self._task = self._runner.start(coro, on_success=self._saved, on_error=self._failed,
                                        name="save-template")
        self._update_state()

    def _saved(self, result: object) -> None:
        self._task = None
        if isinstance(result, str):
            self._editing_id = result
        self.reload()
        self._show_status(self.tr("Template saved."))

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()

    def _failed(self, exc: BaseException) -> bool:
        self._task = None
        message = template_error_message(exc)
        if isinstance(exc, NotFound):
            self._editing_id = None
        self.reload()
        if message is None:
            return False
        self.error_label.setText(message)
        self.error_label.show()
        return True

    # -- deleting ---------------------------------------------------------------------
    def ask_delete(self) -> QMessageBox | None:
        """Non-blocking confirmation: ``open()``, never exec(), so the loop keeps running."""
        if not self.can_edit or self._task is not None or self._editing_id is None:
            return None
        template_id = self._editing_id
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete template"))
        row = self.model.row_of(template_id)
        title = self.model.template_at(row).title if row >= 0 else ""  # type: ignore[union-attr]
        box.setText(self.tr("Delete the template “%1” for the whole practice?").replace(
            "%1", title))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        box.finished.connect(
            lambda _result: self._confirmed(box, template_id, box.clickedButton() is delete))
        self.confirm_box = box
        box.open()
        return box

    def _confirmed(self, box: QMessageBox, template_id: str, accepted: bool) -> None:
        if self.confirm_box is box:
            self.confirm_box = None
        box.deleteLater()
        if not accepted or self._core is None or self._runner is None or self._task is not None:
            return
        self._clear_messages()
        self._task = self._runner.start(self._core.delete_template(template_id),
                                        on_success=lambda _r: self._deleted(template_id),
                                        on_error=self._failed, name="delete-template")
        self._update_state()

    def _deleted(self, template_id: str) -> None:
        self._task = None
        if self._editing_id == template_id:
            self._editing_id = None
            self._fill("", "")
        self.reload()
        self._show_status(self.tr("Template deleted."))

    # -- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(self.tr("Reply templates"))
        self.readonly_hint.setText(self.tr("Only administrators can edit templates."))
        self.title_caption.setText(self.tr("Title"))
        self.body_caption.setText(self.tr("Text"))
        self.new_button.setText(self.tr("New"))
        self.save_button.setText(self.tr("Save"))
        self.delete_button.setText(self.tr("Delete…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
