"""Writing a reply: Enter sends, Shift+Enter breaks the line, templates, attachment, note."""

from __future__ import annotations

from pathlib import Path

from app.inbox.types import FormDefinitionInfo, TemplateInfo
from ui.qt import (
    QEvent,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)


class MessageEdit(QPlainTextEdit):
    """Enter sends; Shift+Enter (or Ctrl+Enter never sending by accident) adds a line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            if not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                        | Qt.KeyboardModifier.AltModifier):
                self.submitted.emit()
                return
        super().keyPressEvent(event)


class Composer(QFrame):
    sendRequested = Signal(str, object)  # text, attachment path or None
    noteRequested = Signal(str)
    formRequested = Signal(str)  # the form definition id to send to the patient
    # The form menu is about to open: the owner passes the current forms (set_forms).
    formsWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self._attachment: Path | None = None
        self._templates: list[TemplateInfo] = []
        self.file_dialog: QFileDialog | None = None

        self.edit = MessageEdit()
        self.edit.setObjectName("composerEdit")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(76)
        self.edit.textChanged.connect(self._update_buttons)
        self.edit.submitted.connect(self.send)

        self.template_button = QToolButton()
        self.template_button.setObjectName("templateButton")
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        # "Send form…": the practice's active forms (issue 8).
        self.form_button = QToolButton()
        self.form_button.setObjectName("sendFormButton")
        self.form_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.form_menu = QMenu(self.form_button)
        self.form_menu.aboutToShow.connect(self.formsWanted.emit)
        self.form_button.setMenu(self.form_menu)
        self._forms: list[FormDefinitionInfo] = []
        self.attach_button = QToolButton()
        self.attach_button.setObjectName("attachButton")
        self.attach_button.clicked.connect(self.choose_attachment)
        self.attachment_label = QLabel()
        self.attachment_label.setObjectName("attachmentChip")
        self.attachment_label.hide()
        self.remove_attachment_button = QToolButton()
        self.remove_attachment_button.setObjectName("removeAttachmentButton")
        self.remove_attachment_button.setText("×")
        self.remove_attachment_button.clicked.connect(lambda: self.set_attachment(None))
        self.remove_attachment_button.hide()
        self.note_button = QPushButton()
        self.note_button.setObjectName("noteButton")
        self.note_button.clicked.connect(self.save_note)
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.send)

        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(self.template_button)
        tools.addWidget(self.attach_button)
        tools.addWidget(self.form_button)
        tools.addWidget(self.attachment_label)
        tools.addWidget(self.remove_attachment_button)
        tools.addStretch(1)
        tools.addWidget(self.note_button)
        tools.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self.edit)
        layout.addLayout(tools)
        self.retranslate()
        self.set_templates([])
        self.set_forms([])
        self._update_buttons()

    # -- state -------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.toPlainText()

    @property
    def attachment(self) -> Path | None:
        return self._attachment

    def set_attachment(self, path: Path | None) -> None:
        self._attachment = path
        self.attachment_label.setText(path.name if path is not None else "")
        self.attachment_label.setVisible(path is not None)
        self.remove_attachment_button.setVisible(path is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_text = bool(self.text().strip())
        self.send_button.setEnabled(has_text or self._attachment is not None)
        self.note_button.setEnabled(has_text)

    def clear(self) -> None:
        self.edit.clear()
        self.set_attachment(None)

    # -- templates ---------------------------------------------------------------------
    def set_templates(self, templates: list[TemplateInfo]) -> None:
        self._templates = list(templates)
        self.template_menu.clear()
        for template in self._templates:
            action = self.template_menu.addAction(template.title)
            action.triggered.connect(lambda _checked=False, t=template: self.insert_template(t))
        if not self._templates:
            empty = self.template_menu.addAction(self.tr("No templates"))
            empty.setEnabled(False)

    # -- forms -------------------------------------------------------------------------
    def set_forms(self, forms: list[FormDefinitionInfo]) -> None:
        self._forms = list(forms)
        self.form_menu.clear()
        for form in self._forms:
            action = self.form_menu.addAction(form.title)
            action.setObjectName(f"sendForm:{form.id}")
            action.triggered.connect(
                lambda _checked=False, f=form: self.formRequested.emit(f.id))
        if not self._forms:
            empty = self.form_menu.addAction(self.tr("No active forms"))
            empty.setEnabled(False)

    def form_titles(self) -> list[str]:
        return [f.title for f in self._forms]

    def template_titles(self) -> list[str]:
        return [t.title for t in self._templates]

    def insert_template(self, template: TemplateInfo) -> None:
        self.edit.insertPlainText(template.body)
        self.edit.setFocus()

    # -- actions -----------------------------------------------------------------------
    def send(self) -> None:
        text = self.text().strip()
        if not text and self._attachment is None:
            return
        self.sendRequested.emit(text, self._attachment)

    def save_note(self) -> None:
        text = self.text().strip()
        if text:
            self.noteRequested.emit(text)

    def choose_attachment(self) -> None:
        """A non-blocking file dialog: ``open()`` and a signal, never exec()."""
        dialog = QFileDialog(self, self.tr("Attach file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Documents and images (*.pdf *.jpg *.jpeg *.png "
                                       "*.heic)"), self.tr("All files (*)")])
        dialog.fileSelected.connect(lambda path: self.set_attachment(Path(path)))
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _dialog_done(self, dialog: QFileDialog) -> None:
        dialog.deleteLater()
        if self.file_dialog is dialog:
            self.file_dialog = None

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Write a message… (Enter sends, Shift+Enter "
                                             "starts a new line)"))
        self.template_button.setText(self.tr("Templates"))
        self.template_button.setToolTip(self.tr("Insert a text template"))
        self.attach_button.setText(self.tr("Attach file…"))
        self.form_button.setText(self.tr("Send form…"))
        self.form_button.setToolTip(self.tr("Send a form to the patient to fill in and sign "
                                            "on their page"))
        self.remove_attachment_button.setToolTip(self.tr("Remove attachment"))
        self.note_button.setText(self.tr("Save as note"))
        self.note_button.setToolTip(self.tr("Only the practice team sees internal notes."))
        self.send_button.setText(self.tr("Send"))
        if not self._templates:
            self.set_templates([])
        if not self._forms:
            self.set_forms([])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
