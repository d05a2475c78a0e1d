"""Seeding the real server for the client inbox tests: through its REST API where a test is
about the API, through its own services where thousands of rows are needed quickly."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from backend_server.conversations import service as conversations
from backend_server.models.message import Message
from backend_server.patients import service as patients
from tests.app.conftest import PASSWORD, Practice

API = "/api/v1"


class Staff:
    """A staff member's own HTTP session (not the client under test)."""

    def __init__(self, practice: Practice, email: str | None = None) -> None:
        self.http = httpx.Client(base_url=practice.server.url + API, timeout=10)
        body = self.http.post("/auth/login", json={"email": email or practice.staff_email,
                                                   "password": PASSWORD}).json()
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        self.user_id = str(body["user"]["id"])

    def close(self) -> None:
        self.http.close()

    def patient(self, name: str, dob: str = "1970-05-04", **extra: Any) -> dict[str, Any]:
        r = self.http.post("/patients", json={"name": name, "dob": dob, **extra})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def conversation(self, patient_id: str) -> dict[str, Any]:
        r = self.http.post("/conversations", json={"patient_id": patient_id})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def send(self, conversation_id: str, text: str) -> dict[str, Any]:
        r = self.http.post(f"/conversations/{conversation_id}/messages", json={"text": text},
                           headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        r = self.http.get(f"/conversations/{conversation_id}/messages", params={"limit": 1000})
        assert r.status_code == 200, r.text
        return list(r.json()["items"])


def patient_writes(practice: Practice, token: str, text: str) -> None:
    r = httpx.post(f"{practice.server.url}{API}/p/{token}/messages", json={"text": text},
                   headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10)
    assert r.status_code == 201, r.text


def seed_many(practice: Practice, conversation_count: int, per_conversation: int) -> list[str]:
    """Bulk data through the server's services (one transaction); returns conversation ids."""
    server = practice.server
    ctx = server._ctx

    async def seed() -> list[str]:
        ids: list[str] = []
        now = server.clock.now()
        async with ctx.db.session(practice_id=practice.practice_id) as session:
            for n in range(conversation_count):
                start = now - timedelta(days=2, minutes=n)
                patient = await patients.create_patient(
                    session, practice_id=practice.practice_id, name=f"Patientin Nr {n}",
                    dob=date(1960, 1, 1 + n % 28), email=None, phone=None, now=start,
                    actor_user_id=None)
                issued = await conversations.create_conversation(
                    session, practice_id=practice.practice_id, patient_id=patient.id,
                    now=start, link_ttl=timedelta(days=30), actor_user_id=None)
                # Rows straight into the session, one flush per conversation: posting them
                # one by one through the service would take minutes for thousands.
                session.add_all([
                    Message(practice_id=practice.practice_id,
                            conversation_id=issued.conversation.id, author="patient",
                            text=f"Nachricht {m} in Gespräch {n}", idempotency_key=f"seed-{m}",
                            request_hash=f"seed-{m}",
                            created_at=start + timedelta(seconds=m + 1))
                    for m in range(per_conversation)])
                issued.conversation.last_activity_at = start + timedelta(seconds=per_conversation)
                await session.flush()
                ids.append(issued.conversation.id)
            await session.commit()
        return ids

    return server._run(seed())
