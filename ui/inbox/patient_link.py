"""The patient's link in the conversation header: its state, a new link, and revoking it.

The server shows a link only in the answer that issues it, so the new one is displayed once
here (for copying into a phone call or letter) and kept nowhere else.
"""

from __future__ import annotations

from app.inbox.types import InboxRow
from ui.core_port import InboxCore
from ui.inbox import texts
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from ui.tasks import TaskRunner


class PatientLinkDialog(QDialog):
    """Shows a freshly issued link, read-only, with a copy button. Non-modal use: open()."""

    def __init__(self, link: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientLinkDialog")
        self.setWindowTitle(self.tr("New patient link"))
        self.note_label = QLabel(self.tr(
            "Give this link to the patient. Older links of this conversation no longer "
            "work. The link is shown only now."))
        self.note_label.setWordWrap(True)
        self.link_edit = QLineEdit(link)
        self.link_edit.setObjectName("patientLinkField")
        self.link_edit.setReadOnly(True)
        self.link_edit.setMinimumWidth(420)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copyLinkButton")
        self.copy_button.clicked.connect(self.copy)
        self.copy_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.link_edit, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (self.copy_button, buttons.button(QDialogButtonBox.StandardButton.Close)):
            _room_for_bold(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.link_edit.text())
        self.copy_button.setText(self.tr("Copied"))
        _room_for_bold(self.copy_button)


def _room_for_bold(button: QPushButton) -> None:
    """The style sheet draws the default button bold, wider than Qt's size hint, which
    clipped its text; leave room for that (padding 16 px each side plus the border)."""
    font = QFont(button.font())
    font.setWeight(QFont.Weight.DemiBold)
    width = QFontMetrics(font).horizontalAdvance(button.text()) + 40
    button.setMinimumWidth(max(button.minimumWidth(), width))


class PatientLinkControls(QWidget):
    """Status text plus the "Patient link" menu; ``set_row()`` follows the open conversation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core: InboxCore | None = None
        self._runner: TaskRunner | None = None
        self._row: InboxRow | None = None
        self.link_dialog: PatientLinkDialog | None = None
        self.revoke_box: QMessageBox | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("linkStatus")
        self.menu = QMenu(self)
        self.reissue_action = self.menu.addAction("")
        self.reissue_action.triggered.connect(self.reissue)
        self.revoke_action = self.menu.addAction("")
        self.revoke_action.triggered.connect(self.ask_revoke)
        self.button = QToolButton()
        self.button.setObjectName("patientLinkButton")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button)
        self.retranslate()

    def attach(self, core: InboxCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner

    def set_row(self, row: InboxRow | None) -> None:
        self._row = row
        self._update_status()

    def status_text(self) -> str:
        row = self._row
        if row is None:
            return ""
        if not row.link_active:
            return self.tr("Link revoked")
        expires = texts.parse_time(row.link_expires_at)
        if expires is None:
            return self.tr("No link")
        if expires <= texts.now():
            return self.tr("Link expired")
        return texts.fill(self.tr("Link valid until %1"), texts.short_date(expires.date()))

    def _update_status(self) -> None:
        self.status_label.setText(self.status_text())
        row = self._row
        self.revoke_action.setEnabled(row is not None and row.link_active)

    # -- actions -----------------------------------------------------------------------
    def reissue(self) -> None:
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        self._runner.start(self._core.reissue_patient_link(conversation_id),
                           on_success=lambda link: self._issued(conversation_id, link),
                           name="reissue-patient-link")

    def _issued(self, conversation_id: str, link: str) -> None:
        self._reload(conversation_id)
        if self.link_dialog is not None:
            self.link_dialog.close()
        dialog = PatientLinkDialog(link, self.window())
        dialog.finished.connect(lambda _result: self._dialog_done(dialog))
        self.link_dialog = dialog
        dialog.open()

    def _dialog_done(self, dialog: PatientLinkDialog) -> None:
        dialog.deleteLater()
        if self.link_dialog is dialog:
            self.link_dialog = None

    def ask_revoke(self) -> None:
        if self._core is None or self._runner is None or self._row is None:
            return
        conversation_id = self._row.conversation_id
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Revoke link"),
                          self.tr("Revoke the patient's link? Every link of this "
                                  "conversation stops working at once; the patient can only "
                                  "write again after you create a new one."),
                          QMessageBox.StandardButton.Cancel, self.window())
        revoke = box.addButton(self.tr("Revoke"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("revokeLinkBox")

        def answered(_result: int) -> None:
            confirmed = box.clickedButton() is revoke
            box.deleteLater()
            if self.revoke_box is box:
                self.revoke_box = None
            if confirmed:
                self._revoke(conversation_id)

        box.finished.connect(answered)
        self.revoke_box = box
        box.open()

    def _revoke(self, conversation_id: str) -> None:
        if self._core is None or self._runner is None:
            return
        self._runner.start(self._core.revoke_patient_link(conversation_id),
                           on_success=lambda _r: self._reload(conversation_id),
                           name="revoke-patient-link")

    def _reload(self, conversation_id: str) -> None:
        """Show the new state at once, without waiting for the list to pass the row on."""
        if self._core is None or self._row is None or self._row.conversation_id != conversation_id:
            return
        row = self._core.inbox.inbox_rows([conversation_id]).get(conversation_id)
        if row is not None:
            self.set_row(row)

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.button.setText(self.tr("Patient link"))
        self.reissue_action.setText(self.tr("Create new link…"))
        self.revoke_action.setText(self.tr("Revoke link…"))
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
