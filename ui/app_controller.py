"""The start-up flow and the life of the windows, from first window to clean shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from enum import Enum
from pathlib import Path
from typing import Any

from app.audio.player import play_alert
from app.secrets import KeyringUnavailable
from ui.bridge import CoreBridge
from ui.calls.texts import urgent_notification_text, urgent_notification_title
from ui.core_port import CoreLike, EventSource
from ui.directory_model import DirectoryModel
from ui.error_reporter import ErrorReporter
from ui.i18n import install_language, normalize_language
from ui.inbox.tray import InboxTray
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.qt import QApplication, QCoreApplication, QDialog
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

StartupProbe = Callable[["AppController"], Coroutine[Any, Any, None]]


class AppController:
    def __init__(self, core: CoreLike, events: EventSource, reporter: ErrorReporter, *,
                 state_file: Path | None = None, server_override: str | None = None,
                 language: str = "de") -> None:
        self.core = core
        self.reporter = reporter
        self.runner = TaskRunner(reporter)
        self.bridge = CoreBridge(events)
        self.language = normalize_language(language)
        self._server_override = server_override
        self.model = DirectoryModel(core.directory)
        self.main_window = MainWindow(self.model, state_file)
        self.login_dialog: LoginDialog | None = None
        self._quit: asyncio.Future[int] | None = None
        self._shut_down = False
        self._logging_out = False

        reporter.set_parent_widget(self.main_window)
        self.bridge.connectionStateChanged.connect(self._on_connection_state)
        self.bridge.cacheReset.connect(self._on_cache_reset)
        self.bridge.syncDone.connect(self._on_sync_done)
        self.bridge.sessionRevoked.connect(self._on_session_revoked)
        self.bridge.serverCompatChanged.connect(self.main_window.compat_banner.set_compat)
        self.main_window.closing.connect(self.request_quit)
        self.main_window.settings_page.languageRequested.connect(self.set_language)
        self.main_window.settings_page.logoutRequested.connect(self.logout)
        self.main_window.settings_page.set_language(self.language)
        self.main_window.settings_page.security.attach(core, self.runner)
        templates = self.main_window.settings_page.templates
        templates.attach(core, self.runner)
        self.bridge.syncDone.connect(templates.reload)
        self.bridge.templatesChanged.connect(templates.reload)
        self.main_window.settings_page.record_export.attach(core)
        forms = self.main_window.settings_page.forms
        forms.attach(core, self.runner)
        self.bridge.syncDone.connect(forms.update_state)
        # Admin-only parts follow the role, which is known once logged in and synced.
        devices = self.main_window.settings_page.devices
        devices.attach(core, self.runner)
        self.bridge.syncDone.connect(devices.update_visibility)

        inbox = self.main_window.inbox_page
        inbox.attach(core, self.runner)
        rights = inbox.conversation.patient_rights
        rights.attach(core, self.runner)
        self.bridge.syncDone.connect(rights.update_role)
        self.tray = InboxTray()
        inbox.unreadChanged.connect(self.tray.set_unread)
        self.tray.activated.connect(self._show_inbox)
        self.bridge.inboxChanged.connect(inbox.on_inbox_changed)
        self.bridge.syncProgress.connect(inbox.set_sync_progress)
        self.bridge.outboxChanged.connect(inbox.on_outbox_changed)
        self.bridge.newInquiry.connect(lambda _count: self.tray.notify_new_inquiry())
        self.bridge.templatesChanged.connect(inbox.on_templates_changed)

        # The Telefon tab (issue 5) and the urgent-call alert.
        phone = self.main_window.phone_page
        phone.attach(core, self.runner)
        self.bridge.callsChanged.connect(phone.on_calls_changed)
        self.bridge.syncDone.connect(lambda _result: phone.refresh_users())
        self.bridge.urgentCall.connect(self._on_urgent_call)
        phone.inquiryOpened.connect(self._open_conversation)
        self.main_window.urgent_banner.openRequested.connect(self._open_call)
        # Why the last alert made no sound (None: it played, or none came yet).
        self.alert_sound_problem: str | None = None
        video = self.main_window.video_page
        video.attach(core.video, self.runner)
        self.bridge.remoteChanges.connect(video.on_remote_changes)
        self.bridge.syncDone.connect(lambda _r: video.activate())
        video.patientArrived.connect(lambda _id: self._notify_patient_waiting())
        patient_video = inbox.conversation.video_controls
        patient_video.attach(core.video, self.runner,
                             lambda cid: core.inbox.patient_of(cid))
        patient_video.createRequested.connect(self._create_video_for)

    # -- life cycle -------------------------------------------------------------------
    async def run(self, *, startup_probe: StartupProbe | None = None) -> int:
        """Show the first window and wait until the user quits; always shuts down cleanly."""
        loop = asyncio.get_running_loop()
        self._quit = loop.create_future()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)
            app.aboutToQuit.connect(self.request_quit)
        try:
            self.start()
            if startup_probe is not None:
                self.runner.start(startup_probe(self), name="startup-probe")
            return await self._quit
        finally:
            await self.shutdown()

    def start(self) -> None:
        try:
            stored = self.core.has_stored_login()
        except KeyringUnavailable:
            # The dialog explains the keyring problem when the user tries to sign in.
            log.warning("keyring unavailable at start-up")
            stored = False
        if stored:
            self._show_main_window()
            self.runner.start(self._start_core(), name="core-start")
        else:
            self.show_login()

    async def _start_core(self) -> None:
        # start() opens the cache and returns; connecting and syncing go on in the core.
        await self.core.start()
        self.model.refresh()
        self.main_window.inbox_page.activate()
        self.main_window.phone_page.activate()
        self.main_window.video_page.activate()

    def request_quit(self, code: int = 0) -> None:
        if self._quit is not None and not self._quit.done():
            self._quit.set_result(code)

    async def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        try:
            await self.main_window.video_page.end_call()
        except Exception as exc:
            self.reporter.report(exc)
        self.bridge.detach()
        self.main_window.inbox_page.deactivate()
        self.main_window.phone_page.deactivate()
        self.main_window.phone_page.detail.close_audio()
        self.main_window.video_page.deactivate()
        self.tray.hide()
        await self.runner.shutdown()
        try:
            await self.core.close()
        except Exception as exc:
            self.reporter.report(exc)
        if self.login_dialog is not None:
            self.login_dialog.close()
        self.main_window.save_geometry()
        self.main_window.hide()

    # -- windows ----------------------------------------------------------------------
    def _show_main_window(self) -> None:
        settings = self.core.settings
        self.main_window.settings_page.set_account(str(settings.server_url or ""),
                                                   str(settings.email or ""))
        self.model.refresh()
        self.main_window.show()

    def show_login(self) -> LoginDialog:
        """Open the sign-in dialog without a nested event loop (``open()``, never exec)."""
        if self.login_dialog is not None and self.login_dialog.isVisible():
            return self.login_dialog
        settings = self.core.settings
        server = self._server_override or str(settings.effective_server_url())
        parent = self.main_window if self.main_window.isVisible() else None
        dialog = LoginDialog(self.core, self.runner, server_url=server,
                             email=str(settings.email or ""), parent=parent)
        dialog.finished.connect(lambda result: self._login_finished(dialog, result))
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _login_finished(self, dialog: LoginDialog, result: int) -> None:
        dialog.deleteLater()
        if self.login_dialog is dialog:
            self.login_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self._show_main_window()
            self.runner.start(self._start_core(), name="core-start")
        elif not self.main_window.isVisible():
            # Cancelled before there was anything else to show: the user wants to leave.
            self.request_quit(0)

    # -- events from the core ---------------------------------------------------------
    def _on_connection_state(self, state: object) -> None:
        if isinstance(state, Enum | str):
            self.main_window.connection_indicator.set_state(state)
            name = state.name if isinstance(state, Enum) else state
            if name == "AUTH_REQUIRED" and not (self._shut_down or self._logging_out):
                self.show_login()

    def _on_cache_reset(self, _outcome: object) -> None:
        self.main_window.show_cache_reset_notice()

    def _on_session_revoked(self, _payload: object) -> None:
        """Signed out by the server, local data already wiped: back to the login alone,
        saying why (the inbox behind it would only show an empty cache)."""
        if self._shut_down:
            return
        self.main_window.inbox_page.deactivate()
        self.main_window.phone_page.deactivate()
        self.main_window.urgent_banner.dismiss()
        self.main_window.video_page.deactivate()
        if self.login_dialog is not None and self.main_window.isVisible():
            # Closed while the main window is still up, so that does not read as "quit";
            # the new dialog has no hidden parent.
            self.login_dialog.close()
        self.main_window.hide()
        self.model.refresh()
        self.show_login().show_notice(QCoreApplication.translate(
            "AppController",
            "This device was signed out; the local data has been deleted."))

    def _on_sync_done(self, result: object) -> None:
        self.model.refresh()
        self.main_window.inbox_page.on_sync_done(result)

    def _on_urgent_call(self, call_ids: object) -> None:
        """Banner, notification (without patient details) and, where a device exists, the
        alert sound. The core announces each urgent call once per device."""
        if self._shut_down or not isinstance(call_ids, list) or not call_ids:
            return
        calls = self.core.calls
        rows = [row for cid in call_ids if (row := calls.call(str(cid))) is not None]
        if not rows:
            return
        for row in rows:
            self.main_window.urgent_banner.show_call(row)
        self.tray.notify_urgent_call(urgent_notification_title(), urgent_notification_text())
        self.alert_sound_problem = play_alert()
        if self.alert_sound_problem is not None:
            log.info("urgent call alert without sound: %s", self.alert_sound_problem)

    def _open_call(self, call_id: str) -> None:
        # From the banner, inside the window the user is looking at: no raising needed.
        self.main_window.show_page("phone")
        self.main_window.phone_page.open_call(call_id)

    def _open_conversation(self, conversation_id: str) -> None:
        self.main_window.show_page("inbox")
        self.main_window.inbox_page.open_conversation(conversation_id)
    def _notify_patient_waiting(self) -> None:
        # The OS notification names no patient (screens are seen by others); the app does.
        self.tray.notify(QCoreApplication.translate("AppController", "Praxisdesk"),
                         QCoreApplication.translate("AppController",
                                                    "Patient waiting in the waiting room"))

    def _create_video_for(self, patient_id: str, conversation_id: str) -> None:
        self.main_window.video_page.create_appointment(patient_id, conversation_id)

    def _show_inbox(self) -> None:
        if self.main_window.isVisible():
            self.main_window.show_page("inbox")
            self.main_window.raise_()
            self.main_window.activateWindow()

    # -- user actions -----------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.language = install_language(language)
        self.main_window.settings_page.set_language(self.language)
        settings = self.core.settings
        settings.language = self.language
        settings.save()

    def logout(self) -> None:
        self.runner.start(self._logout(), name="logout")

    async def _logout(self) -> None:
        # Logging out ends in AUTH_REQUIRED; that must not pop up a second dialog.
        self._logging_out = True
        self.main_window.inbox_page.deactivate()
        self.main_window.phone_page.deactivate()
        self.main_window.urgent_banner.dismiss()
        self.main_window.video_page.deactivate()
        try:
            await self.core.logout()
        finally:
            self._logging_out = False
        self.main_window.save_geometry()
        self.main_window.hide()
        self.model.refresh()
        self.show_login()
