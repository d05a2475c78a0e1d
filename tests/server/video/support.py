"""A practice with a physician, a staff member and a patient on a live server, and a small
signalling client for the video tests."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.live_server import LiveServer

PASSWORD = "correct horse battery"


@dataclass
class Login:
    user_id: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@dataclass
class Practice:
    server: LiveServer
    http: httpx.AsyncClient
    practice_id: str
    physician: Login
    staff: Login
    admin: Login

    async def patient(self, name: str = "Erika Mustermann", email: str | None = None) -> str:
        body: dict[str, Any] = {"name": name, "dob": "1984-08-12"}
        if email:
            body["email"] = email
        response = await self.http.post("/api/v1/patients", headers=self.staff.headers,
                                         json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def appointment(self, patient_id: str | None = None, *,
                          at: datetime | None = None) -> dict[str, Any]:
        at = at or self.server.clock.now() + timedelta(minutes=10)
        response = await self.http.post(
            "/api/v1/video/appointments", headers=self.staff.headers,
            json={"patient_id": patient_id or await self.patient(),
                  "scheduled_at": at.isoformat()})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def _login(server: LiveServer, practice_id: str, role: str) -> Login:
    email = f"{uuid.uuid4().hex[:10]}@praxis.example"
    user_id = server.create_user(practice_id, email, role, PASSWORD)
    response = httpx.post(f"{server.url}/api/v1/auth/login",
                          json={"email": email, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return Login(user_id, response.json()["access_token"])


def make_practice(server: LiveServer) -> PracticeLogins:
    """Synchronous (module-scoped fixtures): logins cost ~1 s each (argon2), so a module
    shares them."""
    practice_id = server.create_practice(f"Praxis {uuid.uuid4().hex[:6]}")
    return PracticeLogins(practice_id, _login(server, practice_id, "physician"),
                          _login(server, practice_id, "staff"),
                          _login(server, practice_id, "admin"))


@dataclass
class PracticeLogins:
    practice_id: str
    physician: Login
    staff: Login
    admin: Login

    def on(self, server: LiveServer, http: httpx.AsyncClient) -> Practice:
        return Practice(server, http, self.practice_id, self.physician, self.staff,
                        self.admin)


def token_of(link: str) -> str:
    return link.rsplit("/v/", 1)[1]


class Signal:
    """A raw signalling client that keeps what it received."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []

    @classmethod
    async def physician(cls, server: LiveServer, appointment_id: str,
                        access_token: str) -> Signal:
        url = (server.url.replace("http://", "ws://", 1)
               + f"/api/v1/video/appointments/{appointment_id}/signal")
        ws = await connect(url, open_timeout=5, max_size=None)
        await ws.send(json.dumps({"type": "hello", "access_token": access_token}))
        return cls(ws)

    @classmethod
    async def patient(cls, server: LiveServer, token: str, name: str = "Erika Mustermann",
                      ) -> Signal:
        url = server.url.replace("http://", "ws://", 1) + f"/v/{token}/signal"
        ws = await connect(url, open_timeout=5, max_size=None)
        await ws.send(json.dumps({"type": "hello", "name": name}))
        return cls(ws)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def next(self, timeout: float = 3.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            frame: dict[str, Any] = json.loads(await self.ws.recv())
        self.frames.append(frame)
        return frame

    async def close_code(self, timeout: float = 3.0) -> int | None:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self.frames.append(json.loads(await self.ws.recv()))
        except ConnectionClosed:
            pass
        return self.ws.close_code
