"""Sign-in dialog: server, e-mail, password, and a security code when the server asks."""

from __future__ import annotations

import asyncio
from typing import Any

from app.api.errors import ApiError, CertificateError, InsecureTransport, ServerUnreachable
from ui.core_port import CoreLike
from ui.login_errors import login_error_message
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.server_compat_notice import compat_message
from ui.tasks import TaskRunner


def _is_totp_required(exc: BaseException) -> bool:
    from app.api.errors import TotpRequired

    return isinstance(exc, TotpRequired)


def _server_answered(exc: BaseException) -> bool:
    return isinstance(exc, ApiError) and not isinstance(
        exc, ServerUnreachable | CertificateError | InsecureTransport)


class LoginDialog(QDialog):
    loggedIn = Signal()

    def __init__(self, core: CoreLike, runner: TaskRunner, *, server_url: str = "",
                 email: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._core = core
        self._runner = runner
        self._task: asyncio.Task[Any] | None = None

        self.heading = QLabel()
        self.heading.setObjectName("dialogHeading")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("secondaryText")

        self.server_edit = QLineEdit(server_url)
        self.server_edit.setObjectName("serverEdit")
        self.email_edit = QLineEdit(email)
        self.email_edit.setObjectName("emailEdit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.totp_edit = QLineEdit()
        self.totp_edit.setObjectName("totpEdit")
        self.totp_edit.setMaxLength(8)
        self.totp_edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setVerticalSpacing(6)
        self.server_label = QLabel()
        self.email_label = QLabel()
        self.password_label = QLabel()
        self.totp_label = QLabel()
        self.form.addRow(self.server_label, self.server_edit)
        self.form.addRow(self.email_label, self.email_edit)
        self.form.addRow(self.password_label, self.password_edit)
        self.form.addRow(self.totp_label, self.totp_edit)
        self.form.setRowVisible(self.totp_edit, False)

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        # Shown when the server's release is not one this client supports (after signing
        # in, the user confirms and goes on: informed, never blocked).
        self.compat_label = QLabel()
        self.compat_label.setObjectName("serverCompatNotice")
        self.compat_label.setWordWrap(True)
        self.compat_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compat_label.hide()
        self._acknowledging = False

        self.buttons = QDialogButtonBox()
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        # The accept role would close the dialog at once; signing in decides that itself.
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.compat_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

        self.retranslate()
        first_empty = next((e for e in (self.server_edit, self.email_edit)
                            if not e.text()), self.password_edit)
        first_empty.setFocus()

    # -- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in – Praxisdesk"))
        self.heading.setText(self.tr("Signed in – please note") if self._acknowledging
                             else self.tr("Sign in to your practice"))
        self.intro.setText(self.tr("Use the address of your practice server and your "
                                   "personal access."))
        self.server_label.setText(self.tr("Server address"))
        self.server_edit.setPlaceholderText("https://praxis.example.de")
        self.email_label.setText(self.tr("E-mail address"))
        self.password_label.setText(self.tr("Password"))
        self.totp_label.setText(self.tr("Security code"))
        self.totp_edit.setPlaceholderText(self.tr("6 digits from your authenticator app"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._update_submit_text()
        self._update_compat_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_submit_text(self) -> None:
        if self._acknowledging:
            self.submit_button.setText(self.tr("Continue"))
            return
        self.submit_button.setText(self.tr("Signing in…") if self.busy else self.tr("Sign in"))

    def _update_compat_text(self) -> None:
        if self.compat_text():
            self._show_compat()

    def _show_compat(self) -> bool:
        """The server-version notice, if the server just asked is not supported."""
        message = compat_message(self._core.server_compat)
        if message is None:
            self.compat_label.hide()
            return False
        self.compat_label.setText(message)
        self.compat_label.show()
        return True

    # -- state ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def totp_visible(self) -> bool:
        return self.form.isRowVisible(self.totp_edit)

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def compat_text(self) -> str:
        return self.compat_label.text() if not self.compat_label.isHidden() else ""

    @property
    def acknowledging(self) -> bool:
        """Signed in to an unsupported server: waiting for the user to read and continue."""
        return self._acknowledging

    def _set_busy(self, busy: bool) -> None:
        for edit in (self.server_edit, self.email_edit, self.password_edit, self.totp_edit):
            edit.setReadOnly(busy)
        self.submit_button.setEnabled(not busy)
        if not busy:
            self._task = None
        self._update_submit_text()

    def show_notice(self, text: str) -> None:
        """A message for the user about why they must sign in (until the next attempt)."""
        self._show_error(text)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # -- actions ----------------------------------------------------------------------
    def submit(self) -> None:
        if self._acknowledging:
            self._finish()
            return
        if self.busy:
            return
        server = self.server_edit.text().strip()
        email = self.email_edit.text().strip()
        password = self.password_edit.text()
        totp = self.totp_edit.text().strip() if self.totp_visible else ""
        if not server or not email or not password:
            self._show_error(self.tr("Please enter the server address, your e-mail address "
                                     "and your password."))
            return
        if self.totp_visible and not totp:
            self._show_error(self.tr("Please enter the security code."))
            self.totp_edit.setFocus()
            return
        self.error_label.hide()
        self.compat_label.hide()
        self._task = self._runner.start(
            self._core.login(server, email, password, totp or None),
            on_success=self._on_success, on_error=self._on_error, name="login")
        self._set_busy(True)

    def _on_success(self, _result: object) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.totp_edit.clear()
        if self._show_compat():
            # Signed in: the user reads why things may not work, then continues.
            self._acknowledging = True
            for edit in (self.server_edit, self.email_edit, self.password_edit,
                         self.totp_edit):
                edit.setReadOnly(True)
            self.cancel_button.hide()
            self.retranslate()
            self.submit_button.setFocus()
            return
        self._finish()

    def _finish(self) -> None:
        self._acknowledging = False
        self.loggedIn.emit()
        self.accept()

    def _on_error(self, exc: BaseException) -> bool:
        self._set_busy(False)
        message = login_error_message(exc)
        if message is None:
            return False
        if _is_totp_required(exc):
            self.form.setRowVisible(self.totp_edit, True)
            self.totp_edit.setFocus()
        elif self.totp_visible and self.totp_edit.text():
            self.totp_edit.clear()
            self.totp_edit.setFocus()
        self._show_error(message)
        # A refusal by an unsupported server may well be due to the version: say so too
        # (the core asked this server's version before the login, if it could reach it).
        if _server_answered(exc):
            self._show_compat()
        return True

    def reject(self) -> None:
        if self._acknowledging:
            self._finish()  # already signed in: closing the notice means going on
            return
        if self._task is not None:
            self._task.cancel()
            self._set_busy(False)
        super().reject()
