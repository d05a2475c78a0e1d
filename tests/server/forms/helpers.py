"""Request helpers for the forms endpoint tests (all through the real app)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API, new_conversation, token_of

VIDEO = "einwilligung-videosprechstunde"


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def forms_of(server: Harness, who: Account, status: str | None = None
                   ) -> list[dict[str, Any]]:
    params = {"status": status} if status else {}
    response = await server.client.get(f"{API}/forms", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


async def form_named(server: Harness, who: Account, form_id: str) -> dict[str, Any]:
    return next(f for f in await forms_of(server, who, "active") if f["form_id"] == form_id)


async def send(server: Harness, who: Account, conversation_id: str, definition_id: str,
               idem: str | None = None) -> httpx.Response:
    return await server.client.post(
        f"{API}/conversations/{conversation_id}/form-requests",
        headers={**who.headers, "Idempotency-Key": idem or str(uuid.uuid4())},
        json={"form_definition_id": definition_id})


async def sent_request(server: Harness, who: Account, form_id: str = VIDEO
                       ) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A conversation, its patient token and a form request sent into it."""
    conversation = await new_conversation(server, who)
    definition = await form_named(server, who, form_id)
    response = await send(server, who, conversation["id"], definition["id"])
    assert response.status_code == 201, response.text
    return conversation, token_of(conversation), response.json()


async def submit(server: Harness, token: str, request_id: str, answers: dict[str, Any],
                 idem: str | None = None) -> httpx.Response:
    return await server.client.post(
        f"{API}/p/{token}/forms/{request_id}/submit",
        headers={"Idempotency-Key": idem or str(uuid.uuid4())}, json={"answers": answers})
