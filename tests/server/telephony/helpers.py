"""Shared steps of the telephony tests (against a live server on 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.live_server import LiveServer
from tests.support.twilio_standin import TwilioStandin

PASSWORD = "correct horse battery"
ALL_DAY = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass
class Practice:
    practice_id: str
    admin: dict[str, str]
    staff: dict[str, str]


def login(live: LiveServer, email: str) -> dict[str, str]:
    response = httpx.post(f"{live.url}/api/v1/auth/login",
                          json={"email": email, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def practice_with_twilio(live: LiveServer, twilio: TwilioStandin, name: str, *,
                         forward: str | None = None,
                         hours: dict[str, list[list[str]]] | None = None,
                         greeting: str = "Guten Tag, Praxis Dr. Sonnenschein.") -> Practice:
    practice_id = live.create_practice(name)
    slug = name.lower().replace(" ", "")
    # One admin (a login costs a password hash): the queue itself is open to every role.
    live.create_user(practice_id, f"admin@{slug}.example", "admin", PASSWORD)
    admin = login(live, f"admin@{slug}.example")
    practice = Practice(practice_id, admin, admin)
    configure(live, twilio, practice, forward=forward, hours=hours, greeting=greeting)
    return practice


def configure(live: LiveServer, twilio: TwilioStandin, practice: Practice, *,
              forward: str | None = None, hours: dict[str, list[list[str]]] | None = None,
              greeting: str = "Guten Tag, Praxis Dr. Sonnenschein.") -> None:
    response = httpx.put(f"{live.url}/api/v1/telephony/settings", headers=practice.admin,
                         timeout=10,
                         json={"enabled": True, "greeting": greeting,
                               "twilio_account_sid": twilio.account_sid,
                               "twilio_auth_token": twilio.auth_token,
                               "forward_number": forward, "opening_hours": hours or {},
                               "max_recording_seconds": 90})
    assert response.status_code == 200, response.text


def wait_for(fetch: Callable[[], Any], done: Callable[[Any], bool], *,
             timeout: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {value!r}")
        time.sleep(0.05)


def calls(live: LiveServer, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = httpx.get(f"{live.url}/api/v1/calls", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def audit_actions(live: LiveServer, admin: dict[str, str]) -> list[str]:
    response = httpx.get(f"{live.url}/api/v1/audit", headers=admin, params={"limit": 1000},
                         timeout=10)
    assert response.status_code == 200, response.text
    return [e["action"] for e in response.json()]
