"""Settings → "Devices of the practice" (admins only): every signed-in device of every team
member, and logging one out. A logged-out device deletes its local data at its next contact
with the server, so this is also what to do about a lost or stolen laptop."""

from __future__ import annotations

import asyncio
from typing import Any

from ui.core_port import PracticeDevicesCore
from ui.inbox import texts
from ui.practice_sessions_model import PracticeSessionsModel
from ui.qt import (
    QEvent,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ui.security_errors import security_error_message
from ui.sessions_model import IS_CURRENT_ROLE, SESSION_ID_ROLE
from ui.sessions_table import sessions_table
from ui.tasks import TaskRunner


class PracticeDevicesSection(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceDevicesSection")
        self._core: PracticeDevicesCore | None = None
        self._runner: TaskRunner | None = None
        self._refresh_task: asyncio.Task[Any] | None = None
        self._revoke_task: asyncio.Task[Any] | None = None
        self.confirm_box: QMessageBox | None = None

        self.caption = QLabel()
        self.caption.setObjectName("secondaryText")
        self.caption.setWordWrap(True)
        self.model = PracticeSessionsModel()
        self.table = sessions_table(self.model, "practiceSessionsTable", min_height=150,
                                    max_height=240)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("revokePracticeSessionButton")
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshPracticeSessionsButton")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.current_hint = QLabel()
        self.current_hint.setObjectName("secondaryText")
        self.current_hint.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.revoke_button)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.current_hint)
        buttons.addStretch(1)
        self.error_label = QLabel()
        self.error_label.setObjectName("practiceDevicesError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.retranslate()
        self.setVisible(False)
        self._update_buttons()

    def attach(self, core: PracticeDevicesCore, runner: TaskRunner) -> None:
        self._core = core
        self._runner = runner
        self.update_visibility()

    def update_visibility(self, *_args: object) -> None:
        """Admins only (the server answers 403 to everyone else)."""
        self.setVisible(self._core is not None and self._core.user.get("role") == "admin")

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self) -> None:
        attached = self._core is not None
        row = self._selected_row()
        current = bool(self.model.index(row, 0).data(IS_CURRENT_ROLE)) if row >= 0 else False
        self.refresh_button.setEnabled(attached and self._refresh_task is None)
        self.revoke_button.setEnabled(attached and row >= 0 and not current
                                      and self._revoke_task is None)
        self.current_hint.setVisible(current)

    def _failed(self, exc: BaseException) -> bool:
        message = security_error_message(exc)
        if message is None:
            return False
        self.error_label.setText(message)
        self.error_label.show()
        return True

    # -- loading -----------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self._core is None or self._runner is None or self._refresh_task is not None:
            return
        if self._core.user.get("role") != "admin":
            return
        self._refresh_task = self._runner.start(
            self._core.list_practice_sessions(), on_success=self._loaded,
            on_error=self._load_failed, name="practice-sessions")
        self._update_buttons()

    def _loaded(self, sessions: Any) -> None:
        self._refresh_task = None
        selected = self.model.index(self._selected_row(), 0).data(SESSION_ID_ROLE)
        self.model.set_sessions(list(sessions))
        if selected is not None and (row := self.model.row_of(str(selected))) >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _load_failed(self, exc: BaseException) -> bool:
        self._refresh_task = None
        self._update_buttons()
        return self._failed(exc)

    # -- revoking ----------------------------------------------------------------------
    def ask_revoke(self) -> None:
        row = self._selected_row()
        session = self.model.session_at(row)
        if session is None or session.current or self._revoke_task is not None:
            return
        who = session.user_display_name or session.user_email
        device = session.device_name or self.tr("Unnamed device")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Log out device"), texts.fill(
            self.tr("Log out %1 on “%2”? At its next contact with the server that computer "
                    "deletes its local data and asks for a new login."), who, device),
            QMessageBox.StandardButton.Cancel, self.window())
        confirm = box.addButton(self.tr("Log out and delete its data"),
                                QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("revokePracticeSessionBox")

        def answered(_result: int) -> None:
            confirmed = box.clickedButton() is confirm
            box.deleteLater()
            if self.confirm_box is box:
                self.confirm_box = None
            if confirmed:
                self.revoke(session.id)

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def revoke(self, session_id: str) -> None:
        if self._core is None or self._runner is None:
            return
        self.error_label.hide()
        self._revoke_task = self._runner.start(
            self._core.revoke_practice_session(session_id), on_success=self._revoked,
            on_error=self._revoke_failed, name="revoke-practice-session")
        self._update_buttons()

    def _revoked(self, _result: object) -> None:
        self._revoke_task = None
        self.table.clearSelection()
        self.refresh()

    def _revoke_failed(self, exc: BaseException) -> bool:
        self._revoke_task = None
        handled = self._failed(exc)
        self.refresh()
        return handled

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(self.tr("Devices of the practice"))
        self.caption.setText(self.tr(
            "Every computer where someone of the practice is signed in. Log out a lost or "
            "unknown device: it deletes its local data at its next contact with the server."))
        self.revoke_button.setText(self.tr("Log out device…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.current_hint.setText(self.tr("This is your own device."))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
