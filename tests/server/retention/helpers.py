"""Content of every kind, made through the real API at a known moment, and the checks that
tell whether a purge kept or removed it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from backend_server.clock import MutableClock
from backend_server.models.base import Base
from backend_server.retention.purge import PurgeReport, run_purge
from tests.server.attachments.helpers import PDF, patient_upload
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API, new_conversation, new_patient, staff_send, token_of
from tests.server.inquiries.helpers import add_note, staff_inquiry

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)


class StoppedClock(MutableClock):
    """Stands still; tests set or advance it (MutableClock keeps running, which would blur
    the exact 105-day boundary)."""

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self._moment = start

    def now(self) -> datetime:
        with self._lock:
            return self._moment

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._moment += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._moment = moment


@dataclass
class Seeded:
    """One conversation with one item of every kind, all made at the same moment."""

    patient_id: str
    conversation_id: str
    token: str
    staff_message_id: str
    patient_message_id: str
    attachment_id: str
    inquiry_id: str
    note_id: str
    patient_key: str  # the Idempotency-Key the patient was created with


async def seed(server: Harness, staff: Account, marker: str = "Befund") -> Seeded:
    key = str(uuid.uuid4())
    response = await server.client.post(
        f"{API}/patients", headers={**staff.headers, "Idempotency-Key": key},
        json={"name": "Erika Mustermann", "dob": "1984-08-12"})
    assert response.status_code == 201, response.text
    patient_id = response.json()["id"]
    conversation = await new_conversation(server, staff, patient_id)
    cid, token = conversation["id"], token_of(conversation)
    sent = await staff_send(server, staff, cid, f"Ihr {marker} liegt vor")
    assert sent.status_code == 201, sent.text
    uploaded = await patient_upload(server, token, f"{marker}.pdf", PDF,
                                    text=f"Anbei mein {marker}")
    assert uploaded.status_code == 201, uploaded.text
    inquiry = await staff_inquiry(server, staff, cid, {
        "type": "prescription", "details": {"medications": [f"{marker} 5 mg"]},
        "text": f"Rezept wegen {marker}"})
    assert inquiry.status_code == 201, inquiry.text
    note = await add_note(server, staff, cid, f"Notiz zum {marker}")
    assert note.status_code == 201, note.text
    return Seeded(patient_id=patient_id, conversation_id=cid, token=token,
                  staff_message_id=sent.json()["id"],
                  patient_message_id=uploaded.json()["id"],
                  attachment_id=uploaded.json()["attachments"][0]["id"],
                  inquiry_id=inquiry.json()["id"], note_id=note.json()["id"],
                  patient_key=key)


async def purge(server: Harness, now: datetime | None = None, *,
                dry_run: bool = False) -> PurgeReport:
    return await run_purge(server.ctx, now, dry_run=dry_run)


async def travel(server: Harness, moment: datetime, *accounts: Account) -> None:
    """Moves the clock; the accounts log in again (their tokens expired meanwhile)."""
    server.clock.set(moment)
    for account in accounts:
        await server.login(account)


async def count_rows(server: Harness, model: type[Base]) -> int:
    async with server.ctx.db.session(system=True) as session:
        return int((await session.execute(select(func.count()).select_from(model)))
                   .scalar_one())


def blob_path(server: Harness, practice_id: str, attachment_id: str) -> Path:
    return server.data_dir / "blobs" / practice_id / attachment_id


async def get(server: Harness, who: Account, path: str) -> int:
    return (await server.client.get(f"{API}{path}", headers=who.headers)).status_code


async def message_ids(server: Harness, who: Account, conversation_id: str) -> set[str]:
    response = await server.client.get(f"{API}/conversations/{conversation_id}/messages",
                                       headers=who.headers)
    assert response.status_code == 200, response.text
    body: Any = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return {m["id"] for m in items}


async def note_ids(server: Harness, who: Account, conversation_id: str) -> set[str]:
    response = await server.client.get(f"{API}/conversations/{conversation_id}/notes",
                                       headers=who.headers)
    assert response.status_code == 200, response.text
    body: Any = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return {n["id"] for n in items}


async def patient_create_retry(server: Harness, who: Account, key: str) -> int:
    """Re-sends the patient creation's key with another body: 409 while the key is
    remembered, 201 (a new patient) once it is forgotten."""
    response = await server.client.post(
        f"{API}/patients", headers={**who.headers, "Idempotency-Key": key},
        json={"name": "Max Mustermann", "dob": "1990-01-01"})
    return response.status_code


__all__ = ["API", "DAY", "T0", "new_patient"]
