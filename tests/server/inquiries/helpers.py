"""Request helpers for the inquiry, note, template and read-state tests (real app)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API

RAMIPRIL: dict[str, Any] = {"type": "prescription",
                            "details": {"medications": ["Ramipril 5 mg"]}}


def keyed(who: Account | None, key: str | None = None) -> dict[str, str]:
    return {**(who.headers if who else {}), "Idempotency-Key": key or str(uuid.uuid4())}


async def staff_inquiry(server: Harness, who: Account, conversation_id: str,
                        body: dict[str, Any], key: str | None = None) -> httpx.Response:
    return await server.client.post(f"{API}/conversations/{conversation_id}/inquiries",
                                    headers=keyed(who, key), json=body)


async def patient_inquiry(server: Harness, token: str, body: dict[str, Any],
                          key: str | None = None) -> httpx.Response:
    return await server.client.post(f"{API}/p/{token}/inquiries", headers=keyed(None, key),
                                    json=body)


async def patch_inquiry(server: Harness, who: Account, inquiry_id: str,
                        body: dict[str, Any], key: str | None = None) -> httpx.Response:
    return await server.client.patch(f"{API}/inquiries/{inquiry_id}",
                                     headers=keyed(who, key), json=body)


async def add_note(server: Harness, who: Account, conversation_id: str, text: str,
                   inquiry_id: str | None = None, key: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"text": text}
    if inquiry_id is not None:
        body["inquiry_id"] = inquiry_id
    return await server.client.post(f"{API}/conversations/{conversation_id}/notes",
                                    headers=keyed(who, key), json=body)


async def conversation(server: Harness, who: Account, conversation_id: str) -> dict[str, Any]:
    response = await server.client.get(f"{API}/conversations/{conversation_id}",
                                       headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def sync_cursor(server: Harness, who: Account) -> str:
    """The cursor after everything that exists now (later changes come after it)."""
    cursor = ""
    for _ in range(100):
        response = await server.client.get(f"{API}/sync/changes", headers=who.headers,
                                           params={"cursor": cursor, "limit": 5000})
        assert response.status_code == 200, response.text
        body = response.json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return str(cursor)
    raise AssertionError("sync did not finish")


async def changes_after(server: Harness, who: Account,
                        cursor: str) -> list[dict[str, Any]]:
    response = await server.client.get(f"{API}/sync/changes", headers=who.headers,
                                       params={"cursor": cursor, "limit": 5000})
    assert response.status_code == 200, response.text
    assert response.json()["has_more"] is False
    changes: list[dict[str, Any]] = response.json()["changes"]
    return changes


def of_kind(changes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [c for c in changes if c["kind"] == kind]
