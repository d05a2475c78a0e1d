"""Signed out by the server while the window is open: back to the login, saying why."""

from __future__ import annotations

import httpx

from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in


def test_revoked_device_returns_to_login_with_message(
        qt_loop: QtLoop, make_controller: ControllerFactory,
        practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    qt_loop.wait_until(
        lambda: controller.main_window.connection_indicator.state_name == "ONLINE")
    core = controller.core
    cache_path = core.profile.cache_path
    assert cache_path.exists()

    # The same user, on another computer, ends this device's session.
    with httpx.Client(base_url=practice.url + "/api/v1", timeout=10) as other:
        body = other.post("/auth/login", json={"email": practice.staff_email,
                                               "password": practice.password}).json()
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        sessions = other.get("/auth/sessions", headers=headers).json()
        (this_device,) = [s for s in sessions if not s["current"]]
        assert other.delete(f"/auth/sessions/{this_device['id']}",
                            headers=headers).status_code == 204

    core.request_sync()  # the next sync (or socket reconnect) learns it
    qt_loop.wait_until(lambda: controller.login_dialog is not None
                       and controller.login_dialog.isVisible()
                       and bool(controller.login_dialog.error_text()))
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.error_text() == ("Dieses Gerät wurde abgemeldet; die lokalen Daten wurden "
                                   "gelöscht.")
    assert not controller.main_window.isVisible()
    assert not cache_path.exists()
    assert not core.has_stored_login()
    # Signing in again works and shows the (freshly synced) window.
    dialog.password_edit.setText(practice.password)
    dialog.submit_button.click()
    qt_loop.wait_until(lambda: controller.main_window.isVisible())
    qt_loop.wait_until(lambda: cache_path.exists())
    assert controller.reporter.reported == []
