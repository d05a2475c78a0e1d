"""Every way a login or call can fail reaches the caller as its own error type."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import httpx
import pyotp
import pytest

from app.api.client import ApiClient
from app.api.errors import (
    AccountLocked,
    CertificateError,
    InsecureTransport,
    InvalidCredentials,
    InvalidTotp,
    ServerUnreachable,
    TotpRequired,
)
from app.core import ClientCore
from app.events import EventBus
from app.secrets import SecretStore
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice
from tests.support.live_server import LiveServer


async def test_wrong_password_and_lockout(practice: Practice) -> None:
    api = ApiClient(practice.server.url)
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await api.login(practice.staff_email, "wrong password")
    with pytest.raises(AccountLocked) as locked:
        await api.login(practice.staff_email, PASSWORD)  # even the right password
    assert 14 * 60 < locked.value.retry_after <= 15 * 60
    await api.aclose()


async def test_totp_required_then_accepted(practice: Practice) -> None:
    api = ApiClient(practice.server.url)
    await api.login(practice.admin_email, PASSWORD)
    enrol = await api.request("POST", "/auth/totp/enroll")
    totp = pyotp.TOTP(enrol["secret"])
    await api.request("POST", "/auth/totp/confirm", json={"code": totp.now()})

    with pytest.raises(TotpRequired):
        await api.login(practice.admin_email, PASSWORD)
    with pytest.raises(InvalidTotp):
        await api.login(practice.admin_email, PASSWORD, totp="000000")
    practice.server.clock.advance(timedelta(seconds=31))  # a fresh code: codes are single-use
    tokens = await api.login(practice.admin_email, PASSWORD, totp=totp.at(
        practice.server.clock.now()))
    assert tokens.user["email"] == practice.admin_email
    await api.aclose()


async def test_unreachable_server() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = ApiClient(f"http://127.0.0.1:{port}", timeout=2)
    with pytest.raises(ServerUnreachable):
        await api.health()
    await api.aclose()


async def test_plain_http_to_another_host_is_refused_before_connecting() -> None:
    # praxis.example would not even resolve; the refusal must come before any attempt.
    with pytest.raises(InsecureTransport):
        ApiClient("http://praxis.example:8765")
    ApiClient("http://127.0.0.1:1")  # loopback is fine
    ApiClient("http://[::1]:1")


async def test_self_signed_certificate(live_server_tls: LiveServer) -> None:
    api = ApiClient(live_server_tls.url)
    with pytest.raises(CertificateError):
        await api.health()
    await api.aclose()
    assert live_server_tls.cert_path is not None
    trusted = ApiClient(live_server_tls.url, ca_file=str(live_server_tls.cert_path))
    assert (await trusted.health())["status"] == "ok"
    await trusted.aclose()


async def test_access_token_refresh_rotates_the_stored_refresh_token(
        tmp_path: Path, practice: Practice) -> None:
    core = ClientCore(Profile(tmp_path / "p"), EventBus())
    await core.login(practice.server.url, practice.admin_email, PASSWORD)
    store = SecretStore(core.profile.id, practice.server.url, practice.admin_email)
    first = store.get_refresh_token()
    assert first

    core.api.access_token = "expired-or-garbage"
    me = await core.api.me()  # 401 not_authenticated -> refresh -> retry
    assert me["email"] == practice.admin_email
    second = store.get_refresh_token()
    assert second
    assert second != first
    await core.close()

    # The rotated-away token is dead: presenting it again kills the session.
    async with httpx.AsyncClient(base_url=practice.server.url) as http:
        r = await http.post("/api/v1/auth/refresh", json={"refresh_token": first})
        assert r.json()["code"] == "refresh_token_reused"
        r = await http.post("/api/v1/auth/refresh", json={"refresh_token": second})
        assert r.status_code == 401
