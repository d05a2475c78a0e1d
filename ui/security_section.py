"""The "Security" group of the Settings page: second factor and signed-in devices."""

from __future__ import annotations

import asyncio
from typing import Any

from ui.core_port import SecurityCore
from ui.qt import (
    QEvent,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.security_errors import security_error_message
from ui.sessions_model import IS_CURRENT_ROLE, SESSION_ID_ROLE, SessionsModel
from ui.sessions_table import sessions_table
from ui.tasks import TaskRunner
from ui.totp_dialog import TotpDialog, TotpMode


class SecuritySection(QGroupBox):
    """Works once ``attach()`` gave it the core; until then it shows an empty state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("securitySection")
        self._core: SecurityCore | None = None
        self._runner: TaskRunner | None = None
        self._refresh_task: asyncio.Task[Any] | None = None
        self._revoke_task: asyncio.Task[Any] | None = None
        self._totp_enabled: bool | None = None
        self._keep_error = False
        self.totp_dialog: TotpDialog | None = None

        self.totp_caption = QLabel()
        self.totp_status = QLabel()
        self.totp_status.setObjectName("totpStatus")
        self.enable_totp_button = QPushButton()
        self.enable_totp_button.setObjectName("enableTotpButton")
        self.enable_totp_button.clicked.connect(lambda: self.open_totp_dialog(TotpMode.ENABLE))
        self.disable_totp_button = QPushButton()
        self.disable_totp_button.setObjectName("disableTotpButton")
        self.disable_totp_button.clicked.connect(
            lambda: self.open_totp_dialog(TotpMode.DISABLE))
        totp_row = QHBoxLayout()
        totp_row.addWidget(self.totp_caption)
        totp_row.addWidget(self.totp_status)
        totp_row.addStretch(1)
        totp_row.addWidget(self.enable_totp_button)
        totp_row.addWidget(self.disable_totp_button)

        self.sessions_caption = QLabel()
        self.sessions_caption.setObjectName("secondaryText")
        self.sessions_caption.setWordWrap(True)
        self.model = SessionsModel()
        # Room for a few devices; a practice account is rarely signed in on more.
        self.sessions_table = sessions_table(self.model, "sessionsTable", min_height=130,
                                             max_height=170)
        selection = self.sessions_table.selectionModel()
        selection.selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("revokeSessionButton")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshSessionsButton")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.current_hint = QLabel()
        self.current_hint.setObjectName("secondaryText")
        self.current_hint.setWordWrap(True)
        self.current_hint.hide()
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.revoke_button)
        buttons_row.addWidget(self.refresh_button)
        buttons_row.addWidget(self.current_hint)
        buttons_row.addStretch(1)

        self.error_label = QLabel()
        self.error_label.setObjectName("securityError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(totp_row)
        layout.addWidget(self.sessions_caption)
        layout.addWidget(self.sessions_table, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.error_label)

        self.retranslate()
        self._update_buttons()

    # -- wiring -----------------------------------------------------------------------
    def attach(self, core: SecurityCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self._update_buttons()

    @property
    def attached(self) -> bool:
        return self._core is not None

    # -- state ------------------------------------------------------------------------
    @property
    def totp_enabled(self) -> bool | None:
        return self._totp_enabled

    @property
    def loading(self) -> bool:
        return self._refresh_task is not None

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _selected_row(self) -> int:
        rows = self.sessions_table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self) -> None:
        attached = self._core is not None
        self.refresh_button.setEnabled(attached and self._refresh_task is None)
        row = self._selected_row()
        current = bool(self.model.index(row, 0).data(IS_CURRENT_ROLE)) if row >= 0 else False
        self.revoke_button.setEnabled(attached and row >= 0 and not current
                                      and self._revoke_task is None)
        # Say why the button is off instead of leaving the user to guess.
        self.current_hint.setVisible(current)
        known = attached and self._totp_enabled is not None
        self.enable_totp_button.setVisible(known and self._totp_enabled is False)
        self.disable_totp_button.setVisible(known and self._totp_enabled is True)

    def _set_totp_enabled(self, enabled: bool | None) -> None:
        self._totp_enabled = enabled
        self._update_status_text()
        self._update_buttons()

    def _update_status_text(self) -> None:
        if self._totp_enabled is None:
            self.totp_status.setText("–")
        elif self._totp_enabled:
            self.totp_status.setText(self.tr("on"))
        else:
            self.totp_status.setText(self.tr("off"))
        self.totp_status.setProperty("state", {None: "unknown", True: "on",
                                               False: "off"}[self._totp_enabled])

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _handle_error(self, exc: BaseException) -> bool:
        message = security_error_message(exc)
        if message is None:
            return False
        self._show_error(message)
        return True

    # -- loading ----------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        # Devices change elsewhere (other PCs sign in or out): read fresh on every visit.
        self.refresh()

    def refresh(self, *, keep_error: bool = False) -> None:
        if self._core is None or self._runner is None or self._refresh_task is not None:
            return
        self._keep_error = keep_error
        self._refresh_task = self._runner.start(self._load(), on_success=self._loaded,
                                                on_error=self._load_failed,
                                                name="security-refresh")
        self._update_buttons()

    async def _load(self) -> tuple[bool, list[Any]]:
        assert self._core is not None
        user = await self._core.refresh_user()
        sessions = await self._core.list_sessions()
        return bool(dict(user).get("totp_enabled")), list(sessions)

    def _loaded(self, result: tuple[bool, list[Any]]) -> None:
        self._refresh_task = None
        enabled, sessions = result
        if not self._keep_error:
            self.error_label.hide()
        selected = self.model.index(self._selected_row(), 0).data(SESSION_ID_ROLE)
        self.model.set_sessions(sessions)
        if selected is not None and (row := self.model.row_of(str(selected))) >= 0:
            self.sessions_table.selectRow(row)
        self._set_totp_enabled(enabled)

    def _load_failed(self, exc: BaseException) -> bool:
        self._refresh_task = None
        self._update_buttons()
        return self._handle_error(exc)

    # -- devices ----------------------------------------------------------------------
    def revoke_selected(self) -> None:
        if self._core is None or self._runner is None or self._revoke_task is not None:
            return
        row = self._selected_row()
        session_id = self.model.index(row, 0).data(SESSION_ID_ROLE) if row >= 0 else None
        if session_id is None or self.model.index(row, 0).data(IS_CURRENT_ROLE):
            return
        self.error_label.hide()
        self._revoke_task = self._runner.start(self._core.revoke_session(str(session_id)),
                                               on_success=self._revoked,
                                               on_error=self._revoke_failed,
                                               name="revoke-session")
        self._update_buttons()

    def _revoked(self, _result: object) -> None:
        self._revoke_task = None
        self.sessions_table.clearSelection()
        self._update_buttons()
        self.refresh()

    def _revoke_failed(self, exc: BaseException) -> bool:
        self._revoke_task = None
        self._update_buttons()
        handled = self._handle_error(exc)
        # A session that is already gone, or any other refusal: show the server's truth.
        self.refresh(keep_error=True)
        return handled

    # -- second factor ----------------------------------------------------------------
    def open_totp_dialog(self, mode: TotpMode) -> TotpDialog | None:
        """Non-blocking: ``open()``, never exec(), so the asyncio loop keeps running."""
        if self._core is None or self._runner is None:
            return None
        if self.totp_dialog is not None and self.totp_dialog.isVisible():
            return self.totp_dialog
        self.error_label.hide()
        dialog = TotpDialog(self._core, self._runner, mode, parent=self)
        dialog.finished.connect(lambda result: self._totp_dialog_finished(dialog, result))
        self.totp_dialog = dialog
        dialog.open()
        return dialog

    def _totp_dialog_finished(self, dialog: TotpDialog, _result: int) -> None:
        dialog.deleteLater()
        if self.totp_dialog is dialog:
            self.totp_dialog = None
        if self._core is not None:
            # totp_confirm/totp_disable refreshed core.user; cancelling leaves it as it was.
            self._set_totp_enabled(bool(self._core.user.get("totp_enabled")))

    # -- texts ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(self.tr("Security"))
        self.totp_caption.setText(self.tr("Two-factor login:"))
        self.enable_totp_button.setText(self.tr("Set up two-factor login…"))
        self.disable_totp_button.setText(self.tr("Turn off…"))
        self.sessions_caption.setText(self.tr("Devices signed in to your account. Log out "
                                              "any device you do not recognise."))
        self.revoke_button.setText(self.tr("Log out device"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.current_hint.setText(self.tr("To log out this device, use “Log out” above."))
        self._update_status_text()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
