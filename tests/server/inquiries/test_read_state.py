"""Read state from both sides, and the conversation summary (unread count, open inquiries,
patient name, preview) that staff lists and sync show."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from backend_server.models.patient import Patient
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, patient_send, staff_send, token_of
from tests.server.inquiries.helpers import (
    RAMIPRIL,
    changes_after,
    conversation,
    of_kind,
    patient_inquiry,
    sync_cursor,
)


async def test_staff_read_marks_patient_messages_for_the_whole_practice(
        server: Harness) -> None:
    practice = await server.practice()
    lena = await server.logged_in(practice)
    mehmet = await server.logged_in(practice)
    chat = await new_conversation(server, lena)
    token = token_of(chat)
    first = (await patient_send(server, token, "Guten Tag")).json()
    server.clock.advance(timedelta(minutes=1))
    second = (await patient_send(server, token, "Ich brauche ein Rezept")).json()
    assert first["read_at"] is None
    assert (await conversation(server, mehmet, chat["id"]))["unread_count"] == 2
    start = await sync_cursor(server, lena)

    server.clock.advance(timedelta(minutes=5))
    before = server.clock.now()
    read = await server.client.post(f"{API}/conversations/{chat['id']}/read",
                                    headers=lena.headers)
    after = server.clock.now()
    assert read.status_code == 200, read.text
    assert read.json()["unread_count"] == 0
    assert read.json()["id"] == chat["id"]
    # Mehmet sees it read too: read state is per practice, not per person.
    assert (await conversation(server, mehmet, chat["id"]))["unread_count"] == 0
    messages = (await server.client.get(f"{API}/conversations/{chat['id']}/messages",
                                        headers=mehmet.headers)).json()["items"]
    read_at = messages[0]["read_at"]
    assert before <= datetime.fromisoformat(read_at) <= after
    assert [m["read_at"] for m in messages] == [read_at, read_at]

    synced = await changes_after(server, lena, start)
    assert {c["id"] for c in of_kind(synced, "message")} == {first["id"], second["id"]}
    assert all(c["data"]["read_at"] == read_at for c in of_kind(synced, "message"))
    [conv] = of_kind(synced, "conversation")
    assert conv["data"]["unread_count"] == 0
    # The patient's page shows ✓✓ now.
    page = (await server.client.get(f"{API}/p/{token}/conversation")).json()
    assert [m["read_at"] for m in page["messages"]] == [read_at, read_at]

    again = await server.client.post(f"{API}/conversations/{chat['id']}/read",
                                     headers=lena.headers)
    assert again.status_code == 200
    unchanged = (await server.client.get(f"{API}/conversations/{chat['id']}/messages",
                                         headers=mehmet.headers)).json()["items"]
    assert [m["read_at"] for m in unchanged] == [read_at, read_at]

    newer = (await patient_send(server, token, "Noch etwas")).json()
    after_new = await conversation(server, lena, chat["id"])
    assert after_new["unread_count"] == 1
    assert after_new["last_message_preview"] == "Noch etwas"
    assert newer["read_at"] is None

    entries = (await server.client.get(f"{API}/audit", headers=(
        await server.logged_in(practice, "admin")).headers)).json()
    reads = [e for e in entries if e["action"] == "conversation.read"]
    assert [(e["object_id"], e["actor_user_id"]) for e in reads] == [
        (chat["id"], lena.user_id)] * 2


async def test_answering_counts_as_reading(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    asked = (await patient_send(server, token_of(chat), "Frage")).json()
    assert (await conversation(server, staff, chat["id"]))["unread_count"] == 1
    server.clock.advance(timedelta(minutes=2))
    await staff_send(server, staff, chat["id"], "Antwort")
    assert (await conversation(server, staff, chat["id"]))["unread_count"] == 0
    messages = (await server.client.get(f"{API}/conversations/{chat['id']}/messages",
                                        headers=staff.headers)).json()["items"]
    assert messages[0]["id"] == asked["id"]
    assert messages[0]["read_at"] is not None


async def test_patient_read_marks_staff_messages_seen(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    token = token_of(chat)
    sent = (await staff_send(server, staff, chat["id"], "Ihr Rezept liegt bereit")).json()
    assert sent["read_at"] is None
    start = await sync_cursor(server, staff)

    server.clock.advance(timedelta(minutes=3))
    before = server.clock.now()
    opened = await server.client.post(f"{API}/p/{token}/read")
    assert opened.status_code == 204
    assert opened.content == b""
    messages = (await server.client.get(f"{API}/conversations/{chat['id']}/messages",
                                        headers=staff.headers)).json()["items"]
    assert before <= datetime.fromisoformat(messages[0]["read_at"]) <= server.clock.now()
    [synced] = of_kind(await changes_after(server, staff, start), "message")
    assert synced["id"] == sent["id"]
    assert synced["data"]["read_at"] is not None
    # The patient reading the practice's messages is not the practice reading the patient's.
    assert (await conversation(server, staff, chat["id"]))["unread_count"] == 0

    later = (await staff_send(server, staff, chat["id"], "Noch ein Hinweis")).json()
    page = (await server.client.get(f"{API}/p/{token}/conversation")).json()
    assert [m["read_at"] is not None for m in page["messages"]] == [True, False]
    assert page["messages"][1]["id"] == later["id"]

    revoked = await server.client.post(f"{API}/conversations/{chat['id']}/link/revoke",
                                       headers=staff.headers)
    assert revoked.status_code == 200
    assert_problem(await server.client.post(f"{API}/p/{token}/read"), 404, "not_found")
    assert_problem(await server.client.post(f"{API}/p/unknown-token/read"), 404, "not_found")


async def test_summary_fields_follow_messages_inquiries_and_the_patient_name(
        server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    fresh = await conversation(server, staff, chat["id"])
    assert (fresh["patient_name"], fresh["last_message_preview"], fresh["open_inquiries"],
            fresh["unread_count"]) == ("Erika Mustermann", "", 0, 0)
    assert chat["patient_name"] == "Erika Mustermann"

    long_text = "Guten  Tag,\n ich " + "sehr " * 60 + "Ende"
    await patient_send(server, token_of(chat), long_text)
    preview = (await conversation(server, staff, chat["id"]))["last_message_preview"]
    assert preview == " ".join(long_text.split())[:120]
    assert len(preview) == 120

    server.clock.advance(timedelta(minutes=1))
    await patient_inquiry(server, token_of(chat), {**RAMIPRIL, "text": "Ramipril bitte"})
    listed = (await server.client.get(f"{API}/conversations",
                                      headers=staff.headers)).json()["items"]
    assert listed[0]["last_message_preview"] == "Ramipril bitte"
    assert listed[0]["open_inquiries"] == 1
    assert listed[0]["unread_count"] == 1  # an inquiry is not a message

    start = await sync_cursor(server, staff)
    async with server.ctx.db.session(practice_id=practice) as session:
        patient = (await session.execute(
            select(Patient).where(Patient.id == chat["patient_id"]))).scalar_one()
        patient.name = "Erika Musterfrau"
        await session.commit()
    changes = await changes_after(server, staff, start)
    [conv] = of_kind(changes, "conversation")
    assert conv["data"]["patient_name"] == "Erika Musterfrau"
    assert (await conversation(server, staff, chat["id"]))["patient_name"] == "Erika Musterfrau"


async def test_messages_arriving_together_are_all_counted(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    token = token_of(chat)
    sent = await asyncio.gather(*(patient_send(server, token, f"Nachricht {n}")
                                  for n in range(8)))
    assert [r.status_code for r in sent] == [201] * 8
    inquiries = await asyncio.gather(*(patient_inquiry(server, token, RAMIPRIL)
                                       for _ in range(4)))
    assert [r.status_code for r in inquiries] == [201] * 4
    summary = await conversation(server, staff, chat["id"])
    assert (summary["unread_count"], summary["open_inquiries"]) == (8, 4)
    changes = await changes_after(server, staff, "")
    [conv] = [c for c in of_kind(changes, "conversation") if c["id"] == chat["id"]]
    assert (conv["data"]["unread_count"], conv["data"]["open_inquiries"]) == (8, 4)
