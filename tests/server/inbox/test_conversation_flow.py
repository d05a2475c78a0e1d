"""Staff and patient write to each other through the real server."""

from __future__ import annotations

import hashlib
import logging

import pytest
from sqlalchemy import select

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.patient_link import PatientLink
from tests.server.harness import Harness
from tests.server.inbox.helpers import (
    API,
    new_conversation,
    new_patient,
    patient_send,
    staff_send,
    token_of,
)


async def test_staff_and_patient_exchange_messages(server: Harness,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backend_server")
    practice = await server.practice("Praxis Dr. Sonnenschein")
    staff = await server.logged_in(practice)
    patient = await new_patient(server, staff, name="Jürgen Schäfer", dob="1979-01-30",
                                email="J.Schaefer@Example.de", phone="+49 30 1234567")
    assert patient["name"] == "Jürgen Schäfer"
    assert patient["dob"] == "1979-01-30"
    assert patient["email"] == "j.schaefer@example.de"
    fetched = await server.client.get(f"{API}/patients/{patient['id']}", headers=staff.headers)
    assert fetched.json() == patient

    conversation = await new_conversation(server, staff, patient["id"])
    assert conversation["patient_id"] == patient["id"]
    assert conversation["unread_count"] == 0
    assert conversation["link_active"] is True
    assert conversation["patient_link"].startswith("http://testserver/p/")
    token = token_of(conversation)
    assert len(token) >= 43

    sent = await staff_send(server, staff, conversation["id"], "Ihr Rezept liegt bereit.")
    assert sent.status_code == 201, sent.text
    assert sent.json()["author"] == "staff"
    assert sent.json()["author_user_id"] == staff.user_id

    page = await server.client.get(f"{API}/p/{token}/conversation")
    assert page.status_code == 200, page.text
    view = page.json()
    assert view["practice_name"] == "Praxis Dr. Sonnenschein"
    assert [(m["author"], m["text"]) for m in view["messages"]] == [
        ("staff", "Ihr Rezept liegt bereit.")]
    # Nothing internal reaches the patient: no staff ids, no e-mails.
    assert staff.user_id not in page.text
    assert staff.email not in page.text
    assert "author_user_id" not in page.text

    reply = await patient_send(server, token, "Danke, ich hole es morgen ab. Grüße")
    assert reply.status_code == 201, reply.text
    assert reply.json()["author"] == "patient"

    listed = await server.client.get(f"{API}/conversations/{conversation['id']}/messages",
                                     headers=staff.headers)
    assert listed.status_code == 200
    assert [(m["author"], m["text"]) for m in listed.json()["items"]] == [
        ("staff", "Ihr Rezept liegt bereit."),
        ("patient", "Danke, ich hole es morgen ab. Grüße")]
    assert listed.json()["items"][1]["author_user_id"] is None
    again = await server.client.get(f"{API}/conversations/{conversation['id']}",
                                    headers=staff.headers)
    assert again.json()["unread_count"] == 1
    assert again.json()["patient_link"] is None  # only the issuing answer carries the link

    # The token is kept only as its hash; no text, name or token reached the logs.
    async with server.ctx.db.session(system=True) as session:
        stored = (await session.execute(select(PatientLink).execution_options(
            **ALL_PRACTICES))).scalar_one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for secret in (token, "Rezept", "Schäfer", "1979-01-30", "schaefer"):
        assert secret not in caplog.text


async def test_conversations_list_newest_activity_first(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    older = await new_conversation(server, staff)
    newer = await new_conversation(server, staff)
    listed = (await server.client.get(f"{API}/conversations", headers=staff.headers)).json()
    assert [c["id"] for c in listed["items"]] == [newer["id"], older["id"]]

    assert (await patient_send(server, token_of(older), "Eine Frage")).status_code == 201
    first = (await server.client.get(f"{API}/conversations", headers=staff.headers,
                                     params={"limit": 1})).json()
    assert [c["id"] for c in first["items"]] == [older["id"]]
    assert first["items"][0]["unread_count"] == 1
    assert first["has_more"] is True
    second = (await server.client.get(f"{API}/conversations", headers=staff.headers,
                                      params={"limit": 1, "cursor": first["cursor"]})).json()
    assert [c["id"] for c in second["items"]] == [newer["id"]]
    assert second["has_more"] is False

    # Answering clears the unread count.
    assert (await staff_send(server, staff, older["id"], "Gern")).status_code == 201
    assert (await server.client.get(f"{API}/conversations/{older['id']}",
                                    headers=staff.headers)).json()["unread_count"] == 0


async def test_messages_page_oldest_first(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    texts = [f"Nachricht {n}" for n in range(5)]
    for text in texts:
        assert (await staff_send(server, staff, conversation["id"], text)).status_code == 201
    seen: list[str] = []
    cursor = ""
    while True:
        page = (await server.client.get(
            f"{API}/conversations/{conversation['id']}/messages", headers=staff.headers,
            params={"limit": 2, "cursor": cursor})).json()
        seen += [m["text"] for m in page["items"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert seen == texts
    # A client that comes back with its last cursor gets only what is new.
    await staff_send(server, staff, conversation["id"], "Nachzügler")
    late = (await server.client.get(f"{API}/conversations/{conversation['id']}/messages",
                                    headers=staff.headers, params={"cursor": cursor})).json()
    assert [m["text"] for m in late["items"]] == ["Nachzügler"]


async def test_patient_search_within_practice(server: Harness) -> None:
    practice, other = await server.practice(), await server.practice()
    staff = await server.logged_in(practice)
    stranger = await server.logged_in(other)
    for name in ("Aylin Öztürk", "Klaus Becker", "Sabine Müller"):
        await new_patient(server, staff, name=name)
    await new_patient(server, stranger, name="Sabine Müllerová")

    def names(response_json: dict[str, list[dict[str, str]]]) -> list[str]:
        return [p["name"] for p in response_json["items"]]

    found = await server.client.get(f"{API}/patients", headers=staff.headers,
                                    params={"q": "MÜLLER"})
    assert names(found.json()) == ["Sabine Müller"]
    umlaut = await server.client.get(f"{API}/patients", headers=staff.headers,
                                     params={"q": "öztürk"})
    assert names(umlaut.json()) == ["Aylin Öztürk"]
    everyone = await server.client.get(f"{API}/patients", headers=staff.headers,
                                       params={"limit": 2})
    assert names(everyone.json()) == ["Aylin Öztürk", "Klaus Becker"]
    rest = await server.client.get(f"{API}/patients", headers=staff.headers,
                                   params={"limit": 2, "cursor": everyone.json()["cursor"]})
    assert names(rest.json()) == ["Sabine Müller"]
    assert rest.json()["has_more"] is False
