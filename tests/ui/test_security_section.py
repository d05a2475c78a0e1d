"""The Security group of the Settings page against the real server, core and keyring."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.api.client import ApiClient
from app.api.errors import SessionRevoked, TotpRequired
from app.core import DeviceSession
from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in
from tests.ui.test_translations import english_leftovers
from ui.app_controller import AppController
from ui.directory_model import DirectoryModel
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.qt import Qt
from ui.security_section import SecuritySection
from ui.sessions_model import IS_CURRENT_ROLE, SessionsModel, format_local_time
from ui.totp_dialog import TotpDialog, TotpMode

REPO = Path(__file__).resolve().parents[2]


def open_security(qt_loop: QtLoop, controller: AppController) -> SecuritySection:
    """The Settings page as the user opens it; the section loads when it becomes visible."""
    section = controller.main_window.settings_page.security
    if not section.attached:
        # Same call as the application's wiring (AppController), for a tree without it.
        section.attach(controller.core, controller.runner)  # type: ignore[arg-type]
    controller.main_window.show_page("settings")
    qt_loop.wait_until(lambda: section.model.rowCount() >= 1 and section.totp_enabled
                       is not None)
    return section


def _shown_dialog(section: SecuritySection) -> TotpDialog:
    dialog = section.totp_dialog
    assert dialog is not None
    assert dialog.isVisible()
    return dialog


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_enable_and_disable_two_factor_login_through_the_dialog(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    section = open_security(qt_loop, controller)
    assert section.title() == "Sicherheit"
    assert section.totp_status.text() == "ausgeschaltet"
    assert section.enable_totp_button.isVisible()
    assert not section.disable_totp_button.isVisible()

    section.enable_totp_button.click()
    dialog = _shown_dialog(section)
    qt_loop.wait_until(lambda: bool(dialog.secret_text()))
    assert not dialog.qr_label.pixmap().isNull()
    grouped = dialog.secret_text()
    assert all(len(block) <= 4 for block in grouped.split(" "))
    totp = pyotp.TOTP(grouped.replace(" ", ""))
    code = totp.at(practice.server.clock.now())

    dialog.code_edit.setText(_wrong(code))
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: bool(dialog.error_text()))
    assert "Sicherheitscode ist falsch" in dialog.error_text()
    assert dialog.isVisible()
    assert dialog.code_edit.text() == ""
    assert section.totp_status.text() == "ausgeschaltet"

    dialog.code_edit.setText(code)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: section.totp_dialog is None)
    assert section.totp_status.text() == "eingeschaltet"
    assert section.disable_totp_button.isVisible()
    assert not section.enable_totp_button.isVisible()
    assert section.error_text() == ""

    # The server now really asks every new sign-in for the second factor.
    async def password_only_login() -> None:
        probe = ApiClient(practice.url)
        try:
            with pytest.raises(TotpRequired):
                await probe.login(practice.staff_email, practice.password)
        finally:
            await probe.aclose()

    qt_loop.run(password_only_login())

    practice.server.clock.advance(timedelta(seconds=31))  # a code is accepted only once
    section.disable_totp_button.click()
    dialog = _shown_dialog(section)
    assert dialog.secret_label.isHidden()
    dialog.code_edit.setText("12a")
    dialog.submit_button.click()
    assert "6 Ziffern" in dialog.error_text()  # checked before anything is sent
    dialog.code_edit.setText(totp.at(practice.server.clock.now()))
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: section.totp_dialog is None)
    assert section.totp_status.text() == "ausgeschaltet"
    assert controller.reporter.reported == []


def test_log_out_another_device(qt_loop: QtLoop, make_controller: ControllerFactory,
                                practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    other = ApiClient(practice.url)
    qt_loop.run(other.login(practice.staff_email, practice.password,
                            device_name="Empfang PC 2"))
    try:
        section = open_security(qt_loop, controller)
        section.refresh_button.click()  # the other PC signed in after the page loaded
        model = section.model
        qt_loop.wait_until(lambda: model.rowCount() == 2 and not section.loading)
        devices = [model.index(r, 0).data() for r in range(2)]
        assert devices[0].endswith("(dieses Gerät)")
        assert devices[1] == "Empfang PC 2"
        sessions = qt_loop.run(controller.core.list_sessions())  # type: ignore[attr-defined]
        foreign = next(s for s in sessions if not s.current)
        expected = foreign.created_at.astimezone().strftime("%d.%m.%Y, %H:%M")
        assert model.index(1, 1).data() == expected

        # This device logs out with the account's own "Log out" button, not here.
        section.sessions_table.selectRow(0)
        assert model.index(0, 0).data(IS_CURRENT_ROLE) is True
        assert not section.revoke_button.isEnabled()
        assert section.current_hint.isVisibleTo(section)

        section.sessions_table.selectRow(1)
        assert section.revoke_button.isEnabled()
        section.revoke_button.click()
        qt_loop.wait_until(lambda: model.rowCount() == 1 and not section.loading)
        assert model.index(0, 0).data(IS_CURRENT_ROLE) is True
        assert section.error_text() == ""

        with pytest.raises(SessionRevoked):
            qt_loop.run(other.me())
    finally:
        qt_loop.run(other.aclose())
    assert controller.reporter.reported == []


def test_unreachable_server_is_reported_inline(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    section = open_security(qt_loop, controller)
    practice.server.stop()
    section.refresh_button.click()
    qt_loop.wait_until(lambda: bool(section.error_text()), timeout=20)
    assert "Server ist nicht erreichbar" in section.error_text()
    assert section.model.rowCount() == 1  # what was shown stays on screen
    assert section.refresh_button.isEnabled()
    assert controller.reporter.reported == []


def _session(name: str, *, current: bool, hours_ago: int) -> DeviceSession:
    now = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    return DeviceSession(f"id-{name}", name, now - timedelta(days=3),
                         now - timedelta(hours=hours_ago), current)


def test_sessions_model_is_a_well_behaved_table(qtmodeltester: ModelTester,
                                                qapp: object) -> None:
    install_language("de")
    model = SessionsModel()
    qtmodeltester.check(model, force_py=True)
    model.set_sessions([_session("Empfang PC 2", current=False, hours_ago=1),
                        _session("Sprechzimmer", current=True, hours_ago=5),
                        _session("", current=False, hours_ago=0)])
    qtmodeltester.check(model, force_py=True)
    # This device first, the others by last activity.
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Sprechzimmer (dieses Gerät)", "Unbenanntes Gerät", "Empfang PC 2"]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Angemeldet seit"
    moment = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert format_local_time(moment) == moment.astimezone().strftime("%d.%m.%Y, %H:%M")


def test_section_without_a_core_is_inert_and_german(qtbot: QtBot) -> None:
    install_language("de")
    window = MainWindow(DirectoryModel(list))
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    section = window.settings_page.security
    assert not section.refresh_button.isEnabled()
    assert not section.revoke_button.isEnabled()
    assert not section.enable_totp_button.isVisible()
    assert section.open_totp_dialog(TotpMode.ENABLE) is None
    assert section.totp_status.text() == "–"
    assert english_leftovers(window) == []


def test_screenshot_of_the_settings_page(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts, tmp_path: Path) -> None:
    """Written to docs/ only with PRAXISDESK_WRITE_SCREENSHOTS=1."""
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    window = controller.main_window
    qt_loop.wait_until(lambda: controller.model.rowCount() == 2)
    qt_loop.wait_until(lambda: window.connection_indicator.state_name == "ONLINE")
    window.resize(1100, 700)
    open_security(qt_loop, controller)
    assert window.grab().save(str(target / "main-window.png"))
    assert (target / "main-window.png").stat().st_size > 10_000
