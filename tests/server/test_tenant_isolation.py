"""Walks the app's route table: for every route with an id in its path, a user of practice B
gets 404 for practice A's object, and A's object is left untouched.

A new route whose path parameter has no factory below makes this test fail, so every route
with an id is covered automatically.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute

try:  # FastAPI >= 0.16x includes routers lazily; this flattens them
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI keeps a flat table
    iter_route_contexts = None  # type: ignore[assignment]

from tests.server.harness import Account, Harness, assert_problem


@dataclass
class PracticeA:
    practice_id: str
    admin: Account
    staff: Account


ObjectFactory = Callable[[Harness, PracticeA], Awaitable[str]]


async def _user_in_a(server: Harness, a: PracticeA) -> str:
    return a.staff.user_id


async def _session_in_a(server: Harness, a: PracticeA) -> str:
    return a.staff.session_id


async def _patient_in_a(server: Harness, a: PracticeA) -> str:
    response = await server.client.post("/api/v1/patients", headers=a.staff.headers,
                                        json={"name": "Anna Alt", "dob": "1950-05-05"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _conversation_in_a(server: Harness, a: PracticeA) -> str:
    response = await server.client.post(
        "/api/v1/conversations", headers=a.staff.headers,
        json={"patient_id": await _patient_in_a(server, a)})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _dead_patient_token_in_a(server: Harness, a: PracticeA) -> str:
    """Patient routes (/p/{token}/...) take no bearer: the token alone opens one
    conversation of the practice that issued it, whoever calls. What the walk can check is
    that the route does not fall back to the caller's bearer: a token practice A revoked
    answers 404 even to a logged-in user. That A's live token reaches only A's conversation
    is tested in tests/server/inbox."""
    response = await server.client.post(
        "/api/v1/conversations", headers=a.staff.headers,
        json={"patient_id": await _patient_in_a(server, a)})
    assert response.status_code == 201, response.text
    token = str(response.json()["patient_link"]).rsplit("/p/", 1)[1]
    revoked = await server.client.post(
        f"/api/v1/conversations/{response.json()['id']}/link/revoke", headers=a.staff.headers)
    assert revoked.status_code == 200, revoked.text
    return token


async def _attachment_in_a(server: Harness, a: PracticeA) -> str:
    from backend_server.attachments.samples import rash_photo_png

    response = await server.client.post(
        f"/api/v1/conversations/{await _conversation_in_a(server, a)}/messages/upload",
        headers={**a.staff.headers, "Idempotency-Key": "walk-file"},
        files={"file": ("Foto.png", rash_photo_png(), "image/png")})
    assert response.status_code == 201, response.text
    return str(response.json()["attachments"][0]["id"])


async def _inquiry_in_a(server: Harness, a: PracticeA) -> str:
    conversation_id = await _conversation_in_a(server, a)
    response = await server.client.post(
        f"/api/v1/conversations/{conversation_id}/inquiries",
        headers={**a.staff.headers, "Idempotency-Key": f"walk-{conversation_id}"},
        json={"type": "prescription", "details": {"medications": ["Ramipril 5 mg"]}})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _template_in_a(server: Harness, a: PracticeA) -> str:
    response = await server.client.post(
        "/api/v1/templates", headers={**a.admin.headers, "Idempotency-Key": str(uuid.uuid4())},
        json={"title": "Rezept liegt bereit", "body": "Ihr Rezept liegt bereit."})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _form_definition_in_a(server: Harness, a: PracticeA) -> str:
    from backend_server.forms.templates import load_templates

    definition = load_templates()["einwilligung-videosprechstunde"].model_dump(mode="json")
    definition["id"] = f"walk-{uuid.uuid4().hex[:12]}"
    response = await server.client.post(
        "/api/v1/forms", headers={**a.admin.headers, "Idempotency-Key": str(uuid.uuid4())},
        json={"definition": definition})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _form_request_in_a(server: Harness, a: PracticeA) -> str:
    response = await server.client.post(
        f"/api/v1/conversations/{await _conversation_in_a(server, a)}/form-requests",
        headers={**a.staff.headers, "Idempotency-Key": str(uuid.uuid4())},
        json={"form_definition_id": await _form_definition_in_a(server, a)})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _call_in_a(server: Harness, a: PracticeA) -> str:
    from tests.support.audio import tone_wav

    key = await server.client.post("/api/v1/telephony/upload-key", headers=a.admin.headers)
    assert key.status_code == 200, key.text
    response = await server.client.post(
        "/api/v1/telephony/upload", headers={"X-Api-Key": key.json()["api_key"]},
        data={"caller": "+4930123456"}, files={"file": ("anruf.wav", tone_wav(), "audio/wav")})
    assert response.status_code == 202, response.text
    return str(response.json()["call_id"])


async def _practice_of_a(server: Harness, a: PracticeA) -> str:
    """Twilio webhooks (/telephony/twilio/{practice_id}/...) take no bearer: the signature
    is their authentication. A practice without telephony set up answers 404 whoever
    calls; the signature checks are tested in tests/server/telephony."""
    return a.practice_id


# path parameter name -> creates (or picks) an object of that kind in practice A
FACTORIES: dict[str, ObjectFactory] = {
    "user_id": _user_in_a,
    "session_id": _session_in_a,
    "patient_id": _patient_in_a,
    "conversation_id": _conversation_in_a,
    "token": _dead_patient_token_in_a,
    "attachment_id": _attachment_in_a,
    "inquiry_id": _inquiry_in_a,
    "template_id": _template_in_a,
    "definition_id": _form_definition_in_a,
    "request_id": _form_request_in_a,
    "call_id": _call_in_a,
    "practice_id": _practice_of_a,
}

# Bodies that pass validation, so the request reaches the tenancy check (else a 422 would
# hide a leak). Routes with a body default to {}.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/api/v1/users/{user_id}"): {"display_name": "Übernommen", "active": False},
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): {"text": "Übernommen"},
    ("POST", "/api/v1/p/{token}/messages"): {"text": "Übernommen"},
    ("POST", "/api/v1/conversations/{conversation_id}/inquiries"): {
        "type": "other", "details": {}, "text": "Übernommen"},
    ("POST", "/api/v1/p/{token}/inquiries"): {"type": "other", "details": {}},
    ("PATCH", "/api/v1/inquiries/{inquiry_id}"): {"status": "done"},
    ("POST", "/api/v1/conversations/{conversation_id}/notes"): {"text": "Übernommen"},
    ("PATCH", "/api/v1/templates/{template_id}"): {"title": "Übernommen"},
    ("POST", "/api/v1/forms/{definition_id}/versions"): {"definition": {"id": "x"}},
    ("PATCH", "/api/v1/forms/{definition_id}"): {"status": "archived"},
    ("POST", "/api/v1/conversations/{conversation_id}/form-requests"): {
        "form_definition_id": "x"},
    ("PATCH", "/api/v1/calls/{call_id}"): {"status": "done"},
    ("POST", "/api/v1/calls/{call_id}/inquiry"): {},
}

# Headers a route requires besides the bearer (else a 422 would hide a leak).
HEADERS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/p/{token}/messages"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/conversations/{conversation_id}/messages/upload"): {
        "Idempotency-Key": "walk"},
    ("POST", "/api/v1/p/{token}/messages/upload"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/conversations/{conversation_id}/inquiries"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/p/{token}/inquiries"): {"Idempotency-Key": "walk"},
    ("PATCH", "/api/v1/inquiries/{inquiry_id}"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/conversations/{conversation_id}/notes"): {"Idempotency-Key": "walk"},
    ("PATCH", "/api/v1/templates/{template_id}"): {"Idempotency-Key": "walk"},
    ("DELETE", "/api/v1/templates/{template_id}"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/forms/{definition_id}/versions"): {"Idempotency-Key": "walk"},
    ("PATCH", "/api/v1/forms/{definition_id}"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/conversations/{conversation_id}/form-requests"): {
        "Idempotency-Key": "walk"},
    ("POST", "/api/v1/form-requests/{request_id}/cancel"): {"Idempotency-Key": "walk"},
    ("POST", "/api/v1/p/{token}/forms/{request_id}/submit"): {"Idempotency-Key": "walk"},
}

PATH_PARAM = re.compile(r"{(\w+)(?::[^}]*)?}")


@dataclass
class RouteInfo:
    path: str
    has_body: bool


def _routes_with_ids(server: Harness) -> list[tuple[str, RouteInfo, list[str]]]:
    routes: list[Any] = (list(iter_route_contexts(server.app.routes))
                         if iter_route_contexts is not None else list(server.app.routes))
    found = []
    for route in routes:
        if not isinstance(getattr(route, "original_route", route), APIRoute):
            continue
        params = PATH_PARAM.findall(route.path)
        if params:
            for method in sorted(route.methods or ()):
                info = RouteInfo(path=route.path, has_body=route.body_field is not None)
                found.append((method, info, params))
    return found


async def test_every_id_route_hides_other_practices_objects(server: Harness) -> None:
    practice_a = await server.practice("Praxis A")
    a = PracticeA(practice_a, await server.logged_in(practice_a, "admin"),
                  await server.logged_in(practice_a, "staff"))
    practice_b = await server.practice("Praxis B")
    b_admin = await server.logged_in(practice_b, "admin")

    routes = _routes_with_ids(server)
    assert routes, "the route table has no id routes; did the walk break?"
    missing = sorted({p for _, _, params in routes for p in params} - FACTORIES.keys())
    assert not missing, f"add a factory to FACTORIES for path parameter(s) {missing}"

    checked = []
    for method, route, params in routes:
        values = {name: await FACTORIES[name](server, a) for name in params}
        path = route.path
        for name, value in values.items():
            path = re.sub(r"{" + name + r"(?::[^}]*)?}", value, path)
        body = BODIES.get((method, route.path), {}) if route.has_body else None
        headers = {**b_admin.headers, **HEADERS.get((method, route.path), {})}
        response = await server.client.request(method, path, headers=headers, json=body)
        assert response.status_code != 422, (
            f"{method} {route.path}: add a valid body to BODIES ({response.text})")
        assert_problem(response, 404, "not_found")
        checked.append(f"{method} {route.path}")

    assert "GET /api/v1/users/{user_id}" in checked
    assert "DELETE /api/v1/auth/sessions/{session_id}" in checked
    assert "POST /api/v1/conversations/{conversation_id}/messages" in checked
    assert "GET /api/v1/p/{token}/conversation" in checked
    assert "GET /api/v1/attachments/{attachment_id}" in checked
    assert "GET /api/v1/p/{token}/attachments/{attachment_id}" in checked
    assert "POST /api/v1/conversations/{conversation_id}/messages/upload" in checked
    assert "PATCH /api/v1/inquiries/{inquiry_id}" in checked
    assert "DELETE /api/v1/templates/{template_id}" in checked
    assert "POST /api/v1/conversations/{conversation_id}/notes" in checked
    assert "POST /api/v1/forms/{definition_id}/versions" in checked
    assert "POST /api/v1/form-requests/{request_id}/cancel" in checked
    assert "GET /api/v1/attachments/{attachment_id}/seal" in checked
    assert "POST /api/v1/p/{token}/forms/{request_id}/submit" in checked
    assert "GET /api/v1/calls/{call_id}/recording" in checked
    assert "PATCH /api/v1/calls/{call_id}" in checked
    assert "POST /api/v1/telephony/twilio/{practice_id}/voice" in checked
    # Practice A noticed nothing: its staff member is unchanged and still logged in.
    me = await server.client.get("/api/v1/me", headers=a.staff.headers)
    assert me.status_code == 200
    assert me.json()["active"] is True
    assert me.json()["display_name"] != "Übernommen"


async def test_lists_only_show_own_practice(server: Harness) -> None:
    practice_a, practice_b = await server.practice("A"), await server.practice("B")
    a_admin = await server.logged_in(practice_a, "admin")
    b_staff = await server.logged_in(practice_b, "staff")
    users = (await server.client.get("/api/v1/users", headers=b_staff.headers)).json()
    assert [u["id"] for u in users] == [b_staff.user_id]
    sessions = (await server.client.get("/api/v1/auth/sessions",
                                        headers=b_staff.headers)).json()
    assert [s["id"] for s in sessions] == [b_staff.session_id]
    current = (await server.client.get("/api/v1/practices/current",
                                       headers=a_admin.headers)).json()
    assert current["id"] == practice_a
    audit = (await server.client.get("/api/v1/audit", headers=a_admin.headers)).json()
    assert audit
    assert all(e["object_id"] != b_staff.user_id for e in audit)


async def test_unscoped_session_cannot_read_tenant_data(server: Harness) -> None:
    import pytest

    from backend_server.db import TenantScopeMissing
    from backend_server.models import User
    from backend_server.users.repository import UserRepository

    practice_a, practice_b = await server.practice(), await server.practice()
    await server.user(practice_a)
    async with server.ctx.db.session() as session:
        with pytest.raises(TenantScopeMissing):
            await UserRepository(session).list()
    async with server.ctx.db.session(practice_id=practice_b) as session:
        assert await UserRepository(session).list() == []
        session.add(User(practice_id=practice_a, email="x@example.org", display_name="X",
                         role="staff", active=True, password_hash="x",
                         created_at=server.clock.now(), updated_at=server.clock.now()))
        with pytest.raises(TenantScopeMissing):
            await session.flush()
