from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_server.app import create_app
from backend_server.clock import MutableClock
from backend_server.config import Settings
from tests.server.harness import Account, Harness

FAST = {"calls_poll_seconds": 0.05, "calls_download_backoff_seconds": 0.05}


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Harness]:
    """The in-process server with a quick call worker."""
    clock = MutableClock()
    settings = Settings(data_dir=tmp_path / "data", database_url="", **FAST)  # type: ignore[arg-type]
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=tmp_path / "data",
                          settings=settings)


async def upload_key(server: Harness, admin: Account) -> str:
    response = await server.client.post("/api/v1/telephony/upload-key", headers=admin.headers)
    assert response.status_code == 200, response.text
    return str(response.json()["api_key"])


async def upload(server: Harness, key: str, wav: bytes, *, caller: str = "+4917612345678",
                 **fields: str) -> httpx.Response:
    return await server.client.post(
        "/api/v1/telephony/upload", headers={"X-Api-Key": key},
        data={"caller": caller, **fields}, files={"file": ("anruf.wav", wav, "audio/wav")})


async def wait_call(server: Harness, account: Account, call_id: str,
                    done: Callable[[dict[str, Any]], bool], *,
                    timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = await server.client.get(f"/api/v1/calls/{call_id}", headers=account.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if done(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"call {call_id} did not get there in time: {body}")
        await asyncio.sleep(0.05)
