"""The main window with the real core: pages, connection state, cache reset, language."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core import ClientCore
from app.secrets import SecretStore
from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in
from ui.app_controller import AppController
from ui.directory_model import DirectoryModel
from ui.main_window import PAGES, MainWindow
from ui.qt import QEvent, Qt

REPO = Path(__file__).resolve().parents[2]


def test_navigation_switches_pages(qtbot: QtBot, qt_loop: QtLoop,
                                   make_controller: ControllerFactory,
                                   practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    window = controller.main_window
    nav = window.navigation
    assert [nav.item(i).text() for i in range(nav.count())] == [
        "Posteingang", "Video", "Telefon", "Einstellungen"]
    for row, key in enumerate(PAGES):
        rect = nav.visualItemRect(nav.item(row))
        qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.current_page() == key
    assert window.pages.currentWidget() is window.settings_page
    window.show_page("phone")
    assert window.phone_page.isVisible()
    assert window.phone_page.title_label.text() == "Telefon"


def test_connection_indicator_follows_the_server(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    indicator = controller.main_window.connection_indicator
    qt_loop.wait_until(lambda: indicator.state_name == "ONLINE")
    assert "Online" in indicator.text()
    # The first sync has finished once the team list is filled; only then is a wake-up
    # request not swallowed by a sync already in flight.
    qt_loop.wait_until(lambda: controller.model.rowCount() == 2)
    practice.server.stop()
    # Wake the core's connection loop now instead of waiting for its next sync interval.
    controller.core.request_sync()
    qt_loop.wait_until(lambda: indicator.state_name == "OFFLINE", timeout=20)
    assert "Offline" in indicator.text()


def test_staff_directory_is_shown_after_sync(
        qt_loop: QtLoop, qtmodeltester: ModelTester, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    model = controller.model
    qt_loop.wait_until(lambda: model.rowCount() == 2)
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == ["Dr. Anna Weber", "Jonas Klein"]
    assert model.data(model.index(0, 2)) == "Administration"
    assert model.data(model.index(1, 2)) == "Praxisteam"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "E-Mail"
    qtmodeltester.check(model, force_py=True)


def test_cache_reset_notice_when_key_was_removed(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    first = make_controller("shared-profile")
    sign_in(qt_loop, first, practice)
    qt_loop.wait_until(lambda: first.model.rowCount() == 2)
    assert first.main_window.cache_notice.isHidden()
    qt_loop.run(first.shutdown())
    first.main_window.close()

    assert isinstance(first.core, ClientCore)
    _delete_cache_key(first.core)

    second = make_controller("shared-profile")
    assert second.core.has_stored_login()
    second.start()
    # The window is there at once, without waiting for the network.
    assert second.main_window.isVisible()
    qt_loop.wait_until(lambda: second.main_window.cache_notice.isVisible())
    notice = second.main_window.cache_notice.text_label.text()
    assert "Schlüssel für den lokalen Datenspeicher fehlte" in notice
    assert "neu vom Server geladen" in notice
    # And the data really comes back from the server.
    qt_loop.wait_until(lambda: second.model.rowCount() == 2)


def _delete_cache_key(core: ClientCore) -> None:
    settings = core.settings
    assert settings.server_url is not None
    assert settings.email is not None
    store = SecretStore(core.profile.id, settings.server_url, settings.email)
    assert store.get_cache_key() is not None
    store.delete_cache_key()
    assert store.get_cache_key() is None


def test_language_switch_to_english_changes_visible_texts(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    window = controller.main_window
    window.show_page("settings")
    combo = window.settings_page.language_combo
    combo.setCurrentIndex(combo.findData("en"))
    qt_loop.run(_process_language_change())
    nav = window.navigation
    assert [nav.item(i).text() for i in range(nav.count())] == [
        "Inbox", "Video", "Phone", "Settings"]
    assert window.settings_page.logout_button.text() == "Log out"
    assert window.settings_page.team_box.title() == "Practice team"
    assert window.connection_indicator.text().endswith(("Online", "Connecting…"))
    assert controller.core.settings.language == "en"
    combo.setCurrentIndex(combo.findData("de"))
    qt_loop.run(_process_language_change())
    assert nav.item(0).text() == "Posteingang"


async def _process_language_change() -> None:
    import asyncio

    # LanguageChange events are posted; one loop turn delivers them.
    for _ in range(3):
        await asyncio.sleep(0)
    from ui.qt import QCoreApplication

    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def test_screenshots(qt_loop: QtLoop, make_controller: ControllerFactory,
                     practice: PracticeAccounts, tmp_path: Path) -> None:
    """Renders both windows; written to docs/ only with PRAXISDESK_WRITE_SCREENSHOTS=1."""
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    controller = make_controller()
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    dialog.server_edit.setText("https://praxis-weber.example.de")
    dialog.email_edit.setText(practice.staff_email)
    dialog.adjustSize()
    assert dialog.grab().save(str(target / "login.png"))
    dialog.server_edit.setText(practice.url)
    dialog.password_edit.setText(practice.password)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    window = controller.main_window
    qt_loop.wait_until(lambda: controller.model.rowCount() == 2)
    qt_loop.wait_until(lambda: window.connection_indicator.state_name == "ONLINE")
    window.resize(1100, 700)
    window.show_page("settings")
    assert window.grab().save(str(target / "main-window.png"))
    assert (target / "main-window.png").stat().st_size > 10_000


def test_log_out_returns_to_the_login_dialog(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    controller.main_window.show_page("settings")
    controller.main_window.settings_page.logout_button.click()
    qt_loop.wait_until(lambda: controller.login_dialog is not None
                       and controller.login_dialog.isVisible())
    assert not controller.main_window.isVisible()
    assert not controller.core.has_stored_login()
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.email_edit.text() == practice.staff_email
    assert controller.reporter.reported == []


def test_expired_login_asks_for_login_again(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    qt_loop.wait_until(lambda: controller.model.rowCount() == 2)
    # The refresh token runs out (a revoked session instead wipes the device: see
    # tests/ui/test_session_revoked.py).
    practice.server.clock.advance(timedelta(days=31))
    controller.core.api.access_token = None  # type: ignore[attr-defined]
    controller.core.request_sync()
    indicator = controller.main_window.connection_indicator
    qt_loop.wait_until(lambda: controller.login_dialog is not None, timeout=15)
    assert indicator.state_name == "AUTH_REQUIRED"
    assert "Anmeldung erforderlich" in indicator.text()
    dialog = controller.login_dialog
    assert dialog is not None
    # Non-modal for the app: the window stays up with its local data behind the dialog.
    assert controller.main_window.isVisible()
    assert controller.core.profile.cache_path.exists()  # type: ignore[attr-defined]
    dialog.password_edit.setText(practice.password)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.login_dialog is None)
    qt_loop.wait_until(lambda: indicator.state_name == "ONLINE")


def test_window_geometry_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    state = tmp_path / "ui.ini"
    first = MainWindow(DirectoryModel(list), state)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 560)
    first.close()
    second = MainWindow(DirectoryModel(list), state)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (780, 560)


def test_quitting_the_application_awaits_cancelled_tasks(
        qt_loop: QtLoop, make_controller: ControllerFactory) -> None:
    controller = make_controller()
    cleaned_up: list[str] = []

    async def upload() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.sleep(0.05)
            cleaned_up.append("upload")
            raise

    async def probe(ctrl: AppController) -> None:
        ctrl.runner.start(upload(), name="upload")
        await asyncio.sleep(0.05)
        # The user cancels the sign-in dialog, with nothing else open: the application quits.
        assert ctrl.login_dialog is not None
        ctrl.login_dialog.reject()

    exit_code = qt_loop.run(controller.run(startup_probe=probe))
    assert exit_code == 0
    assert cleaned_up == ["upload"]
    assert controller.runner.running == 0
    assert controller.core.cache is None  # the core was closed as well
    assert not controller.main_window.isVisible()
