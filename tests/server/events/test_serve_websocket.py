"""``praxisdesk-server serve`` (the command IT runs) serves the event websocket, and a
subprocess's demo login can follow it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench.startup import free_port, wait_healthy


async def test_serve_answers_the_event_stream(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend_server", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--data-dir", str(tmp_path / "data"), "--demo"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, proc)
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            login = await http.post("/api/v1/auth/login", json={
                "email": "empfang@demo.praxisdesk.de", "password": "demo-empfang-2024"})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
        async with connect(f"ws://127.0.0.1:{port}/api/v1/events", open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "hello", "access_token": token, "cursor": ""}))
            frame = json.loads(await ws.recv(decode=True))
            # No per-message compression: each frame would be compressed once per socket.
            assert ws.response is not None
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert frame["type"] == "changes"
    kinds = {c["kind"] for c in frame["changes"]}
    assert {"user", "patient", "conversation", "message"} <= kinds
