"""The client tells (never blocks) when the server's release is outside what it supports."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import __version__
from app.api.errors import InvalidCredentials
from app.core import ClientCore, ConnectionState
from app.events import EventBus
from app.server_compat import (
    MAX_SERVER_VERSION_EXCLUSIVE,
    MIN_SERVER_VERSION,
    SUPPORTED_API_VERSION,
    Compatibility,
    Verdict,
    check_server,
    parse_version,
)
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, wait_for
from tests.support.live_server import LiveServer, start_live_server

# -- the parser and the verdicts ------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("0.1.0", (0, 1, 0)),
    ("0.2", (0, 2, 0)),
    ("1", (1, 0, 0)),
    ("v0.1.3", (0, 1, 3)),
    (" 0.1.0 ", (0, 1, 0)),
    ("0.2.0rc1", (0, 2, 0)),
    ("0.2.0-rc.1", (0, 2, 0)),
    ("0.1.0.dev3", (0, 1, 0)),
    ("0.1.0b2", (0, 1, 0)),
    ("0.1.0+local", (0, 1, 0)),
    ("0.1.0rc1+praxis.7", (0, 1, 0)),
    ("0.1.0.0", (0, 1, 0)),
    ("0.1.0.4", (0, 1, 0, 4)),
    ("10.20.30", (10, 20, 30)),
])
def test_versions_are_read_with_their_suffixes(text: str, expected: tuple[int, ...]) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "banana", "0.1.0 beta version", "0..1", ".1.0", "0.1.0+", "0.1.0-",
    "1.2.3.4.5", "0.1.0; drop table", "९.१.०", None, 1, 0.1, ["0.1.0"], "0.1.0" * 20,
])
def test_garbled_versions_are_not_versions(text: object) -> None:
    assert parse_version(text) is None


def test_the_supported_range_is_itself_well_formed() -> None:
    low, high = parse_version(MIN_SERVER_VERSION), parse_version(MAX_SERVER_VERSION_EXCLUSIVE)
    assert low is not None
    assert high is not None
    assert low <= parse_version(__version__)  # type: ignore[operator]
    assert parse_version(__version__) < high  # type: ignore[operator]  # our own server fits
    assert SUPPORTED_API_VERSION == 1


@pytest.mark.parametrize(("health", "verdict"), [
    ({"status": "ok", "version": __version__, "api_version": 1}, Verdict.OK),
    ({"status": "ok", "version": "0.1.0", "api_version": 1}, Verdict.OK),
    ({"status": "ok", "version": "0.1.9+praxis", "api_version": 1}, Verdict.OK),
    ({"status": "ok", "version": "0.1.0rc2", "api_version": 1}, Verdict.OK),
    ({"status": "ok", "version": "0.1.0"}, Verdict.OK),  # before api_version existed
    ({"status": "ok", "version": "0.0.9", "api_version": 1}, Verdict.SERVER_TOO_OLD),
    ({"status": "ok", "version": "0.0.9"}, Verdict.SERVER_TOO_OLD),
    ({"status": "ok", "version": "0.2.0", "api_version": 1}, Verdict.SERVER_TOO_NEW),
    ({"status": "ok", "version": "0.2.0rc1", "api_version": 1}, Verdict.SERVER_TOO_NEW),
    ({"status": "ok", "version": "0.3.0", "api_version": 1}, Verdict.SERVER_TOO_NEW),
    ({"status": "ok", "version": "1.0.0", "api_version": 1}, Verdict.SERVER_TOO_NEW),
    # The wire generation decides even when the release number is in range.
    ({"status": "ok", "version": "0.1.5", "api_version": 2}, Verdict.SERVER_TOO_NEW),
    ({"status": "ok", "version": "0.1.5", "api_version": 0}, Verdict.SERVER_TOO_OLD),
    ({"status": "ok", "version": "0.1.5", "api_version": "1"}, Verdict.UNKNOWN),
    ({"status": "ok", "version": "0.1.5", "api_version": True}, Verdict.UNKNOWN),
    ({"status": "ok"}, Verdict.UNKNOWN),
    ({"status": "ok", "version": None}, Verdict.UNKNOWN),
    ({"status": "ok", "version": "kaputt"}, Verdict.UNKNOWN),
    ({"status": "ok", "version": 2}, Verdict.UNKNOWN),
    ({}, Verdict.UNKNOWN),
    (None, Verdict.UNKNOWN),
    ("<html>Bad gateway</html>", Verdict.UNKNOWN),
    (["0.1.0"], Verdict.UNKNOWN),
])
def test_verdicts(health: Any, verdict: Verdict) -> None:
    result = check_server(health)
    assert result.verdict is verdict
    assert result.ok is (verdict is Verdict.OK)
    assert result.client_version == __version__


def test_the_verdict_names_both_versions_as_reported() -> None:
    result = check_server({"status": "ok", "version": " 0.3.0+praxis ", "api_version": 1})
    assert result == Compatibility(Verdict.SERVER_TOO_NEW, "0.3.0+praxis")
    assert (result.client_version, result.min_server_version,
            result.max_server_version_exclusive) == (__version__, MIN_SERVER_VERSION,
                                                     MAX_SERVER_VERSION_EXCLUSIVE)
    assert check_server({"version": "kaputt"}).server_version == "kaputt"
    assert check_server({"version": 7}).server_version is None


# -- the core against real servers that report other releases ---------------------------


def _practice_on(server: LiveServer) -> Practice:
    practice = Practice(server, server.create_practice("Praxis Dr. Test"))
    server.create_user(practice.practice_id, practice.admin_email, "admin", PASSWORD,
                       "Dr. Anna Test")
    return practice


@pytest.fixture
def newer_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path, version="0.3.0")
    try:
        yield server
    finally:
        server.stop()


def _compat_events(bus: EventBus) -> list[Compatibility]:
    seen: list[Compatibility] = []
    bus.subscribe("server_compat", seen.append)
    return seen


async def test_login_to_our_own_server_is_compatible(
        practice: Practice, profile: Profile, bus: EventBus) -> None:
    seen = _compat_events(bus)
    core = ClientCore(profile, bus)
    try:
        await core.login(practice.server.url, practice.admin_email, PASSWORD)
        assert core.server_compat == Compatibility(Verdict.OK, __version__)
        assert seen == [core.server_compat]
    finally:
        await core.close()


@pytest.mark.parametrize(("version", "verdict"), [
    ("0.3.0", Verdict.SERVER_TOO_NEW),
    ("0.0.9", Verdict.SERVER_TOO_OLD),
    ("kaputt", Verdict.UNKNOWN),
])
async def test_login_to_an_unsupported_server_works_and_says_so(
        tmp_path: Path, profile: Profile, bus: EventBus, version: str,
        verdict: Verdict) -> None:
    server = start_live_server(tmp_path, version=version)
    seen = _compat_events(bus)
    core = ClientCore(profile, bus)
    try:
        practice = _practice_on(server)
        await core.login(server.url, practice.admin_email, PASSWORD)
        assert core.user["email"] == practice.admin_email  # never blocked
        assert core.connection_state is ConnectionState.ONLINE
        assert core.server_compat == Compatibility(verdict, version)
        assert seen == [core.server_compat]
        result = await core.sync_once()  # and the user can work
        assert result.applied >= 1
    finally:
        await core.close()
        server.stop()


async def test_a_failed_login_still_knows_the_servers_release(
        newer_server: LiveServer, profile: Profile, bus: EventBus) -> None:
    """So the login dialog can explain a refusal by an unsupported server."""
    practice = _practice_on(newer_server)
    core = ClientCore(profile, bus)
    try:
        with pytest.raises(InvalidCredentials):
            await core.login(newer_server.url, practice.admin_email, "falsch")
        assert core.server_compat is not None
        assert core.server_compat.verdict is Verdict.SERVER_TOO_NEW
    finally:
        await core.close()


async def test_a_server_updated_while_away_is_judged_again_on_reconnect(
        tmp_path: Path, profile: Profile, bus: EventBus) -> None:
    server = start_live_server(tmp_path)
    seen = _compat_events(bus)
    core = ClientCore(profile, bus)
    core.settings.sync_interval_s = 0.5
    try:
        practice = _practice_on(server)
        await core.login(server.url, practice.admin_email, PASSWORD)
        await core.start()
        await wait_for(lambda: core.connection_state is ConnectionState.ONLINE)
        assert [c.verdict for c in seen] == [Verdict.OK]
        port = int(server.url.rsplit(":", 1)[1])
        server.stop()
        await wait_for(lambda: core.connection_state is ConnectionState.OFFLINE, timeout=10)
        # IT updated the server to a release this client does not know yet.
        server = start_live_server(tmp_path, port=port, version="0.3.0")
        await wait_for(lambda: len(seen) == 2, timeout=20)
        assert seen[1] == Compatibility(Verdict.SERVER_TOO_NEW, "0.3.0")
        assert core.server_compat == seen[1]
        await wait_for(lambda: core.connection_state is ConnectionState.ONLINE, timeout=10)
        # Back to a supported release: the warning is lifted the same way.
        server.stop()
        await wait_for(lambda: core.connection_state is ConnectionState.OFFLINE, timeout=10)
        server = start_live_server(tmp_path, port=port)
        await wait_for(lambda: len(seen) == 3, timeout=20)
        assert seen[2].verdict is Verdict.OK
    finally:
        await core.close()
        server.stop()


async def test_start_with_a_stored_login_judges_the_server(
        newer_server: LiveServer, tmp_path: Path, bus: EventBus) -> None:
    """No login dialog after a restart: the first connection does the check."""
    practice = _practice_on(newer_server)
    first = ClientCore(Profile(tmp_path / "p"), EventBus())
    await first.login(newer_server.url, practice.admin_email, PASSWORD)
    await first.close()
    seen = _compat_events(bus)
    core = ClientCore(Profile(tmp_path / "p"), bus)
    try:
        assert core.server_compat is None
        await core.start()
        await wait_for(lambda: bool(seen))
        assert seen == [Compatibility(Verdict.SERVER_TOO_NEW, "0.3.0")]
        await wait_for(lambda: core.connection_state is ConnectionState.ONLINE)
        await asyncio.sleep(0.2)
        assert len(seen) == 1  # announced once, not on every sync
    finally:
        await core.close()


def test_doctor_reports_an_incompatible_server(newer_server: LiveServer,
                                               tmp_path: Path) -> None:
    env = {**os.environ, "PRAXISDESK_SERVER_URL": newer_server.url}
    r = subprocess.run([sys.executable, "-m", "app", "--profile", str(tmp_path / "p"),
                        "doctor", "--json"], capture_output=True, text=True, env=env,
                       timeout=60, check=False)
    report = json.loads(r.stdout)
    assert report["server_reachable"] is True
    assert report["server_version"] == "0.3.0"
    assert report["server_compatible"] is False
    assert report["server_compatibility"] == "server_too_new"
    assert r.returncode == 1  # IT must look at it, though the client still works
