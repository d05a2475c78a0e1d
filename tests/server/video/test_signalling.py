"""The signalling relay with real websocket clients: waiting room, admit, verbatim relay in
order, peer-left, hang-up, the physician-only rule and frame limits."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

from tests.server.video.support import PracticeLogins, Signal, token_of
from tests.support.live_server import LiveServer


async def _status(http: httpx.AsyncClient, headers: dict[str, str], appointment_id: str) -> str:
    response = await http.get(f"/api/v1/video/appointments/{appointment_id}", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


async def test_waiting_admit_relay_in_order_and_hangup(
        video_server: LiveServer, http: httpx.AsyncClient, logins: PracticeLogins,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what a production server logs
    p = logins.on(video_server, http)
    appointment = await p.appointment()
    aid = appointment["id"]

    # Admit before anyone waits: 409.
    early = await http.post(f"/api/v1/video/appointments/{aid}/admit", headers=p.physician.headers,
                            json={"offerer": "physician"})
    assert early.status_code == 409, early.text

    patient = await Signal.patient(video_server, token_of(appointment["link"]))
    assert (await patient.next())["type"] == "waiting"
    assert await _status(http, p.staff.headers, aid) == "waiting"
    listed = await http.get(f"/api/v1/video/appointments/{aid}", headers=p.staff.headers)
    assert listed.json()["patient_display_name"] == "Erika Mustermann"
    # Clients see the waiting patient through sync (and so through live events).
    synced = await http.get("/api/v1/sync/changes", headers=p.physician.headers,
                            params={"cursor": "", "limit": 5000})
    mine = [c for c in synced.json()["changes"]
            if c["kind"] == "video_appointment" and c["id"] == aid]
    assert mine[-1]["data"]["status"] == "waiting"
    assert "link" not in mine[-1]["data"]

    physician = await Signal.physician(video_server, aid, p.physician.access_token)
    admit = await http.post(f"/api/v1/video/appointments/{aid}/admit",
                            headers=p.physician.headers, json={"offerer": "patient"})
    assert admit.status_code == 200, admit.text
    assert admit.json()["ice_servers"] == []
    assert admit.json()["signal_url"].endswith(f"/api/v1/video/appointments/{aid}/signal")
    assert await patient.next() == {"type": "admitted", "offerer": "patient"}
    assert await physician.next() == {"type": "admitted", "offerer": "patient"}
    assert await _status(http, p.staff.headers, aid) == "in_call"

    # Verbatim and in order, both ways; unknown types are not relayed.
    offer = '{"type":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"}'
    await patient.ws.send(offer)
    for i in range(50):
        await patient.send({"type": "ice", "candidate": f"candidate:{i}", "sdpMid": "0",
                            "sdpMLineIndex": 0})
    await patient.send({"type": "chat", "text": "nicht weiterleiten"})
    first = await asyncio.wait_for(physician.ws.recv(), 3)
    assert first == offer
    got = [json.loads(await asyncio.wait_for(physician.ws.recv(), 3)) for _ in range(50)]
    assert [g["candidate"] for g in got] == [f"candidate:{i}" for i in range(50)]
    await physician.send({"type": "answer", "sdp": "v=0"})
    assert await patient.next() == {"type": "answer", "sdp": "v=0"}

    # The quality summary lands in the call's metadata; then the physician hangs up.
    await physician.send({"type": "quality", "rtt_ms_median": 12.5, "loss_pct_max": 0.0,
                          "bitrate_kbps_median": 900, "send_resolution_min": "640x480",
                          "sdp": "must not be stored"})
    await physician.send({"type": "hangup"})
    assert await patient.next() == {"type": "hangup"}
    assert await patient.next() == {"type": "ended"}
    assert await physician.next() == {"type": "ended"}
    assert await patient.close_code() == 1000
    assert await _status(http, p.staff.headers, aid) == "ended"
    await physician.ws.close()

    calls = await http.get(f"/api/v1/patients/{appointment['patient_id']}/video-calls",
                           headers=p.staff.headers)
    assert calls.status_code == 200
    [call] = calls.json()
    assert call["appointment_id"] == aid
    assert call["participants"] == ["physician", "patient"]
    assert call["ended_at"] is not None
    assert call["duration_seconds"] >= 0
    assert call["quality"] == {"rtt_ms_median": 12.5, "loss_pct_max": 0.0,
                               "bitrate_kbps_median": 900, "send_resolution_min": "640x480"}
    # Logs name ids only: no SDP (addresses), no token, code or name.
    logged = caplog.text
    assert f"video {aid}" in logged
    for secret in ("127.0.0.1\\r\\n", "IN IP4", token_of(appointment["link"]),
                   appointment["code"], "Erika", "candidate:"):
        assert secret not in logged
    # The ended appointment's link is dead now.
    again = await Signal.patient(video_server, token_of(appointment["link"]))
    assert await again.close_code() == 4404


async def test_peer_left_and_frames_queued_for_a_late_physician(
        video_server: LiveServer, http: httpx.AsyncClient, logins: PracticeLogins) -> None:
    p = logins.on(video_server, http)
    appointment = await p.appointment()
    aid = appointment["id"]
    patient = await Signal.patient(video_server, token_of(appointment["link"]))
    assert (await patient.next())["type"] == "waiting"
    admit = await http.post(f"/api/v1/video/appointments/{aid}/admit",
                            headers=p.physician.headers, json={"offerer": "patient"})
    assert admit.status_code == 200, admit.text
    assert (await patient.next())["type"] == "admitted"
    await patient.send({"type": "offer", "sdp": "early"})
    # The physician's client connects only now: admitted first, then the queued offer.
    physician = await Signal.physician(video_server, aid, p.physician.access_token)
    assert await physician.next() == {"type": "admitted", "offerer": "patient"}
    assert await physician.next() == {"type": "offer", "sdp": "early"}

    # The physician's window goes away: the patient is told and waits again.
    await physician.ws.close()
    assert await patient.next() == {"type": "peer-left"}
    for _ in range(50):
        if await _status_of(http, p, aid) == "waiting":
            break
        await asyncio.sleep(0.02)
    assert await _status_of(http, p, aid) == "waiting"
    # Admitted again, then the patient leaves: peer-left to the physician.
    physician = await Signal.physician(video_server, aid, p.physician.access_token)
    admit = await http.post(f"/api/v1/video/appointments/{aid}/admit",
                            headers=p.physician.headers, json={"offerer": "physician"})
    assert admit.status_code == 200, admit.text
    assert (await physician.next())["type"] == "admitted"
    await patient.ws.close()
    assert await physician.next() == {"type": "peer-left"}
    calls = (await http.get(f"/api/v1/patients/{appointment['patient_id']}/video-calls",
                            headers=p.staff.headers)).json()
    assert len(calls) == 2
    assert all(c["ended_at"] is not None for c in calls)
    await physician.ws.close()


async def _status_of(http: httpx.AsyncClient, p: object, aid: str) -> str:
    return await _status(http, p.staff.headers, aid)  # type: ignore[attr-defined]


async def test_only_a_physician_may_hold_the_call(
        video_server: LiveServer, http: httpx.AsyncClient, logins: PracticeLogins,
        other_logins: PracticeLogins) -> None:
    p = logins.on(video_server, http)
    appointment = await p.appointment()
    aid = appointment["id"]
    patient = await Signal.patient(video_server, token_of(appointment["link"]))
    assert (await patient.next())["type"] == "waiting"
    for login in (p.staff, p.admin):
        refused = await http.post(f"/api/v1/video/appointments/{aid}/admit",
                                  headers=login.headers, json={"offerer": "physician"})
        assert refused.status_code == 403, refused.text
        socket = await Signal.physician(video_server, aid, login.access_token)
        assert await socket.close_code() == 4403
    bad = await Signal.physician(video_server, aid, "not-a-token")
    assert await bad.close_code() == 4401
    # Another practice's physician does not reach this room.
    other = other_logins.on(video_server, http)
    foreign = await Signal.physician(video_server, aid, other.physician.access_token)
    assert await foreign.close_code() == 4404
    assert (await http.post(f"/api/v1/video/appointments/{aid}/admit",
                            headers=other.physician.headers, json={})).status_code == 404
    # Nobody was admitted: the patient still waits and got nothing else.
    assert await _status(http, p.staff.headers, aid) == "waiting"
    await patient.ws.close()


async def test_oversized_frame_closes_1009_and_second_patient_replaces_first(
        video_server: LiveServer, http: httpx.AsyncClient, logins: PracticeLogins) -> None:
    p = logins.on(video_server, http)
    appointment = await p.appointment()
    token = token_of(appointment["link"])
    first = await Signal.patient(video_server, token)
    assert (await first.next())["type"] == "waiting"
    second = await Signal.patient(video_server, token, "Erika M.")
    assert (await second.next())["type"] == "waiting"
    assert await first.close_code() == 4409
    await second.ws.send(json.dumps({"type": "ice", "candidate": "x" * (64 * 1024)}))
    assert await second.close_code() == 1009
    # A nameless hello is refused.
    nameless = await Signal.patient(video_server, token, "   ")
    assert await nameless.close_code() == 4400
