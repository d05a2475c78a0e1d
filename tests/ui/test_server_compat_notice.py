"""A server of another release: the login dialog says so, the main window keeps a banner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from tests.support.live_server import LiveServer, start_live_server
from tests.ui.conftest import PASSWORD, ControllerFactory, PracticeAccounts, QtLoop, fill_login
from ui.app_controller import AppController
from ui.login_dialog import LoginDialog

TOO_NEW_DE = (f"Der Server (Version 0.3.0) ist neuer als diese Praxisdesk-Version ({__version__}) "
              "unterstützt. Bitte installieren Sie das Update")
TOO_NEW_EN = (f"The server (version 0.3.0) is newer than this Praxisdesk version ({__version__}) "
              "supports. Please install the update")
TOO_OLD_DE = (f"Der Server hat Version 0.0.9; diese Praxisdesk-Version ({__version__}) braucht "
              "mindestens 0.1.0. Bitte informieren Sie Ihre IT.")


def _accounts(server: LiveServer) -> PracticeAccounts:
    practice_id = server.create_practice("Praxis Dr. Weber")
    server.create_user(practice_id, "weber@praxis.example", "admin", PASSWORD,
                       display_name="Dr. Anna Weber")
    server.create_user(practice_id, "klein@praxis.example", "staff", PASSWORD,
                       display_name="Jonas Klein")
    return PracticeAccounts(server, practice_id, "weber@praxis.example", "klein@praxis.example")


@pytest.fixture
def newer(tmp_path: Path) -> Iterator[PracticeAccounts]:
    server = start_live_server(tmp_path, version="0.3.0")
    try:
        yield _accounts(server)
    finally:
        server.stop()


@pytest.fixture
def older(tmp_path: Path) -> Iterator[PracticeAccounts]:
    server = start_live_server(tmp_path, version="0.0.9")
    try:
        yield _accounts(server)
    finally:
        server.stop()


def _sign_in(qt_loop: QtLoop, controller: AppController, accounts: PracticeAccounts,
             password: str = PASSWORD) -> LoginDialog:
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    fill_login(dialog, accounts.url, accounts.staff_email, password)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: not dialog.busy)
    return dialog


def test_a_too_new_server_is_named_after_login_and_stays_as_a_banner(
        qt_loop: QtLoop, make_controller: ControllerFactory, newer: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _sign_in(qt_loop, controller, newer)
    # Signed in, but the dialog stays until the user has read why.
    assert dialog.acknowledging
    assert dialog.isVisible()
    assert TOO_NEW_DE in dialog.compat_text()
    assert dialog.error_text() == ""
    assert dialog.submit_button.text() == "Weiter"
    assert dialog.cancel_button.isHidden()
    assert dialog.heading.text() == "Angemeldet – bitte beachten"
    dialog.submit_button.click()  # never blocked: continuing opens the practice
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    window = controller.main_window
    assert not window.compat_banner.isHidden()
    assert TOO_NEW_DE in window.compat_banner.text()
    qt_loop.wait_until(lambda: window.connection_indicator.state_name == "ONLINE")
    qt_loop.wait_until(lambda: controller.model.rowCount() == 2)  # synced: the user can work
    # English second: the banner follows a language switch.
    controller.set_language("en")
    qt_loop.wait_until(lambda: TOO_NEW_EN in window.compat_banner.text())
    assert controller.reporter.reported == []


def test_closing_the_notice_continues_rather_than_quits(
        qt_loop: QtLoop, make_controller: ControllerFactory, newer: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _sign_in(qt_loop, controller, newer)
    assert dialog.acknowledging
    dialog.reject()  # Escape or the window's close button
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    assert TOO_NEW_DE in controller.main_window.compat_banner.text()


def test_a_too_old_server_warns_in_both_places(
        qt_loop: QtLoop, make_controller: ControllerFactory, older: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _sign_in(qt_loop, controller, older)
    assert TOO_OLD_DE in dialog.compat_text()
    assert "Sie können weiterarbeiten" in dialog.compat_text()
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    assert TOO_OLD_DE in controller.main_window.compat_banner.text()


def test_a_refused_login_names_the_server_version_too(
        qt_loop: QtLoop, make_controller: ControllerFactory, newer: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _sign_in(qt_loop, controller, newer, password="nicht-das-passwort")
    assert "E-Mail-Adresse oder Passwort ist falsch" in dialog.error_text()
    assert TOO_NEW_DE in dialog.compat_text()
    assert not dialog.acknowledging
    assert dialog.submit_button.text() == "Anmelden"


def test_our_own_server_shows_no_notice(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    fill_login(dialog, practice.url, practice.staff_email, PASSWORD)
    dialog.submit_button.click()
    # Nothing to acknowledge: the dialog closes at once as it always did.
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    assert controller.login_dialog is None
    assert controller.core.server_compat is not None
    assert controller.core.server_compat.ok
    assert controller.main_window.compat_banner.isHidden()


def test_restart_with_a_stored_login_shows_the_banner_without_a_dialog(
        qt_loop: QtLoop, make_controller: ControllerFactory, newer: PracticeAccounts) -> None:
    first = make_controller()
    dialog = _sign_in(qt_loop, first, newer)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: first.main_window.isVisible())
    qt_loop.run(first.shutdown())
    again = make_controller()  # same profile: the login is in the keyring
    again.start()
    assert again.login_dialog is None
    banner = again.main_window.compat_banner
    qt_loop.wait_until(lambda: TOO_NEW_DE in banner.text(), timeout=15)
