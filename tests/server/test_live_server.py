"""The live-server fixtures other areas build on: real uvicorn on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, start_live_server


def test_live_server_logs_in_and_its_clock_moves(live_server: LiveServer) -> None:
    practice = live_server.create_practice("Praxis Live")
    live_server.create_user(practice, "live@example.org", "admin", "live password",
                            display_name="Live Admin")
    with httpx.Client(base_url=live_server.url) as client:
        login = client.post("/api/v1/auth/login", json={"email": "live@example.org",
                                                        "password": "live password"})
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert client.get("/api/v1/me", headers=headers).json()["display_name"] == "Live Admin"
        live_server.clock.advance(timedelta(minutes=16))
        assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert (live_server.data_dir / "praxisdesk.sqlite3").exists()


async def test_live_server_helpers_work_inside_async_tests(live_server: LiveServer) -> None:
    practice = live_server.create_practice("Praxis Async")
    live_server.create_user(practice, "async@example.org", "staff", "async password")
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        login = await client.post("/api/v1/auth/login", json={"email": "async@example.org",
                                                              "password": "async password"})
        assert login.status_code == 200


def test_tls_live_server_is_trusted_only_via_its_cert(live_server_tls: LiveServer) -> None:
    assert live_server_tls.url.startswith("https://127.0.0.1:")
    assert live_server_tls.cert_path is not None
    response = httpx.get(f"{live_server_tls.url}/api/v1/health",
                         verify=live_server_tls.verify())
    assert response.json()["status"] == "ok"
    # An unknown self-signed certificate must not be trusted.
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{live_server_tls.url}/api/v1/health")


def test_start_is_fast_and_stop_frees_the_port(tmp_path: Path) -> None:
    started = time.perf_counter()
    server = start_live_server(tmp_path)
    assert time.perf_counter() - started < 1.0
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/api/v1/health", timeout=1)
