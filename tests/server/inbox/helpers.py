"""Small request helpers shared by the inbox tests (all through the real app)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.server.harness import Account, Harness

API = "/api/v1"


async def new_patient(server: Harness, who: Account, name: str = "Erika Mustermann",
                      dob: str = "1984-08-12", **extra: Any) -> dict[str, Any]:
    response = await server.client.post(f"{API}/patients", headers=who.headers,
                                        json={"name": name, "dob": dob, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def new_conversation(server: Harness, who: Account,
                           patient_id: str | None = None) -> dict[str, Any]:
    if patient_id is None:
        patient_id = (await new_patient(server, who))["id"]
    response = await server.client.post(f"{API}/conversations", headers=who.headers,
                                        json={"patient_id": patient_id})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def token_of(conversation: dict[str, Any]) -> str:
    link = conversation["patient_link"]
    assert isinstance(link, str)
    return link.rsplit("/p/", 1)[1]


async def staff_send(server: Harness, who: Account, conversation_id: str, text: str,
                     key: str | None = None) -> httpx.Response:
    return await server.client.post(
        f"{API}/conversations/{conversation_id}/messages", headers={
            **who.headers, "Idempotency-Key": key or str(uuid.uuid4())}, json={"text": text})


async def patient_send(server: Harness, token: str, text: str,
                       key: str | None = None) -> httpx.Response:
    return await server.client.post(
        f"{API}/p/{token}/messages", headers={"Idempotency-Key": key or str(uuid.uuid4())},
        json={"text": text})
