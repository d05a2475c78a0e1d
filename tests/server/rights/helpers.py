"""Seeding a patient with every kind of content, through the real app, and scanning every
table for the ids left behind."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from backend_server.models import Base
from tests.server.attachments.helpers import PDF, PNG, patient_upload, staff_upload
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API, new_conversation, patient_send, staff_send, token_of
from tests.server.inquiries.helpers import RAMIPRIL, add_note, patch_inquiry, staff_inquiry


@dataclass
class Seeded:
    patient_id: str
    name: str
    conversations: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)  # id -> original bytes
    inquiries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def all_ids(self) -> set[str]:
        return {self.patient_id, *self.conversations, *self.messages, *self.attachments,
                *self.inquiries, *self.notes}


async def seed_patient(server: Harness, who: Account, name: str, *,
                       marker: str) -> Seeded:
    """A patient with two conversations holding messages from both sides, a PDF and a PNG,
    an inquiry (updated with an idempotency key), a note and links."""
    created = await server.client.post(
        f"{API}/patients", headers={**who.headers, "Idempotency-Key": str(uuid.uuid4())},
        json={"name": name, "dob": "1984-08-12", "email": "p@example.org"})
    assert created.status_code == 201, created.text
    seeded = Seeded(created.json()["id"], name)
    for round_ in range(2):
        conv = await new_conversation(server, who, seeded.patient_id)
        seeded.conversations.append(conv["id"])
        token = token_of(conv)
        for text, send in ((f"{marker} Praxis {round_}", "staff"),
                           (f"{marker} Patientin {round_}", "patient")):
            response = (await staff_send(server, who, conv["id"], text) if send == "staff"
                        else await patient_send(server, token, text))
            assert response.status_code == 201, response.text
            seeded.messages.append(response.json()["id"])
            seeded.texts.append(text)
        upload = (await staff_upload(server, who, conv["id"], "Befund <1>.pdf", PDF,
                                     text=f"{marker} Befund") if round_ == 0
                  else await patient_upload(server, token, "ausschlag.png", PNG,
                                            text=f"{marker} Foto"))
        assert upload.status_code == 201, upload.text
        seeded.messages.append(upload.json()["id"])
        seeded.texts.append(upload.json()["text"])
        attachment = upload.json()["attachments"][0]
        seeded.attachments[attachment["id"]] = PDF if round_ == 0 else PNG
        inquiry = await staff_inquiry(server, who, conv["id"],
                                      {**RAMIPRIL, "text": f"{marker} Rezept {round_}"})
        assert inquiry.status_code == 201, inquiry.text
        seeded.inquiries.append(inquiry.json()["id"])
        patched = await patch_inquiry(server, who, inquiry.json()["id"],
                                      {"status": "in_progress"})
        assert patched.status_code == 200, patched.text
        note = await add_note(server, who, conv["id"], f"{marker} Notiz {round_}")
        assert note.status_code == 201, note.text
        seeded.notes.append(note.json()["id"])
    return seeded


async def rows_mentioning(server: Harness, ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in which any of ``ids`` appears in any column."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with server.ctx.db.session(system=True) as session:
        for table in Base.metadata.sorted_tables:
            result = await session.execute(select(table))
            for row in result.mappings():
                flat = json.dumps({k: str(v) for k, v in row.items()})
                if any(i in flat for i in ids):
                    found.setdefault(table.name, []).append(dict(row))
    return found
