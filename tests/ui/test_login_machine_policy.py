"""The sign-in dialog offers the server IT configured for the machine, unless the user chose one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.machine_policy import ENV_POLICY_FILE, ENV_SERVER_URL
from tests.ui.conftest import ControllerFactory

POLICY_URL = "https://praxis-weber.example.de"


@pytest.fixture
def machine_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_SERVER_URL, raising=False)
    policy = tmp_path / "client.json"
    policy.write_text(json.dumps({"server_url": POLICY_URL + "/"}), encoding="utf-8")
    monkeypatch.setenv(ENV_POLICY_FILE, str(policy))


@pytest.mark.usefixtures("machine_policy")
def test_login_dialog_offers_the_machine_policy_server(
        make_controller: ControllerFactory) -> None:
    controller = make_controller()
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.server_edit.text() == POLICY_URL


@pytest.mark.usefixtures("machine_policy")
def test_the_users_own_server_wins_over_machine_policy(
        tmp_path: Path, make_controller: ControllerFactory) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.json").write_text(
        json.dumps({"server_url": "https://eigener-server.example.de"}), encoding="utf-8")
    controller = make_controller("profile")
    controller.start()
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.server_edit.text() == "https://eigener-server.example.de"
