"""The machine-wide server URL IT sets (env, registry, plist, /etc JSON) and its precedence."""

from __future__ import annotations

import json
import logging
import plistlib
from pathlib import Path

import pytest

from app.machine_policy import ENV_POLICY_FILE, ENV_SERVER_URL, machine_server_url
from app.settings import DEFAULT_SERVER_URL, UserSettings

POLICY_URL = "https://praxis-weber.example.de"


def _json_policy(tmp_path: Path, content: object, name: str = "client.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.fixture
def no_env_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No env URL, and the policy file looked up in tmp_path (never the real /etc)."""
    monkeypatch.delenv(ENV_SERVER_URL, raising=False)
    path = tmp_path / "client.json"
    monkeypatch.setenv(ENV_POLICY_FILE, str(path))
    return path


def test_linux_policy_file_sets_the_default(tmp_path: Path) -> None:
    path = _json_policy(tmp_path, {"server_url": POLICY_URL + "/"})
    assert machine_server_url(environ={}, platform="linux", policy_file=path) == POLICY_URL


def test_environment_wins_over_the_policy_file(tmp_path: Path) -> None:
    path = _json_policy(tmp_path, {"server_url": POLICY_URL})
    environ = {ENV_SERVER_URL: "https://other.example.de"}
    assert machine_server_url(environ=environ, platform="linux",
                              policy_file=path) == "https://other.example.de"


def test_policy_file_location_comes_from_the_environment(tmp_path: Path) -> None:
    path = _json_policy(tmp_path, {"server_url": POLICY_URL}, name="elsewhere.json")
    assert machine_server_url(environ={ENV_POLICY_FILE: str(path)},
                              platform="linux") == POLICY_URL


def test_macos_plist_sets_the_default(tmp_path: Path) -> None:
    path = tmp_path / "de.praxisdesk.client.plist"
    path.write_bytes(plistlib.dumps({"ServerUrl": POLICY_URL}, fmt=plistlib.FMT_BINARY))
    assert machine_server_url(environ={}, platform="darwin", policy_file=path) == POLICY_URL
    # The XML form (what `defaults` or an MDM profile may leave) reads the same.
    path.write_bytes(plistlib.dumps({"ServerUrl": POLICY_URL}, fmt=plistlib.FMT_XML))
    assert machine_server_url(environ={}, platform="darwin", policy_file=path) == POLICY_URL


def test_no_policy_anywhere_means_none(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    missing = tmp_path / "absent.json"
    assert machine_server_url(environ={}, platform="linux", policy_file=missing) is None
    # An MSI installed without SERVER_URL leaves an empty value: no policy, nothing to warn.
    empty = _json_policy(tmp_path, {"server_url": ""})
    assert machine_server_url(environ={ENV_SERVER_URL: ""}, platform="linux",
                              policy_file=empty) is None
    assert caplog.records == []


def test_windows_reads_no_unix_policy_file(tmp_path: Path) -> None:
    # On Windows the registry is the only machine source (off Windows there is none to read);
    # a JSON file lying around must not be taken for policy.
    path = _json_policy(tmp_path, {"server_url": POLICY_URL})
    assert machine_server_url(environ={}, platform="win32", policy_file=path) != POLICY_URL
    assert machine_server_url(environ={ENV_SERVER_URL: POLICY_URL}, platform="win32",
                              policy_file=path) == POLICY_URL


@pytest.mark.parametrize("content", [
    b"{\"server_url\": \"https://praxis",  # cut off mid-write
    b"\xff\xfe not utf-8",
    b"[\"https://praxis.example.de\"]",  # valid JSON, wrong shape
    b"",
])
def test_damaged_linux_policy_file_is_ignored_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes) -> None:
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    path = tmp_path / "client.json"
    path.write_bytes(content)
    assert machine_server_url(environ={}, platform="linux", policy_file=path) is None
    assert any("machine policy" in r.getMessage() and "ignored" in r.getMessage()
               for r in caplog.records)


def test_damaged_plist_is_ignored_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    path = tmp_path / "de.praxisdesk.client.plist"
    path.write_bytes(b"bplist00\x00\x01garbage")
    assert machine_server_url(environ={}, platform="darwin", policy_file=path) is None
    assert any("damaged" in r.getMessage() for r in caplog.records)


def test_unreadable_policy_path_is_ignored_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    a_directory = tmp_path / "client.json"
    a_directory.mkdir()
    assert machine_server_url(environ={}, platform="linux", policy_file=a_directory) is None
    assert any("unreadable" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("value", [
    "praxis.example.de",  # no scheme
    "ftp://praxis.example.de",
    "https://",  # no host
    "https://praxis example.de",
    "https://praxis.example.de:notaport",
    42,
    {"url": POLICY_URL},
])
def test_values_that_are_not_http_urls_are_ignored(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, value: object) -> None:
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    path = _json_policy(tmp_path, {"server_url": value})
    assert machine_server_url(environ={}, platform="linux", policy_file=path) is None
    assert any("not an http(s) URL" in r.getMessage() for r in caplog.records)


def test_a_bad_environment_value_falls_through_to_the_policy_file(tmp_path: Path) -> None:
    path = _json_policy(tmp_path, {"server_url": POLICY_URL})
    assert machine_server_url(environ={ENV_SERVER_URL: "not a url"}, platform="linux",
                              policy_file=path) == POLICY_URL


def test_a_broken_policy_is_warned_about_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The client asks for the server URL on every sync reconnect: no log flood.
    caplog.set_level(logging.WARNING, logger="app.machine_policy")
    path = tmp_path / "client.json"
    path.write_text("{", encoding="utf-8")
    for _ in range(5):
        assert machine_server_url(environ={}, platform="linux", policy_file=path) is None
    assert len(caplog.records) == 1


def test_precedence_user_setting_then_machine_policy_then_default(
        tmp_path: Path, no_env_policy: Path) -> None:
    settings = UserSettings(path=tmp_path / "settings.json")
    assert settings.effective_server_url() == DEFAULT_SERVER_URL

    no_env_policy.write_text(json.dumps({"server_url": POLICY_URL}), encoding="utf-8")
    assert settings.effective_server_url() == POLICY_URL

    settings.server_url = "https://eigener-server.example.de"
    assert settings.effective_server_url() == "https://eigener-server.example.de"


def test_damaged_policy_leaves_the_client_on_the_default(
        tmp_path: Path, no_env_policy: Path) -> None:
    no_env_policy.write_bytes(b"\x00\x01 not json")
    settings = UserSettings.load(tmp_path / "settings.json")
    assert settings.effective_server_url() == DEFAULT_SERVER_URL
