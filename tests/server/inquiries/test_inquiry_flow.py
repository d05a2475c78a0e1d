"""Inquiries from creation to done: retries, status and assignee changes, lists, and what
clients see of it through sync and the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, token_of
from tests.server.inquiries.helpers import (
    RAMIPRIL,
    changes_after,
    conversation,
    of_kind,
    patch_inquiry,
    patient_inquiry,
    staff_inquiry,
    sync_cursor,
)

REFERRAL: dict[str, Any] = {"type": "referral", "details": {"specialty": "Kardiologie"}}


async def test_retries_return_the_first_inquiry_and_other_bodies_conflict(
        server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    first = await staff_inquiry(server, staff, chat["id"], RAMIPRIL, key="i-1")
    retry = await staff_inquiry(server, staff, chat["id"], RAMIPRIL, key="i-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert_problem(await staff_inquiry(server, staff, chat["id"], REFERRAL, key="i-1"),
                   409, "conflict")
    assert_problem(await staff_inquiry(server, staff, chat["id"],
                                       {**RAMIPRIL, "text": "bitte 100 Stück"}, key="i-1"),
                   409, "conflict")
    no_key = await server.client.post(f"{API}/conversations/{chat['id']}/inquiries",
                                      headers=staff.headers, json=RAMIPRIL)
    problem = assert_problem(no_key, 422, "validation_error")
    assert any("Idempotency-Key" in e["loc"] for e in problem["errors"])

    token = token_of(chat)
    p_first = await patient_inquiry(server, token, REFERRAL, key="p-1")
    p_retry = await patient_inquiry(server, token, REFERRAL, key="p-1")
    assert (p_first.status_code, p_retry.status_code) == (201, 200)
    assert p_retry.json() == p_first.json()
    assert_problem(await patient_inquiry(server, token, RAMIPRIL, key="p-1"), 409, "conflict")
    # The practice's key reused by the patient is not a retry of the practice's request...
    # unless it is the very same request, which then returns the same inquiry.
    assert_problem(await patient_inquiry(server, token, REFERRAL, key="i-1"), 409, "conflict")
    no_key = await server.client.post(f"{API}/p/{token}/inquiries", json=REFERRAL)
    assert_problem(no_key, 422, "validation_error")

    listed = (await server.client.get(f"{API}/inquiries", headers=staff.headers)).json()
    assert sorted(i["id"] for i in listed["items"]) == sorted(
        [first.json()["id"], p_first.json()["id"]])
    assert (await conversation(server, staff, chat["id"]))["open_inquiries"] == 2


async def test_keys_are_per_practice(server: Harness) -> None:
    a_staff = await server.logged_in(await server.practice())
    b_staff = await server.logged_in(await server.practice())
    a_chat = await new_conversation(server, a_staff)
    b_chat = await new_conversation(server, b_staff)
    assert (await staff_inquiry(server, a_staff, a_chat["id"], RAMIPRIL,
                                key="same")).status_code == 201
    assert (await staff_inquiry(server, b_staff, b_chat["id"], RAMIPRIL,
                                key="same")).status_code == 201


async def test_status_moves_freely_and_assignee_must_be_an_active_colleague(
        server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice)
    doctor = await server.logged_in(practice, "physician")
    leaver = await server.logged_in(practice)
    stranger = await server.logged_in(await server.practice())
    chat = await new_conversation(server, staff)
    inquiry = (await staff_inquiry(server, staff, chat["id"], RAMIPRIL)).json()
    path_id = inquiry["id"]

    for status in ("in_progress", "done", "new", "done", "in_progress"):
        moved = await patch_inquiry(server, staff, path_id, {"status": status})
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == status
    assigned = await patch_inquiry(server, staff, path_id,
                                   {"assignee_user_id": doctor.user_id})
    assert assigned.json()["assignee_user_id"] == doctor.user_id
    assert assigned.json()["status"] == "in_progress"  # untouched
    assert assigned.json()["updated_at"] >= inquiry["updated_at"]

    deactivated = await server.client.patch(f"{API}/users/{leaver.user_id}",
                                            headers=admin.headers, json={"active": False})
    assert deactivated.status_code == 200
    for bad in (leaver.user_id, stranger.user_id, "00000000-0000-0000-0000-000000000000"):
        problem = assert_problem(await patch_inquiry(server, staff, path_id,
                                                     {"assignee_user_id": bad}),
                                 422, "validation_error")
        assert problem["errors"][0]["loc"] == ["body", "assignee_user_id"]
    assert_problem(await patch_inquiry(server, staff, path_id, {"status": "archived"}),
                   422, "validation_error")
    assert_problem(await patch_inquiry(server, staff, path_id, {"status": None}),
                   422, "validation_error")
    assert_problem(await patch_inquiry(server, staff, path_id, {"text": "anders"}),
                   422, "validation_error")
    no_key = await server.client.patch(f"{API}/inquiries/{path_id}", headers=staff.headers,
                                       json={"status": "done"})
    assert_problem(no_key, 422, "validation_error")
    current = (await server.client.get(f"{API}/inquiries/{path_id}",
                                       headers=staff.headers)).json()
    assert current["assignee_user_id"] == doctor.user_id

    cleared = await patch_inquiry(server, staff, path_id, {"assignee_user_id": None})
    assert cleared.json()["assignee_user_id"] is None
    assert_problem(await server.client.get(f"{API}/inquiries/{path_id}",
                                           headers=stranger.headers), 404, "not_found")


async def test_patch_retry_changes_nothing_again(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    inquiry_id = (await staff_inquiry(server, staff, chat["id"], RAMIPRIL)).json()["id"]
    done = await patch_inquiry(server, staff, inquiry_id, {"status": "done"}, key="u-1")
    assert done.json()["status"] == "done"
    reopened = await patch_inquiry(server, staff, inquiry_id, {"status": "new"}, key="u-2")
    assert reopened.json()["status"] == "new"
    # A late retry of the first request must not close the reopened inquiry again.
    retry = await patch_inquiry(server, staff, inquiry_id, {"status": "done"}, key="u-1")
    assert retry.status_code == 200
    assert retry.json()["status"] == "new"
    assert_problem(await patch_inquiry(server, staff, inquiry_id, {"status": "in_progress"},
                                       key="u-1"), 409, "conflict")


async def test_list_filters_and_pages_newest_first(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    doctor = await server.logged_in(practice, "physician")
    chat = await new_conversation(server, staff)
    made = []
    for n in range(5):
        server.clock.advance(timedelta(minutes=1))
        body = RAMIPRIL if n % 2 == 0 else REFERRAL
        made.append((await staff_inquiry(server, staff, chat["id"], body)).json())
    await patch_inquiry(server, staff, made[1]["id"], {"status": "done"})
    await patch_inquiry(server, staff, made[2]["id"], {"status": "in_progress",
                                                       "assignee_user_id": doctor.user_id})

    async def ids(**params: Any) -> list[str]:
        response = await server.client.get(f"{API}/inquiries", headers=staff.headers,
                                           params=params)
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    newest_first = [i["id"] for i in reversed(made)]
    assert await ids() == newest_first
    assert await ids(type="prescription") == [made[4]["id"], made[2]["id"], made[0]["id"]]
    assert await ids(status="done") == [made[1]["id"]]
    assert await ids(status="new", type="referral") == [made[3]["id"]]
    assert await ids(assignee_user_id=doctor.user_id) == [made[2]["id"]]
    assert_problem(await server.client.get(f"{API}/inquiries", headers=staff.headers,
                                           params={"status": "open"}), 422, "validation_error")
    assert_problem(await server.client.get(f"{API}/inquiries", headers=staff.headers,
                                           params={"cursor": "kaputt"}), 422,
                   "validation_error")

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await server.client.get(f"{API}/inquiries", headers=staff.headers,
                                         params=params)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert seen == newest_first


async def test_changes_reach_clients_through_sync(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    doctor = await server.logged_in(practice, "physician")
    chat = await new_conversation(server, staff)
    start = await sync_cursor(server, staff)
    inquiry = (await patient_inquiry(server, token_of(chat), {
        **RAMIPRIL, "text": "Bitte ein neues Rezept"})).json()

    created = await changes_after(server, staff, start)
    [synced] = of_kind(created, "inquiry")
    assert synced["op"] == "upsert"
    assert synced["data"]["status"] == "new"
    assert synced["data"]["details"] == RAMIPRIL["details"]
    [conv] = of_kind(created, "conversation")
    assert conv["data"]["open_inquiries"] == 1
    assert conv["data"]["last_message_preview"] == "Bitte ein neues Rezept"
    assert conv["data"]["patient_name"] == "Erika Mustermann"

    middle = await sync_cursor(server, staff)
    await patch_inquiry(server, staff, inquiry["id"], {"status": "in_progress",
                                                       "assignee_user_id": doctor.user_id})
    assigned = await changes_after(server, staff, middle)
    [synced] = of_kind(assigned, "inquiry")
    assert synced["data"]["status"] == "in_progress"
    assert synced["data"]["assignee_user_id"] == doctor.user_id
    # Still open: the conversation's counts did not change, so no conversation upsert.
    assert of_kind(assigned, "conversation") == []

    later = await sync_cursor(server, staff)
    await patch_inquiry(server, staff, inquiry["id"], {"status": "done"})
    closed = await changes_after(server, staff, later)
    assert of_kind(closed, "inquiry")[0]["data"]["status"] == "done"
    [conv] = of_kind(closed, "conversation")
    assert conv["data"]["open_inquiries"] == 0
    assert (await conversation(server, staff, chat["id"]))["open_inquiries"] == 0

    reopened_from = await sync_cursor(server, staff)
    await patch_inquiry(server, staff, inquiry["id"], {"status": "new"})
    [conv] = of_kind(await changes_after(server, staff, reopened_from), "conversation")
    assert conv["data"]["open_inquiries"] == 1


async def test_audit_names_inquiry_writes_by_id_only(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    chat = await new_conversation(server, admin)
    from_patient = (await patient_inquiry(server, token_of(chat), {
        "type": "results", "details": {"subject": "Blutbild Geheimwert"}})).json()
    mine = (await staff_inquiry(server, admin, chat["id"], RAMIPRIL)).json()
    await patch_inquiry(server, admin, mine["id"], {"status": "done"})
    entries = (await server.client.get(f"{API}/audit", headers=admin.headers)).json()
    actions = [(e["action"], e["object_id"], e["actor_user_id"]) for e in entries]
    assert ("inquiry.create", from_patient["id"], None) in actions
    assert ("inquiry.create", mine["id"], admin.user_id) in actions
    assert ("inquiry.update", mine["id"], admin.user_id) in actions
    assert "Geheimwert" not in str(entries)
