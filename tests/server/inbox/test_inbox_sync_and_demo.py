"""The inbox kinds appear in /sync/changes; the demo seeds German conversations."""

from __future__ import annotations

from typing import Any

from backend_server.demo import seed_demo
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API, new_conversation, patient_send, staff_send, token_of


async def _all_changes(server: Harness, who: Account, cursor: str = "") -> dict[str, Any]:
    response = await server.client.get(f"{API}/sync/changes", headers=who.headers,
                                       params={"cursor": cursor})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_sync_returns_patients_conversations_messages(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    start = (await _all_changes(server, staff))["cursor"]
    conversation = await new_conversation(server, staff)
    sent = (await staff_send(server, staff, conversation["id"], "Hallo")).json()
    replied = (await patient_send(server, token_of(conversation), "Hallo zurück")).json()

    delta = await _all_changes(server, staff, start)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for change in delta["changes"]:
        by_kind.setdefault(change["kind"], []).append(change)
    assert [c["id"] for c in by_kind["patient"]] == [conversation["patient_id"]]
    assert by_kind["patient"][0]["data"]["name"] == "Erika Mustermann"
    assert [c["id"] for c in by_kind["conversation"]] == [conversation["id"]]
    synced_conversation = by_kind["conversation"][0]["data"]
    assert synced_conversation["unread_count"] == 1
    assert synced_conversation["patient_link"] is None
    messages = {c["id"]: c["data"] for c in by_kind["message"]}
    assert set(messages) == {sent["id"], replied["id"]}
    assert messages[replied["id"]]["conversation_id"] == conversation["id"]
    assert messages[replied["id"]]["author"] == "patient"
    assert messages[sent["id"]]["text"] == "Hallo"


async def test_demo_seeds_patients_and_conversations_once(server: Harness) -> None:
    practice_id, logins = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # idempotent
    staff = await server.login(Account(user_id="", practice_id=practice_id,
                                       email=logins[2].email, password=logins[2].password,
                                       role=logins[2].role))
    patients = (await server.client.get(f"{API}/patients", headers=staff.headers)).json()
    assert len(patients["items"]) == 9  # once, not doubled by the second start
    assert "Sabine Müller" in [p["name"] for p in patients["items"]]
    conversations = (await server.client.get(f"{API}/conversations",
                                             headers=staff.headers)).json()["items"]
    assert len(conversations) >= 2
    newest = conversations[0]
    assert newest["unread_count"] == 1
    messages = (await server.client.get(f"{API}/conversations/{newest['id']}/messages",
                                        headers=staff.headers)).json()["items"]
    assert "Magen-Darm" in messages[-1]["text"]  # Lena Krüger wrote last
