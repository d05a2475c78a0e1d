"""A live server with short event intervals, and a small websocket client for the tests."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.live_server import LiveServer

PASSWORD = "correct horse battery"

# Short enough that tests of pings, hello timeouts and expiry take well under a second.
FAST_EVENTS: dict[str, Any] = {
    "events_hello_timeout_seconds": 0.5,
    "events_ping_seconds": 0.3,
    "events_token_check_seconds": 0.05,
    "events_poll_seconds": 0.2,
}


def ws_url(server: LiveServer) -> str:
    return server.url.replace("http://", "ws://", 1) + "/api/v1/events"


@dataclass
class Staff:
    server: LiveServer
    practice_id: str
    user_id: str
    access_token: str
    http: httpx.AsyncClient = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    async def conversation(self, name: str = "Erika Mustermann") -> str:
        patient = await self.http.post("/api/v1/patients", headers=self.headers,
                                       json={"name": name, "dob": "1984-08-12"})
        assert patient.status_code == 201, patient.text
        conv = await self.http.post("/api/v1/conversations", headers=self.headers,
                                    json={"patient_id": patient.json()["id"]})
        assert conv.status_code == 201, conv.text
        return str(conv.json()["id"])

    async def post_message(self, conversation_id: str, text: str) -> str:
        response = await self.http.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            headers={**self.headers, "Idempotency-Key": str(uuid.uuid4())}, json={"text": text})
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def changes(self, cursor: str = "", limit: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        response = await self.http.get("/api/v1/sync/changes", headers=self.headers,
                                       params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def current_cursor(self) -> str:
        cursor = ""
        for _ in range(100):
            page = await self.changes(cursor, limit=5000)
            cursor = page["cursor"]
            if not page["has_more"]:
                return cursor
        raise AssertionError("the change log did not end")


async def staff_of(server: LiveServer, http: httpx.AsyncClient, practice_id: str | None = None,
                   role: str = "admin") -> Staff:
    practice_id = practice_id or await asyncio.to_thread(server.create_practice,
                                                         f"Praxis {uuid.uuid4().hex[:6]}")
    email = f"{uuid.uuid4().hex[:10]}@praxis.example"
    user_id = await asyncio.to_thread(server.create_user, practice_id, email, role, PASSWORD)
    response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return Staff(server, practice_id, user_id, response.json()["access_token"], http)


class EventSocket:
    """A raw client of /api/v1/events that keeps every frame it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, server: LiveServer, token: str, cursor: str = "") -> EventSocket:
        ws = await connect(ws_url(server), open_timeout=5)
        await ws.send(json.dumps({"type": "hello", "access_token": token, "cursor": cursor}))
        return cls(ws)

    async def next_frame(self, timeout: float = 2.0, *, skip_pings: bool = True
                         ) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                frame: dict[str, Any] = json.loads(await self.ws.recv())
                self.frames.append(frame)
                if not (skip_pings and frame.get("type") == "ping"):
                    return frame

    async def changes_until(self, predicate: Any, timeout: float = 3.0) -> list[dict[str, Any]]:
        """Every change received until ``predicate(all changes so far)`` holds."""
        got: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while not predicate(got):
                frame = await self.next_frame(timeout)
                if frame["type"] == "changes":
                    got += frame["changes"]
        return got

    async def caught_up(self, timeout: float = 3.0) -> tuple[list[dict[str, Any]], str]:
        """Changes frames up to the first with has_more false: (changes, cursor)."""
        got: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.next_frame(timeout)
                if frame["type"] != "changes":
                    continue
                got += frame["changes"]
                if not frame["has_more"]:
                    return got, str(frame["cursor"])

    async def close_code(self, timeout: float = 3.0) -> int | None:
        """Waits for the server to close (None: still open after ``timeout``); frames
        arriving meanwhile are kept."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self.frames.append(json.loads(await self.ws.recv()))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None
        except TimeoutError:
            return None

    async def close(self) -> None:
        await self.ws.close()


def message_ids(changes: list[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in changes if c["kind"] == "message"]
