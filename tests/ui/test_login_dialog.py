"""The sign-in dialog against the real server: success and each failure's own message."""

from __future__ import annotations

import socket
from datetime import timedelta

import httpx
import pyotp
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, fill_login, sign_in
from ui.app_controller import AppController
from ui.login_dialog import LoginDialog


def _open_dialog(controller: AppController) -> LoginDialog:
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.isVisible()
    return dialog


def _attempt(qt_loop: QtLoop, dialog: LoginDialog) -> str:
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: not dialog.busy)
    return dialog.error_text()


def test_successful_sign_in_opens_main_window_and_goes_online(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    assert not controller.main_window.isVisible()
    sign_in(qt_loop, controller, practice)
    assert controller.login_dialog is None
    qt_loop.wait_until(
        lambda: controller.main_window.connection_indicator.state_name == "ONLINE")
    assert controller.main_window.settings_page.user_value.text() == practice.staff_email
    assert controller.reporter.reported == []


def test_wrong_password_says_so_and_keeps_the_dialog_open(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, practice.url, practice.staff_email, "not-the-password")
    message = _attempt(qt_loop, dialog)
    assert "E-Mail-Adresse oder Passwort ist falsch" in message
    assert dialog.isVisible()
    assert not controller.main_window.isVisible()
    # Nothing typed is lost: the user only has to correct the password.
    assert dialog.email_edit.text() == practice.staff_email
    assert dialog.server_edit.text() == practice.url


def test_busy_state_prevents_double_submit(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, practice.url, practice.staff_email, practice.password)
    dialog.submit()
    assert dialog.busy
    assert not dialog.submit_button.isEnabled()
    assert dialog.password_edit.isReadOnly()
    assert dialog.submit_button.text() == "Anmeldung läuft…"
    dialog.submit()  # a second Enter press while waiting
    assert controller.runner.running == 1
    qt_loop.wait_until(lambda: controller.main_window.isVisible())


def _enable_totp(practice: PracticeAccounts) -> pyotp.TOTP:
    with httpx.Client(base_url=f"{practice.url}/api/v1") as client:
        tokens = client.post("/auth/login", json={"email": practice.admin_email,
                                                  "password": practice.password}).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        secret = client.post("/auth/totp/enroll", headers=headers).json()["secret"]
        totp = pyotp.TOTP(secret)
        code = totp.at(practice.server.clock.now())
        assert client.post("/auth/totp/confirm", json={"code": code},
                           headers=headers).status_code == 204
    # A code is accepted once only; the next login must use the next time step.
    practice.server.clock.advance(timedelta(seconds=30))
    return totp


def test_security_code_field_appears_when_required_and_wrong_code_is_named(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    totp = _enable_totp(practice)
    controller = make_controller()
    dialog = _open_dialog(controller)
    assert not dialog.totp_visible
    fill_login(dialog, practice.url, practice.admin_email, practice.password)
    message = _attempt(qt_loop, dialog)
    assert dialog.totp_visible
    assert "Sicherheitscode" in message
    assert dialog.totp_edit.hasFocus() or dialog.focusWidget() is dialog.totp_edit

    right = totp.at(practice.server.clock.now())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    dialog.totp_edit.setText(wrong)
    message = _attempt(qt_loop, dialog)
    assert "Sicherheitscode ist falsch oder abgelaufen" in message

    dialog.totp_edit.setText(right)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.main_window.isVisible())


def test_locked_account_shows_minutes_remaining(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, practice.url, practice.staff_email, "wrong")
    message = ""
    for _ in range(6):
        message = _attempt(qt_loop, dialog)
        if "gesperrt" in message:
            break
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in message
    assert "15 Minuten" in message
    # Even the right password is refused while locked, with the same clear message.
    dialog.password_edit.setText(practice.password)
    practice.server.clock.advance(timedelta(minutes=10))
    message = _attempt(qt_loop, dialog)
    assert "noch 5 Minuten gesperrt" in message


def test_unreachable_server_is_named(qt_loop: QtLoop, make_controller: ControllerFactory,
                                     practice: PracticeAccounts) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, f"http://127.0.0.1:{port}", practice.staff_email, practice.password)
    assert "Der Server ist nicht erreichbar" in _attempt(qt_loop, dialog)


def test_plain_http_to_another_host_is_refused(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, "http://praxis.example.de", practice.staff_email, practice.password)
    message = _attempt(qt_loop, dialog)
    assert "Unverschlüsselte Verbindungen (http://) sind nur zu diesem Computer erlaubt" in message
    assert not controller.core.has_stored_login()


def test_untrusted_certificate_is_named(
        qt_loop: QtLoop, make_controller: ControllerFactory, live_server_tls: object,
        practice: PracticeAccounts) -> None:
    from tests.support.live_server import LiveServer

    assert isinstance(live_server_tls, LiveServer)
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, live_server_tls.url, practice.staff_email, practice.password)
    assert "Zertifikat des Servers ist ungültig oder nicht vertrauenswürdig" in _attempt(
        qt_loop, dialog)


def test_server_flag_prefills_the_address(make_controller: ControllerFactory) -> None:
    controller = make_controller(server="https://praxis.example.de")
    dialog = _open_dialog(controller)
    assert dialog.server_edit.text() == "https://praxis.example.de"
    assert dialog.email_edit.hasFocus() or dialog.focusWidget() is dialog.email_edit


def test_enter_in_the_password_field_submits(
        qtbot: QtBot, qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    fill_login(dialog, practice.url, practice.staff_email, practice.password)
    dialog.password_edit.setFocus()
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.busy
    qt_loop.wait_until(lambda: controller.main_window.isVisible())


def test_empty_fields_get_a_clear_message_without_contacting_the_server(
        make_controller: ControllerFactory) -> None:
    controller = make_controller()
    dialog = _open_dialog(controller)
    dialog.server_edit.setText("https://praxis.example.de")
    dialog.submit_button.click()
    assert not dialog.busy
    assert "Bitte geben Sie die Serveradresse, Ihre E-Mail-Adresse und Ihr Passwort ein" in (
        dialog.error_text())
