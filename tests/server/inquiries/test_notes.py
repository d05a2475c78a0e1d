"""Internal notes: staff write and read them, sync carries them, and no patient answer ever
contains one."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.routing import APIRoute

from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, patient_send, token_of
from tests.server.inquiries.helpers import (
    RAMIPRIL,
    add_note,
    changes_after,
    of_kind,
    patch_inquiry,
    patient_inquiry,
    staff_inquiry,
    sync_cursor,
)

try:  # FastAPI >= 0.16x includes routers lazily; this flattens them
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI keeps a flat table
    iter_route_contexts = None  # type: ignore[assignment]

SECRET = "Rückruf vereinbart, Patient nicht erreicht. Verdacht Depression"


async def test_notes_are_kept_in_order_and_synced(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    doctor = await server.logged_in(practice, "physician")
    chat = await new_conversation(server, staff)
    inquiry = (await staff_inquiry(server, staff, chat["id"], RAMIPRIL)).json()
    start = await sync_cursor(server, staff)

    first = await add_note(server, staff, chat["id"], "Patient nicht erreicht", key="n-1")
    assert first.status_code == 201, first.text
    note = first.json()
    assert set(note) == {"id", "conversation_id", "inquiry_id", "author_user_id", "text",
                         "created_at"}
    assert (note["author_user_id"], note["inquiry_id"]) == (staff.user_id, None)
    retry = await add_note(server, staff, chat["id"], "Patient nicht erreicht", key="n-1")
    assert (retry.status_code, retry.json()) == (200, note)
    assert_problem(await add_note(server, staff, chat["id"], "Etwas anderes", key="n-1"),
                   409, "conflict")
    second = (await add_note(server, doctor, chat["id"], "Rezept unterschrieben",
                             inquiry_id=inquiry["id"])).json()
    assert second["inquiry_id"] == inquiry["id"]

    listed = await server.client.get(f"{API}/conversations/{chat['id']}/notes",
                                     headers=doctor.headers)
    assert [n["id"] for n in listed.json()] == [note["id"], second["id"]]
    synced = of_kind(await changes_after(server, staff, start), "note")
    assert {c["id"]: c["data"] for c in synced} == {note["id"]: note, second["id"]: second}
    # A note is no activity the patient caused: counts and preview stay as they were.
    assert of_kind(await changes_after(server, staff, start), "conversation") == []

    entries = (await server.client.get(f"{API}/audit", headers=(
        await server.logged_in(practice, "admin")).headers)).json()
    assert ("note.create", note["id"]) in [(e["action"], e["object_id"]) for e in entries]
    assert "nicht erreicht" not in json.dumps(entries)


async def test_invalid_notes_are_refused(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    other_chat = await new_conversation(server, staff)
    foreign_staff = await server.logged_in(await server.practice())
    foreign_chat = await new_conversation(server, foreign_staff)
    foreign_inquiry = (await staff_inquiry(server, foreign_staff, foreign_chat["id"],
                                           RAMIPRIL)).json()
    other_inquiry = (await staff_inquiry(server, staff, other_chat["id"], RAMIPRIL)).json()

    for text in ("", "   ", "x" * 5001):
        assert_problem(await add_note(server, staff, chat["id"], text), 422,
                       "validation_error")
    no_key = await server.client.post(f"{API}/conversations/{chat['id']}/notes",
                                      headers=staff.headers, json={"text": "Hallo"})
    assert_problem(no_key, 422, "validation_error")
    assert_problem(await add_note(server, staff, chat["id"], "Hallo",
                                  inquiry_id=other_inquiry["id"]), 422, "validation_error")
    assert_problem(await add_note(server, staff, chat["id"], "Hallo",
                                  inquiry_id=foreign_inquiry["id"]), 404, "not_found")
    assert (await add_note(server, staff, chat["id"], "x" * 5000)).status_code == 201
    listed = (await server.client.get(f"{API}/conversations/{chat['id']}/notes",
                                      headers=staff.headers)).json()
    assert [len(n["text"]) for n in listed] == [5000]


def _patient_routes(server: Harness) -> list[APIRoute]:
    routes: list[Any] = (list(iter_route_contexts(server.app.routes))
                         if iter_route_contexts is not None else list(server.app.routes))
    return [r for r in routes if isinstance(getattr(r, "original_route", r), APIRoute)
            and r.path.startswith("/api/v1/p/")]


async def test_notes_never_reach_the_patient(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    chat = await new_conversation(server, staff)
    token = token_of(chat)
    inquiry = (await patient_inquiry(server, token, RAMIPRIL)).json()
    await patch_inquiry(server, staff, inquiry["id"], {"status": "in_progress",
                                                       "assignee_user_id": staff.user_id})
    note = (await add_note(server, staff, chat["id"], SECRET, inquiry_id=inquiry["id"])).json()
    general = (await add_note(server, staff, chat["id"], SECRET + " (2)")).json()
    forbidden = [SECRET, note["id"], general["id"], staff.user_id, "assignee"]

    answers: list[str] = []
    called = []
    for route in _patient_routes(server):
        params = re.findall(r"{(\w+)", route.path)
        if params != ["token"]:
            continue  # routes naming another object are covered by their own tests
        path = route.path.replace("{token}", token)
        for method in route.methods or ():
            if method == "GET":
                response = await server.client.get(path)
            elif method == "POST":
                response = await server.client.post(
                    path, headers={"Idempotency-Key": f"walk-{route.path}"},
                    json={"text": "Danke", **(RAMIPRIL if "inquiries" in path else {})})
            else:
                continue
            called.append(f"{method} {route.path}")
            answers.append(response.text)
    assert "GET /api/v1/p/{token}/conversation" in called
    assert "POST /api/v1/p/{token}/inquiries" in called
    view = (await server.client.get(f"{API}/p/{token}/conversation")).json()
    assert view["inquiries"][0]["id"] == inquiry["id"]  # the walk added a second one
    assert view["inquiries"][0]["status"] == "in_progress"
    answers.append(json.dumps(view))
    answers.append((await patient_send(server, token, "Noch eine Frage")).text)
    for answer in answers:
        for secret in forbidden:
            assert secret not in answer

    # Structurally too: no patient answer's schema can hold a note or staff ids.
    openapi = (await server.client.get(f"{API}/openapi.json")).json()
    schemas = openapi["components"]["schemas"]

    def refs(node: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[1]
                found.add(name)
            for value in node.values():
                found |= refs(value)
        elif isinstance(node, list):
            for value in node:
                found |= refs(value)
        return found

    for path, operations in openapi["paths"].items():
        if not path.startswith("/api/v1/p/"):
            continue
        reachable: set[str] = set()
        todo = set().union(*(refs(op.get("responses", {})) for op in operations.values()))
        while todo:
            name = todo.pop()
            if name not in reachable:
                reachable.add(name)
                todo |= refs(schemas[name])
        assert not any("Note" in name for name in reachable), path
        for name in reachable:
            properties = schemas[name].get("properties", {})
            assert not {"assignee_user_id", "author_user_id", "notes"} & set(properties), (
                path, name)
