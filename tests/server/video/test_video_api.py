"""Staff API and patient-page rules of video appointments, on an in-process server that
mails through a real SMTP server (aiosmtpd): invitation, day list, 31-day limit, the link's
30 min / 2 h window on the injected clock, resend, cancel, code join and its rate limit,
the physician-only admit, ICE servers, and retention (purge at 90 days, erasure, export)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend_server.config import Settings
from backend_server.log_redaction import redact_path
from backend_server.models.deletion_log import DeletionLog
from backend_server.models.video import VideoAppointment, VideoCall
from backend_server.retention.purge import run_purge
from backend_server.video.ice import ice_servers
from backend_server.video.service import CODE_ALPHABET, mark_waiting, reset_rooms
from tests.server.harness import Account, Harness, assert_problem
from tests.server.notifications.conftest import Inbox, free_port, harness

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
async def server(tmp_path: Path, smtp_inbox: tuple[Inbox, int]) -> AsyncIterator[Harness]:
    async for h in harness(tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_inbox[1],
                           smtp_starttls=False, smtp_from="praxis@example.org",
                           notify_retry_base_seconds=0.01, patient_rate_per_minute=30):
        yield h


async def _refresh(server: Harness, account: Account) -> None:
    """A new access token without another argon2 login."""
    response = await server.client.post("/api/v1/auth/refresh",
                                        json={"refresh_token": account.refresh_token})
    assert response.status_code == 200, response.text
    account.access_token = response.json()["access_token"]
    account.refresh_token = response.json()["refresh_token"]


async def _setup(server: Harness, *, with_physician: bool = True
                 ) -> tuple[Account, Account, Account, str]:
    practice = await server.practice("Praxis Sonnenschein")
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    physician = await server.logged_in(practice, "physician") if with_physician else admin
    patient = await server.client.post("/api/v1/patients", headers=staff.headers, json={
        "name": "Erika Mustermann", "dob": "1984-08-12", "email": "erika@example.org"})
    assert patient.status_code == 201, patient.text
    return staff, physician, admin, str(patient.json()["id"])


async def _create(server: Harness, staff: Account, patient_id: str,
                  at: datetime) -> dict[str, Any]:
    response = await server.client.post("/api/v1/video/appointments", headers=staff.headers,
                                        json={"patient_id": patient_id,
                                              "scheduled_at": at.isoformat()})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _token(link: str) -> str:
    return link.rsplit("/v/", 1)[1]


async def test_appointment_rules_window_invitation_and_code(
        server: Harness, smtp_inbox: tuple[Inbox, int]) -> None:
    inbox = smtp_inbox[0]
    staff, physician, admin, patient_id = await _setup(server)
    client = server.client
    at = (server.clock.now() + timedelta(hours=2)).replace(microsecond=0)
    made = await _create(server, staff, patient_id, at)
    assert made["status"] == "scheduled"
    assert len(made["code"]) == 9
    assert set(made["code"]) <= set(CODE_ALPHABET)
    assert made["valid_from"].startswith((at - timedelta(minutes=30)).isoformat()[:16])
    assert made["created_by_user_id"] == staff.user_id
    link, token = made["link"], _token(made["link"])
    # The link is never shown again.
    again = await client.get(f"/api/v1/video/appointments/{made['id']}", headers=staff.headers)
    assert "link" not in again.json()

    # The e-mail and the staff message: link, code, Berlin date and time, terms.
    local = at.astimezone(BERLIN)
    code = f"{made['code'][:3]}-{made['code'][3:6]}-{made['code'][6:]}"
    [mail] = await inbox.wait_for(1)
    text = mail.get_content()
    for part in (link, code, local.strftime("%d.%m.%Y"), local.strftime("%H:%M"), "/v/terms"):
        assert part in text
    assert "Erika" not in text
    messages = await client.get(
        f"/api/v1/conversations/{made['conversation_id']}/messages", headers=staff.headers)
    [message] = messages.json()["items"]
    assert message["author"] == "staff"
    for part in (link, code, local.strftime("%d.%m.%Y um %H:%M Uhr"), "/v/terms"):
        assert part in message["text"]

    # Day list (Berlin day), 31-day limit.
    day = await client.get("/api/v1/video/appointments",
                           params={"day": local.date().isoformat()}, headers=physician.headers)
    assert [a["id"] for a in day.json()] == [made["id"]]
    other = await client.get("/api/v1/video/appointments", headers=staff.headers,
                             params={"day": (local.date() + timedelta(days=1)).isoformat()})
    assert other.json() == []
    far = await client.post("/api/v1/video/appointments", headers=staff.headers, json={
        "patient_id": patient_id,
        "scheduled_at": (server.clock.now() + timedelta(days=31, minutes=1)).isoformat()})
    assert_problem(far, 422, "too_far_ahead")

    # The window: not yet (2 h ahead), open from 30 min before, closed 2 h after.
    assert (await client.get(f"/v/{token}/info")).status_code == 404
    page = await client.get(f"/v/{token}")
    assert page.status_code == 404
    assert 'data-state="invalid"' in page.text
    server.clock.advance(timedelta(minutes=91))
    for account in (staff, physician, admin):  # access tokens live 15 minutes
        await _refresh(server, account)
    info = await client.get(f"/v/{token}/info")
    assert info.status_code == 200, info.text
    assert info.json()["practice_name"] == "Praxis Sonnenschein"
    assert info.json()["ice_servers"] == []
    assert "Content-Security-Policy" in (await client.get(f"/v/{token}")).headers

    # Code join (case and dashes do not matter); the e-mailed link keeps working.
    joined = await client.post("/v/code", data={"code": code.lower()})
    assert joined.status_code == 303
    code_token = joined.headers["location"].rsplit("/v/", 1)[1]
    assert (await client.get(f"/v/{code_token}/info")).status_code == 200
    assert (await client.get(f"/v/{token}/info")).status_code == 200
    assert (await client.post("/v/code", data={"code": "AAAAAAAAA"})).status_code == 404

    # Staff and admin never admit (403); the physician gets 409 while nobody waits.
    for login in (staff, admin):
        refused = await client.post(f"/api/v1/video/appointments/{made['id']}/admit",
                                    headers=login.headers, json={"offerer": "physician"})
        assert refused.status_code == 403, refused.text
    nobody = await client.post(f"/api/v1/video/appointments/{made['id']}/admit",
                               headers=physician.headers, json={"offerer": "physician"})
    assert_problem(nobody, 409, "not_waiting")

    # Resend: a new link, the old one dies at once.
    resent = await client.post(f"/api/v1/video/appointments/{made['id']}/resend",
                               headers=staff.headers)
    assert resent.status_code == 200, resent.text
    new_token = _token(resent.json()["link"])
    assert new_token != token
    assert (await client.get(f"/v/{token}/info")).status_code == 404
    assert (await client.get(f"/v/{new_token}/info")).status_code == 200
    await inbox.wait_for(2)

    # 2 h after the appointment the link is dead.
    server.clock.advance(timedelta(minutes=29 + 120))
    await _refresh(server, staff)
    assert (await client.get(f"/v/{new_token}/info")).status_code == 404

    # Cancel: dead at once, also within the window.
    second = await _create(server, staff, patient_id, server.clock.now() + timedelta(minutes=5))
    assert (await client.get(f"/v/{_token(second['link'])}/info")).status_code == 200
    cancelled = await client.post(f"/api/v1/video/appointments/{second['id']}/cancel",
                                  headers=staff.headers)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"] is not None
    assert (await client.get(f"/v/{_token(second['link'])}/info")).status_code == 404

    # Another practice: its staff see nothing of ours, our link stays ours.
    practice_b = await server.practice("Praxis B")
    b_staff = await server.logged_in(practice_b, "staff")
    foreign = await client.get(f"/api/v1/video/appointments/{second['id']}",
                               headers=b_staff.headers)
    assert_problem(foreign, 404, "not_found")

    # Guessing codes is rate-limited per IP like every patient route.
    statuses = [(await client.post("/v/code", data={"code": "CCCCCCCCC"})).status_code
                for _ in range(35)]
    assert 429 in statuses


def test_ice_servers_follow_the_coturn_rest_scheme(tmp_path: Path) -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert ice_servers(Settings(data_dir=tmp_path), now) == []
    settings = Settings(data_dir=tmp_path, video_stun_urls="stun:turn.praxis.example:3478",
                        video_turn_urls="turn:turn.praxis.example:3478?transport=udp, "
                                        "turns:turn.praxis.example:5349",
                        video_turn_secret="geheim", video_turn_ttl_seconds=600)
    stun, turn = ice_servers(settings, now)
    assert stun == {"urls": ["stun:turn.praxis.example:3478"]}
    assert turn["urls"] == ["turn:turn.praxis.example:3478?transport=udp",
                            "turns:turn.praxis.example:5349"]
    expiry, _, _ = turn["username"].partition(":")
    assert int(expiry) == int(now.timestamp()) + 600
    expected = base64.b64encode(hmac.new(b"geheim", turn["username"].encode(),
                                         hashlib.sha1).digest()).decode()
    assert turn["credential"] == expected


async def _call_row(server: Harness, appointment: dict[str, Any], physician: Account) -> str:
    """A call's metadata as the hub writes it at admit (the socket flow is tested in
    test_signalling.py)."""
    now = server.clock.now()
    async with server.ctx.db.session(system=True) as session:
        call = VideoCall(practice_id=physician.practice_id, appointment_id=appointment["id"],
                         patient_id=appointment["patient_id"],
                         physician_user_id=physician.user_id, started_at=now,
                         ended_at=now + timedelta(minutes=12), duration_seconds=720,
                         participants=["physician", "patient"], created_at=now)
        session.add(call)
        await session.commit()
        return call.id


async def test_metadata_purged_after_90_days_erased_and_exported(server: Harness) -> None:
    staff, physician, admin, patient_id = await _setup(server, with_physician=False)
    start = server.clock.now()
    appointment = await _create(server, staff, patient_id, start + timedelta(minutes=10))
    call_id = await _call_row(server, appointment, physician)
    calls = await server.client.get(f"/api/v1/patients/{patient_id}/video-calls",
                                    headers=staff.headers)
    assert [c["id"] for c in calls.json()] == [call_id]
    assert calls.json()[0]["duration_seconds"] == 720

    # The export lists both (no link token in it).
    export = await server.client.get(f"/api/v1/patients/{patient_id}/export",
                                     headers=admin.headers)
    assert export.status_code == 200, export.text
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        video = json.loads(archive.read("video.json"))
    assert [a["id"] for a in video["appointments"]] == [appointment["id"]]
    assert [c["id"] for c in video["calls"]] == [call_id]
    assert "token" not in json.dumps(video)

    # A restart forgets every socket: a waiting patient is no longer shown as waiting.
    assert await mark_waiting(server.ctx, staff.practice_id, appointment["id"], "Erika M.")
    assert await reset_rooms(server.ctx) == 1
    shown = await server.client.get(f"/api/v1/video/appointments/{appointment['id']}",
                                    headers=staff.headers)
    assert shown.json()["status"] == "scheduled"

    # Day 89: kept. Day 91: gone, with a deletion log entry.
    report = await run_purge(server.ctx, now=start + timedelta(days=89))
    assert report.counts["video"] == 0
    report = await run_purge(server.ctx, now=start + timedelta(days=91))
    assert report.counts["video"] == 2
    async with server.ctx.db.session(system=True) as session:
        assert (await session.execute(select(VideoCall))).first() is None
        assert (await session.execute(select(VideoAppointment))).first() is None
        entry = (await session.execute(
            select(DeletionLog).where(DeletionLog.practice_id == staff.practice_id)
            .order_by(DeletionLog.at.desc()))).scalars().first()
    assert entry is not None
    assert entry.counts["video"] == 2
    assert entry.ids["video_call"] == [call_id]
    assert entry.ids["video_appointment"] == [appointment["id"]]

    # Erasure of a patient removes their video rows too.
    other = await _create(server, staff, patient_id, server.clock.now() + timedelta(hours=1))
    await _call_row(server, other, physician)
    erased = await server.client.post(f"/api/v1/patients/{patient_id}/erase",
                                      headers=admin.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["counts"]["video_call"] == 1
    assert erased.json()["counts"]["video_appointment"] == 1
    async with server.ctx.db.session(system=True) as session:
        assert (await session.execute(select(VideoAppointment))).first() is None


def test_video_link_tokens_are_redacted_in_logs() -> None:
    assert redact_path("GET /v/Zq3-x_9/signal HTTP/1.1") == "GET /v/<redacted>/signal HTTP/1.1"
    assert redact_path("GET /v/Zq3-x_9 HTTP/1.1") == "GET /v/<redacted> HTTP/1.1"
    assert redact_path("POST /v/code HTTP/1.1") == "POST /v/code HTTP/1.1"
    assert redact_path("GET /v/terms HTTP/1.1") == "GET /v/terms HTTP/1.1"
