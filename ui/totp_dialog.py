"""Dialog to turn the second factor (TOTP) on, with QR code and secret, or off with a code."""

from __future__ import annotations

import asyncio
import enum
from typing import Any

from ui.core_port import TotpCore
from ui.qt import (
    QByteArray,
    QColor,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QLabel,
    QLineEdit,
    QPainter,
    QPixmap,
    QPushButton,
    QSvgRenderer,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.security_errors import security_error_message
from ui.tasks import TaskRunner

QR_SIZE = 220
CODE_LENGTH = 6


class TotpMode(enum.Enum):
    ENABLE = "enable"
    DISABLE = "disable"


def group_secret(secret: str) -> str:
    """Base32 secret in blocks of four, as authenticator apps show it for typing."""
    plain = secret.replace(" ", "")
    return " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def render_svg(svg: str, size: int = QR_SIZE) -> QPixmap | None:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        return None
    pixmap = QPixmap(size, size)
    # A white quiet zone keeps the code readable for phone cameras on any theme.
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


class TotpDialog(QDialog):
    def __init__(self, core: TotpCore, runner: TaskRunner, mode: TotpMode,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totpDialog")
        self.mode = mode
        self._core = core
        self._runner = runner
        self._task: asyncio.Task[Any] | None = None
        self._enrolled = mode is TotpMode.DISABLE

        self.heading = QLabel()
        self.heading.setObjectName("dialogHeading")
        self.intro = QLabel()
        self.intro.setObjectName("secondaryText")
        self.intro.setWordWrap(True)

        self.qr_label = QLabel()
        self.qr_label.setObjectName("totpQrCode")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setMinimumSize(QR_SIZE, QR_SIZE)
        self.secret_caption = QLabel()
        self.secret_caption.setObjectName("secondaryText")
        self.secret_label = QLabel()
        self.secret_label.setObjectName("totpSecret")
        self.secret_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.secret_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        secret_font = self.secret_label.font()
        secret_font.setFamily("monospace")
        secret_font.setPointSizeF(secret_font.pointSizeF() * 1.15)
        self.secret_label.setFont(secret_font)

        self.code_label = QLabel()
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("totpCodeEdit")
        self.code_edit.setMaxLength(CODE_LENGTH)
        self.code_edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.code_label.setBuddy(self.code_edit)
        self.code_edit.returnPressed.connect(self.submit)

        self.error_label = QLabel()
        self.error_label.setObjectName("totpError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.submit_button = QPushButton()
        self.submit_button.setObjectName("totpSubmitButton")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("totpCancelButton")
        self.cancel_button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        # The accept role would close the dialog at once; the server's answer decides that.
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        if mode is TotpMode.ENABLE:
            layout.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(self.secret_caption)
            layout.addWidget(self.secret_label)
        else:
            self.qr_label.hide()
            self.secret_caption.hide()
            self.secret_label.hide()
        layout.addWidget(self.code_label)
        layout.addWidget(self.code_edit)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

        if mode is TotpMode.ENABLE:
            self._start_enrolment()
        self.retranslate()
        self._update_enabled()
        self.code_edit.setFocus()

    # -- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.mode is TotpMode.ENABLE:
            self.setWindowTitle(self.tr("Set up two-factor login"))
            self.heading.setText(self.tr("Set up two-factor login"))
            self.intro.setText(self.tr(
                "Scan the QR code with an authenticator app on your phone. From then on, "
                "signing in also asks for the 6-digit code the app shows."))
            self.secret_caption.setText(self.tr("Cannot scan? Enter this key in the app:"))
            self.submit_button.setText(self.tr("Activate"))
        else:
            self.setWindowTitle(self.tr("Turn off two-factor login"))
            self.heading.setText(self.tr("Turn off two-factor login"))
            self.intro.setText(self.tr(
                "Without the second factor, your password alone gives access to patient "
                "data. Please confirm with the current code from your authenticator app."))
            self.submit_button.setText(self.tr("Turn off"))
        if not self._enrolled and self.busy:
            self.qr_label.setText(self.tr("Loading…"))
        self.code_label.setText(self.tr("6-digit code from the app"))
        self.code_edit.setPlaceholderText("123456")
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- state ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._task is not None

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def secret_text(self) -> str:
        return self.secret_label.text()

    def _update_enabled(self) -> None:
        ready = self._enrolled and not self.busy
        self.submit_button.setEnabled(ready)
        self.code_edit.setReadOnly(self.busy)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _track(self, task: asyncio.Task[Any]) -> None:
        self._task = task
        self._update_enabled()

    def _done(self) -> None:
        self._task = None
        self._update_enabled()

    # -- enrolment --------------------------------------------------------------------
    def _start_enrolment(self) -> None:
        self._track(self._runner.start(self._core.totp_enroll(), on_success=self._enrolled_ok,
                                       on_error=self._on_error, name="totp-enroll"))

    def _enrolled_ok(self, enrolment: Any) -> None:
        self._done()
        pixmap = render_svg(str(enrolment.qr_svg))
        if pixmap is None:
            self.qr_label.setText(self.tr("The QR code cannot be shown. Please enter the "
                                          "key below in your app."))
            self.qr_label.setWordWrap(True)
        else:
            self.qr_label.setPixmap(pixmap)
        self.secret_label.setText(group_secret(str(enrolment.secret)))
        self._enrolled = True
        self._update_enabled()
        self.code_edit.setFocus()

    # -- actions ----------------------------------------------------------------------
    def submit(self) -> None:
        if self.busy or not self._enrolled:
            return
        code = self.code_edit.text().strip().replace(" ", "")
        if len(code) != CODE_LENGTH or not code.isdigit():
            self._show_error(self.tr("Please enter the 6 digits shown in your "
                                     "authenticator app."))
            self.code_edit.setFocus()
            return
        self.error_label.hide()
        action = (self._core.totp_confirm(code) if self.mode is TotpMode.ENABLE
                  else self._core.totp_disable(code))
        self._track(self._runner.start(action, on_success=self._on_success,
                                       on_error=self._on_error, name=f"totp-{self.mode.value}"))

    def _on_success(self, _result: object) -> None:
        self._done()
        self.code_edit.clear()
        self.accept()

    def _on_error(self, exc: BaseException) -> bool:
        self._done()
        message = security_error_message(exc)
        if message is None:
            return False
        if not self._enrolled:
            # Without a secret there is nothing to confirm; reopening the dialog retries.
            self.qr_label.clear()
        self.code_edit.clear()
        self.code_edit.setFocus()
        self._show_error(message)
        return True

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._done()
        super().reject()
