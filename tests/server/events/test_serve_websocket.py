"""``praxisdesk-server serve`` (the command IT runs) serves the event websocket."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from bench.startup import free_port, wait_healthy


@pytest.fixture
def served_demo(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend_server", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--data-dir", str(tmp_path / "data"), "--demo"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


async def test_serve_answers_the_event_stream(served_demo: str) -> None:
    async with httpx.AsyncClient(base_url=served_demo, timeout=10) as http:
        login = await http.post("/api/v1/auth/login", json={
            "email": "empfang@demo.praxisdesk.de", "password": "demo-empfang-2024"})
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
    ws_url = served_demo.replace("http://", "ws://") + "/api/v1/events"
    async with connect(ws_url, open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "hello", "access_token": token, "cursor": ""}))
        frame = json.loads(await ws.recv(decode=True))
        # No per-message compression: each frame would be compressed once per socket.
        assert ws.response is not None
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
    assert frame["type"] == "changes"
    kinds = {c["kind"] for c in frame["changes"]}
    assert {"user", "patient", "conversation", "message"} <= kinds
