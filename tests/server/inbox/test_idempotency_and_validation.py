"""Retries never duplicate a message; bad input gets a problem document and changes nothing."""

from __future__ import annotations

from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import (
    API,
    new_conversation,
    patient_send,
    staff_send,
    token_of,
)


async def _texts(server: Harness, headers: dict[str, str], conversation_id: str) -> list[str]:
    response = await server.client.get(f"{API}/conversations/{conversation_id}/messages",
                                       headers=headers)
    assert response.status_code == 200
    return [m["text"] for m in response.json()["items"]]


async def test_same_key_twice_makes_one_message(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    first = await staff_send(server, staff, conversation["id"], "Termin am Montag?", key="k-1")
    retry = await staff_send(server, staff, conversation["id"], "Termin am Montag?", key="k-1")
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json() == first.json()
    clash = await staff_send(server, staff, conversation["id"], "Etwas anderes", key="k-1")
    assert_problem(clash, 409, "conflict")
    assert await _texts(server, staff.headers, conversation["id"]) == ["Termin am Montag?"]

    token = token_of(conversation)
    p_first = await patient_send(server, token, "Ja, gern", key="p-1")
    p_retry = await patient_send(server, token, "Ja, gern", key="p-1")
    assert (p_first.status_code, p_retry.status_code) == (201, 200)
    assert p_retry.json()["id"] == p_first.json()["id"]
    assert_problem(await patient_send(server, token, "Doch nicht", key="p-1"), 409, "conflict")
    # A staff key reused by the patient is a different request, not a retry.
    assert_problem(await patient_send(server, token, "Termin am Montag?", key="k-1"),
                   409, "conflict")
    assert await _texts(server, staff.headers, conversation["id"]) == [
        "Termin am Montag?", "Ja, gern"]
    unread = (await server.client.get(f"{API}/conversations/{conversation['id']}",
                                      headers=staff.headers)).json()["unread_count"]
    assert unread == 1


async def test_invalid_requests_are_problems_and_store_nothing(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    path = f"{API}/conversations/{conversation['id']}/messages"

    no_key = await server.client.post(path, headers=staff.headers, json={"text": "Hallo"})
    body = assert_problem(no_key, 422, "validation_error")
    assert any("Idempotency-Key" in e["loc"] for e in body["errors"])
    assert_problem(await staff_send(server, staff, conversation["id"], ""), 422,
                   "validation_error")
    assert_problem(await staff_send(server, staff, conversation["id"], "   \n"), 422,
                   "validation_error")
    too_long = await staff_send(server, staff, conversation["id"], "x" * 10_001)
    assert_problem(too_long, 422, "validation_error")
    assert "xxxx" not in too_long.text  # the body is not echoed back
    longest = await staff_send(server, staff, conversation["id"], "x" * 10_000)
    assert longest.status_code == 201
    assert_problem(await patient_send(server, token_of(conversation), ""), 422,
                   "validation_error")
    assert await _texts(server, staff.headers, conversation["id"]) == ["x" * 10_000]

    for bad in ({"name": "", "dob": "1980-01-01"}, {"name": "A", "dob": "01.02.1980"},
                {"name": "A", "dob": "2999-01-01"}, {"name": "A"},
                {"name": "A", "dob": "1980-01-01", "email": "kein-at"},
                {"name": "A", "dob": "1980-01-01", "phone": "call me"},
                {"name": "A", "dob": "1980-01-01", "insurance": "AOK"}):
        assert_problem(await server.client.post(f"{API}/patients", headers=staff.headers,
                                                json=bad), 422, "validation_error")
    patients = await server.client.get(f"{API}/patients", headers=staff.headers)
    assert len(patients.json()["items"]) == 1  # only the conversation's patient

    assert_problem(await server.client.get(f"{API}/patients", headers=staff.headers,
                                           params={"cursor": "kaputt"}),
                   422, "validation_error")
    assert_problem(await server.client.get(path, headers=staff.headers,
                                           params={"cursor": "kaputt"}),
                   422, "validation_error")
    assert_problem(await server.client.post(f"{API}/conversations", headers=staff.headers,
                                            json={"patient_id": "no-such-patient"}),
                   404, "not_found")
    assert_problem(await server.client.post(f"{API}/patients",
                                            json={"name": "A", "dob": "1980-01-01"}),
                   401, "not_authenticated")


async def test_other_practice_cannot_use_patients_or_conversations(server: Harness) -> None:
    practice_a, practice_b = await server.practice(), await server.practice()
    a_staff = await server.logged_in(practice_a)
    b_staff = await server.logged_in(practice_b)
    conversation = await new_conversation(server, a_staff)
    # Creating a conversation for another practice's patient looks like an unknown patient.
    assert_problem(await server.client.post(
        f"{API}/conversations", headers=b_staff.headers,
        json={"patient_id": conversation["patient_id"]}), 404, "not_found")
    lists = [await server.client.get(f"{API}/{what}", headers=b_staff.headers)
             for what in ("patients", "conversations")]
    assert [r.json()["items"] for r in lists] == [[], []]
    # A's patient link stays bound to A: what the patient writes lands in A only.
    assert (await patient_send(server, token_of(conversation), "Hallo Praxis A")).status_code \
        == 201
    a_list = (await server.client.get(f"{API}/conversations", headers=a_staff.headers)).json()
    assert a_list["items"][0]["unread_count"] == 1
    b_changes = (await server.client.get(f"{API}/sync/changes", headers=b_staff.headers)).json()
    # "form_definition": the shipped forms every new practice starts with.
    assert {c["kind"] for c in b_changes["changes"]} == {"user", "form_definition"}


async def test_retried_patient_and_conversation_creates_make_one_each(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    body = {"name": "Erika Mustermann", "dob": "1964-08-12"}
    key = {"Idempotency-Key": "new-patient-1"}
    first = await server.client.post(f"{API}/patients", json=body,
                                     headers={**staff.headers, **key})
    retry = await server.client.post(f"{API}/patients", json=body,
                                     headers={**staff.headers, **key})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    other = await server.client.post(f"{API}/patients", json={**body, "name": "Max Muster"},
                                     headers={**staff.headers, **key})
    assert_problem(other, 409, "conflict")
    listed = await server.client.get(f"{API}/patients", headers=staff.headers)
    assert [p["name"] for p in listed.json()["items"]] == ["Erika Mustermann"]

    ckey = {"Idempotency-Key": "new-conversation-1"}
    made = await server.client.post(f"{API}/conversations",
                                    json={"patient_id": first.json()["id"]},
                                    headers={**staff.headers, **ckey})
    again = await server.client.post(f"{API}/conversations",
                                     json={"patient_id": first.json()["id"]},
                                     headers={**staff.headers, **ckey})
    assert (made.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == made.json()["id"]
    # The retry carries a working link of its own; the lost answer's link is dead.
    assert (await server.client.get(
        f"{API}/p/{token_of(again.json())}/conversation")).status_code == 200
    assert (await server.client.get(
        f"{API}/p/{token_of(made.json())}/conversation")).status_code == 404
    conversations = await server.client.get(f"{API}/conversations", headers=staff.headers)
    assert len(conversations.json()["items"]) == 1
    # Without a key (integrations' scripts) a create still works as before.
    plain = await server.client.post(f"{API}/patients", json={**body, "name": "Ohne Schlüssel"},
                                     headers=staff.headers)
    assert plain.status_code == 201
