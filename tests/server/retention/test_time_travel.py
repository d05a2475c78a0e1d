"""The 105-day rule, kind by kind, at days 104, 105 and 106 after creation.

Boundary (docs/api-contract.md, "Decisions (server purge)"): content is expired when it was
created *more* than ``content_days`` before now (``created_at < now - content_days``). So
content exactly 105 days old is still there; a microsecond later it is gone.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend_server.models.deletion_log import DeletionLog
from backend_server.models.patient import Patient
from backend_server.models.user import User
from backend_server.retention.purge import ContentStep, PracticeJob
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import staff_send
from tests.server.retention.helpers import (
    DAY,
    T0,
    Seeded,
    blob_path,
    count_rows,
    get,
    message_ids,
    note_ids,
    patient_create_retry,
    purge,
    seed,
    travel,
)

EMPTY = {"message": 0, "attachment": 0, "inquiry": 0, "note": 0, "patient_link": 0,
         "conversation": 0, "idempotency_key": 0, "video": 0, "form_request": 0, "call": 0}


async def _world(server: Harness) -> tuple[Account, Seeded, Seeded]:
    """Conversation A: everything made at T0, nothing since. Conversation B: the same, plus
    a staff message on day 50, so B itself stays and only its old content goes."""
    practice = await server.practice()
    staff = await server.logged_in(practice)
    a = await seed(server, staff)
    b = await seed(server, staff)
    await travel(server, T0 + 50 * DAY, staff)
    fresh = await staff_send(server, staff, b.conversation_id, "Termin am Dienstag, 9 Uhr")
    assert fresh.status_code == 201
    return staff, a, b


async def _assert_all_there(server: Harness, staff: Account, s: Seeded) -> None:
    cid = s.conversation_id
    assert await get(server, staff, f"/conversations/{cid}") == 200
    assert {s.staff_message_id, s.patient_message_id} <= await message_ids(server, staff, cid)
    assert await get(server, staff, f"/attachments/{s.attachment_id}") == 200
    assert blob_path(server, staff.practice_id, s.attachment_id).exists()
    assert await get(server, staff, f"/inquiries/{s.inquiry_id}") == 200
    assert s.note_id in await note_ids(server, staff, cid)
    assert (await server.client.get(f"/p/{s.token}")).status_code == 200
    assert await patient_create_retry(server, staff, s.patient_key) == 409


@pytest.mark.parametrize("day", [104, 105])
async def test_content_stays_through_day_105(rserver: Harness, day: int) -> None:
    staff, a, b = await _world(rserver)
    await travel(rserver, T0 + day * DAY, staff)
    report = await purge(rserver)
    assert report.counts == EMPTY
    for seeded in (a, b):
        await _assert_all_there(rserver, staff, seeded)


async def test_a_microsecond_after_day_105_it_is_gone(rserver: Harness) -> None:
    staff, a, _ = await _world(rserver)
    await travel(rserver, T0 + 105 * DAY, staff)
    assert (await purge(rserver)).counts == EMPTY
    report = await purge(rserver, T0 + 105 * DAY + timedelta(microseconds=1))
    assert report.counts["conversation"] == 1
    assert await get(rserver, staff, f"/conversations/{a.conversation_id}") == 404


async def test_day_106_every_kind_is_gone(rserver: Harness) -> None:
    staff, a, b = await _world(rserver)
    patients_before = await count_rows(rserver, Patient)
    users_before = await count_rows(rserver, User)
    await travel(rserver, T0 + 106 * DAY, staff)
    report = await purge(rserver)

    # A and B each lost 2 messages, 1 attachment, 1 inquiry, 1 note, 1 link; A is gone whole.
    assert report.counts == {"message": 4, "attachment": 2, "inquiry": 2, "note": 2,
                             "patient_link": 2, "conversation": 1, "idempotency_key": 2,
                             "video": 0, "form_request": 0, "call": 0}
    assert report.practices == {staff.practice_id: report.counts}

    # Conversation A: gone with everything in it.
    assert await get(rserver, staff, f"/conversations/{a.conversation_id}") == 404
    assert await get(rserver, staff, f"/conversations/{a.conversation_id}/messages") == 404
    assert await get(rserver, staff, f"/conversations/{a.conversation_id}/notes") == 404
    # Conversation B stays with its day-50 message only; its summary follows.
    body = (await rserver.client.get(f"/api/v1/conversations/{b.conversation_id}",
                                     headers=staff.headers)).json()
    assert body["last_message_preview"] == "Termin am Dienstag, 9 Uhr"
    assert body["open_inquiries"] == 0
    assert body["unread_count"] == 0
    assert body["link_active"] is False  # its only link was purged
    remaining = await message_ids(rserver, staff, b.conversation_id)
    assert len(remaining) == 1
    assert not remaining & {b.staff_message_id, b.patient_message_id}
    assert await note_ids(rserver, staff, b.conversation_id) == set()

    for s in (a, b):
        for path in (f"/attachments/{s.attachment_id}", f"/inquiries/{s.inquiry_id}"):
            assert await get(rserver, staff, path) == 404
        assert not blob_path(rserver, staff.practice_id, s.attachment_id).exists()
        assert (await rserver.client.get(f"/p/{s.token}")).status_code == 404
        assert (await rserver.client.get(
            f"/api/v1/p/{s.token}/attachments/{s.attachment_id}")).status_code == 404
        # The idempotency key is forgotten: the same key now makes a new patient.
        assert await patient_create_retry(rserver, staff, s.patient_key) == 201

    # Master data stays (plus the two patients the key retries just made).
    assert await count_rows(rserver, Patient) == patients_before + 2
    assert await count_rows(rserver, User) == users_before
    assert await get(rserver, staff, f"/patients/{a.patient_id}") == 200

    # A second run finds nothing more.
    assert (await purge(rserver)).counts == EMPTY


async def test_each_practice_uses_its_own_period(rserver: Harness) -> None:
    short_practice = await rserver.practice()
    admin = await rserver.logged_in(short_practice, "admin")
    shortened = await rserver.client.put("/api/v1/practice/retention", headers=admin.headers,
                                         json={"content_days": 30, "video_days": 90})
    assert shortened.status_code == 200, shortened.text
    other_practice = await rserver.practice()
    other = await rserver.logged_in(other_practice)
    short = await seed(rserver, admin)
    kept = await seed(rserver, other)

    await travel(rserver, T0 + 30 * DAY, admin, other)
    assert (await purge(rserver)).counts == EMPTY

    await travel(rserver, T0 + 31 * DAY, admin, other)
    report = await purge(rserver)
    assert report.practices[short_practice]["conversation"] == 1
    assert report.practices[other_practice] == EMPTY
    assert await get(rserver, admin, f"/conversations/{short.conversation_id}") == 404
    assert not blob_path(rserver, short_practice, short.attachment_id).exists()
    await _assert_all_there(rserver, other, kept)


def _dump(server: Harness) -> list[str]:
    """Every row of every table (read through a second connection, WAL included)."""
    conn = sqlite3.connect(server.settings.sqlite_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


async def test_dry_run_counts_and_changes_nothing(rserver: Harness) -> None:
    staff, a, _ = await _world(rserver)
    await travel(rserver, T0 + 106 * DAY, staff)
    before = _dump(rserver)
    blobs_before = sorted(p for p in (rserver.data_dir / "blobs").rglob("*") if p.is_file())

    dry = await purge(rserver, dry_run=True)
    assert dry.dry_run is True
    assert dry.counts["message"] == 4
    assert _dump(rserver) == before
    assert sorted(p for p in (rserver.data_dir / "blobs").rglob("*")
                  if p.is_file()) == blobs_before
    await _assert_all_there(rserver, staff, a)

    real = await purge(rserver)
    assert real.counts == dry.counts


async def test_a_failed_run_still_logs_and_refreshes_what_it_did(
        rserver: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    staff, a, b = await _world(rserver)
    await travel(rserver, T0 + 106 * DAY, staff)

    async def broken(self: ContentStep, job: PracticeJob) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(ContentStep, "_idempotency_keys", broken)
    with pytest.raises(OSError, match="disk on fire"):
        await purge(rserver)

    # Messages went before the failure: logged, and B's preview no longer quotes them.
    async with rserver.ctx.db.session(system=True) as session:
        [entry] = (await session.execute(select(DeletionLog))).scalars().all()
    assert entry.counts["message"] == 4
    assert entry.counts["idempotency_key"] == 0
    body = (await rserver.client.get(f"/api/v1/conversations/{b.conversation_id}",
                                     headers=staff.headers)).json()
    assert body["last_message_preview"] == "Termin am Dienstag, 9 Uhr"
    assert body["open_inquiries"] == 0

    monkeypatch.undo()
    rest = await purge(rserver)
    assert rest.counts["idempotency_key"] == 2
    assert rest.counts["conversation"] == 1
    assert await get(rserver, staff, f"/conversations/{a.conversation_id}") == 404
