"""Settings → devices of the practice (admins): every team member's signed-in computers, and
logging one out, against the real server, core and keyring."""

from __future__ import annotations

import httpx

from tests.ui.conftest import ControllerFactory, PracticeAccounts, QtLoop, sign_in
from ui.app_controller import AppController
from ui.practice_devices_section import PracticeDevicesSection
from ui.practice_sessions_model import PracticeSessionsModel

API = "/api/v1"


def _login(accounts: PracticeAccounts, email: str, device: str) -> httpx.Client:
    http = httpx.Client(base_url=accounts.url + API, timeout=10)
    body = http.post("/auth/login", json={"email": email, "password": accounts.password,
                                          "device_name": device}).json()
    http.headers["Authorization"] = f"Bearer {body['access_token']}"
    return http


def _open_devices(qt_loop: QtLoop, controller: AppController,
                  rows: int) -> PracticeDevicesSection:
    section = controller.main_window.settings_page.devices
    controller.main_window.show_page("settings")
    qt_loop.wait_until(lambda: section.model.rowCount() == rows)
    return section


def _cells(section: PracticeDevicesSection) -> list[tuple[str, str]]:
    model = section.model
    return [(str(model.index(r, PracticeSessionsModel.USER).data()),
             str(model.index(r, PracticeSessionsModel.DEVICE).data()))
            for r in range(model.rowCount())]


def test_admin_logs_out_a_team_members_device(qt_loop: QtLoop,
                                              make_controller: ControllerFactory,
                                              practice: PracticeAccounts) -> None:
    reception = _login(practice, practice.staff_email, "Empfang-PC")
    try:
        controller = make_controller()
        sign_in(qt_loop, controller, practice, email=practice.admin_email)
        section = _open_devices(qt_loop, controller, rows=2)
        assert section.isVisible()
        assert section.title() == "Geräte der Praxis"
        cells = _cells(section)
        assert ("Jonas Klein", "Empfang-PC") in cells
        own = next(r for r, (user, _d) in enumerate(cells) if user == "Dr. Anna Weber")
        assert cells[own][1].endswith("(dieses Gerät)")
        # One's own device is logged out with "Abmelden", not from here.
        section.table.selectRow(own)
        assert not section.revoke_button.isEnabled()
        assert section.current_hint.isVisible()

        section.table.selectRow(cells.index(("Jonas Klein", "Empfang-PC")))
        assert section.revoke_button.isEnabled()
        section.revoke_button.click()
        box = section.confirm_box
        assert box is not None
        assert "Empfang-PC" in box.text()
        assert "lokalen Daten" in box.text()
        confirm = next(b for b in box.buttons() if b.text() == "Abmelden und Daten löschen")
        confirm.click()
        qt_loop.wait_until(lambda: section.model.rowCount() == 1)
        assert _cells(section)[0][0] == "Dr. Anna Weber"
        # The reception PC is refused at its next contact.
        assert reception.get("/me").status_code == 401
    finally:
        reception.close()


def test_staff_do_not_see_the_practice_devices(qt_loop: QtLoop,
                                               make_controller: ControllerFactory,
                                               practice: PracticeAccounts) -> None:
    controller = make_controller()
    sign_in(qt_loop, controller, practice)
    controller.main_window.show_page("settings")
    qt_loop.wait_until(lambda: controller.main_window.settings_page.security.isVisible())
    assert not controller.main_window.settings_page.devices.isVisible()
