"""The physician's call through ``app/`` against the real signalling server; the patient is a
second aiortc engine on the patient socket (the browser variant is tests/e2e)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.api.client import ApiClient
from app.video.engine import (
    END_PEER_LEFT,
    END_REMOTE_HANGUP,
    END_SERVER,
    CallEngine,
    CallOptions,
)
from app.video.session import PhysicianCall
from app.video.signalling import (
    SignallingClient,
    SignallingForbidden,
    SignallingUnauthorized,
)
from tests.support.live_server import LiveServer, start_live_server

PASSWORD = "correct horse battery"
LOOPBACK = ("127.0.0.1",)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_live_server(tmp_path_factory.mktemp("video-engine"))
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def tokens(server: LiveServer) -> dict[str, str]:
    """One practice per module (users cost an argon2 hash each): role -> access token."""
    practice_id = server.create_practice(f"Praxis {uuid.uuid4().hex[:6]}")
    out = {}
    for role in ("physician", "staff"):
        email = f"{uuid.uuid4().hex[:10]}@praxis.example"
        server.create_user(practice_id, email, role, PASSWORD)
        response = httpx.post(f"{server.url}/api/v1/auth/login",
                              json={"email": email, "password": PASSWORD}, timeout=10)
        response.raise_for_status()
        out[role] = str(response.json()["access_token"])
    return out


class Setup:
    def __init__(self, server: LiveServer, physician: ApiClient, staff: ApiClient) -> None:
        self.server, self.physician, self.staff = server, physician, staff

    async def appointment(self) -> dict[str, Any]:
        patient = await self.staff.request("POST", "/patients",
                                           json={"name": "Erika Mustermann",
                                                 "dob": "1984-08-12"})
        at = self.server.clock.now() + timedelta(minutes=5)
        body: dict[str, Any] = await self.staff.request(
            "POST", "/video/appointments",
            json={"patient_id": patient["id"], "scheduled_at": at.isoformat()})
        return body


@pytest.fixture
async def setup(server: LiveServer, tokens: dict[str, str]) -> AsyncIterator[Setup]:
    physician, staff = ApiClient(server.url), ApiClient(server.url)
    physician.access_token, staff.access_token = tokens["physician"], tokens["staff"]
    try:
        yield Setup(server, physician, staff)
    finally:
        await physician.aclose()
        await staff.aclose()


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("offerer", ["physician", "patient"])
async def test_physician_call_through_the_server(setup: Setup, offerer: str) -> None:
    appt = await setup.appointment()
    token = appt["link"].rsplit("/v/", 1)[1]
    patient_sig = SignallingClient.patient(setup.server.url, token, "Erika Mustermann")
    await patient_sig.connect()
    assert (await patient_sig.receive() or {}).get("type") == "waiting"
    opts = CallOptions(host_addresses=LOOPBACK, use_devices=False, width=320, height=240)
    call = PhysicianCall(setup.physician, appt["id"], offerer=offerer, options=opts)
    physician = await call.start()
    admitted = await patient_sig.wait_for("admitted", 5)
    assert admitted["offerer"] == offerer
    patient = CallEngine([], opts)
    patient_run = asyncio.ensure_future(patient.run(patient_sig, offerer=offerer == "patient"))
    try:
        await wait_until(lambda: physician.remote_video.received >= 15
                         and patient.remote_video.received >= 15)
        assert set(physician.transport_info()["dtls_states"]) == {"connected"}
        assert physician.transport_info()["srtp"]
        await call.hangup()
        assert await asyncio.wait_for(patient_run, 5) in (END_REMOTE_HANGUP, END_SERVER)
    finally:
        await patient.close()
        await patient_sig.close()
    assert call.quality_sent is not None
    assert call.quality_sent["send_resolution_min"] == "320x240"
    calls = await setup.staff.request("GET", f"/patients/{appt['patient_id']}/video-calls")
    assert len(calls) == 1
    assert calls[0]["ended_at"] is not None
    assert calls[0]["quality"]["send_resolution_min"] == "320x240"


async def test_patient_gone_ends_the_physicians_call_with_metadata(setup: Setup) -> None:
    appt = await setup.appointment()
    token = appt["link"].rsplit("/v/", 1)[1]
    patient_sig = SignallingClient.patient(setup.server.url, token, "Erika Mustermann")
    await patient_sig.connect()
    opts = CallOptions(host_addresses=LOOPBACK, use_devices=False, width=160, height=120)
    states: list[str] = []
    call = PhysicianCall(setup.physician, appt["id"], options=opts, on_state=states.append)
    physician = await call.start()
    await patient_sig.wait_for("admitted", 5)
    patient = CallEngine([], opts)
    patient_run = asyncio.ensure_future(patient.run(patient_sig, offerer=False))
    await wait_until(lambda: physician.remote_video.received >= 5)
    # The patient's browser tab closes: no hang-up, the socket just goes.
    patient_run.cancel()
    await patient_sig.close()
    await patient.close()
    assert await call.wait(timeout=10) == END_PEER_LEFT
    assert "connected" in states
    assert physician.pc.connectionState == "closed"
    assert call.quality_sent is not None
    assert call.quality_sent["send_resolution_min"] == "160x120"
    deadline = time.monotonic() + 5
    while True:
        calls = await setup.staff.request("GET",
                                          f"/patients/{appt['patient_id']}/video-calls")
        if calls and calls[0]["quality"]:
            break
        assert time.monotonic() < deadline, calls
        await asyncio.sleep(0.05)
    assert calls[0]["ended_at"] is not None
    assert calls[0]["quality"]["send_resolution_min"] == "160x120"


async def test_staff_and_bad_logins_are_refused_clearly(setup: Setup) -> None:
    appt = await setup.appointment()
    assert setup.staff.access_token
    staff = SignallingClient.physician(setup.server.url, appt["id"], setup.staff.access_token)
    await staff.connect()
    with pytest.raises(SignallingForbidden):
        await staff.receive()
    bad = SignallingClient.physician(setup.server.url, appt["id"], "not-a-token")
    await bad.connect()
    with pytest.raises(SignallingUnauthorized):
        await bad.receive()
