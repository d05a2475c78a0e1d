"""The IT guide says what the code does: the silent install, where settings and data live,
the port, the service names. Facts are read from the code and the packaging files, so a
change there that the guide does not follow fails here."""

from __future__ import annotations

import runpy
from pathlib import Path

import platformdirs.macos
import platformdirs.windows
import pytest

from app.settings import DEFAULT_SERVER_URL
from backend_server.cli import build_parser

REPO_ROOT = Path(__file__).resolve().parents[2]
GUIDE = REPO_ROOT / "docs" / "it-guide.md"
UNIT = REPO_ROOT / "packaging" / "linux" / "praxisdesk-server.service"


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_guide_walks_through_a_silent_windows_install_upgrade_and_removal() -> None:
    text = _guide()
    assert ("msiexec /i praxisdesk-<version>-windows-x64.msi /qn "
            "SERVER_URL=https://praxis.example:8765/") in text
    assert "/l*v" in text  # the installer's log for support
    assert "msiexec /x praxisdesk-<version>-windows-x64.msi /qn" in text
    assert r"HKLM\Software\Praxisdesk\ServerUrl" in text
    assert "SERVER_URL` bleibt erhalten" in text  # upgrades keep it


def test_guide_states_the_settings_precedence_and_the_policy_locations() -> None:
    text = _guide()
    assert "Benutzereinstellung > Maschinenrichtlinie > eingebauter Standard" in text
    assert f"`{DEFAULT_SERVER_URL}`" in text
    bundle_id = runpy.run_path(str(REPO_ROOT / "packaging" / "macos" / "info_plist.py"))[
        "BUNDLE_ID"]
    assert f"/Library/Preferences/{bundle_id}.plist" in text
    assert f"defaults write /Library/Preferences/{bundle_id} ServerUrl" in text
    assert "/etc/praxisdesk/client.json" in text
    assert "PRAXISDESK_SERVER_URL" in text


def test_guide_names_the_servers_port_data_dirs_and_logs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = _guide()
    serve = build_parser().parse_args(["serve"])
    assert f"{serve.port}/TCP" in text
    assert f"Environment=SERVE_PORT={serve.port}" in UNIT.read_text(encoding="utf-8")
    # The machine-wide dirs platformdirs gives a service on Windows and macOS.
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        lambda csidl: {"CSIDL_COMMON_APPDATA": "C:\\ProgramData"}[csidl])
    windows = platformdirs.windows.Windows("praxisdesk-server", appauthor=False).site_data_dir
    assert windows.replace("/", "\\") in text
    mac = platformdirs.macos.MacOS("praxisdesk-server", appauthor=False).site_data_dir
    assert mac in text
    assert "/var/lib/praxisdesk" in text
    assert "StateDirectory=praxisdesk\n" in UNIT.read_text(encoding="utf-8")
    assert f"journalctl -u {UNIT.stem}" in text
    assert (REPO_ROOT / "packaging" / "linux" / "praxisdesk-server-admin").is_file()
    for support in ("praxisdesk doctor --json", "praxisdesk --self-test"):
        assert support in text


def test_readme_links_the_guide() -> None:
    assert "(docs/it-guide.md)" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
