"""What a purge leaves behind: a deletion log entry (ids and counts, no text) that the
audit check covers, and a sync feed without the purged objects but with the policy change."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from backend_server import admin
from backend_server.models.deletion_log import DeletionLog
from backend_server.retention.deletion_log import payload_hash
from tests.server.harness import Harness
from tests.server.inbox.helpers import staff_send
from tests.server.inquiries.helpers import changes_after, of_kind, sync_cursor
from tests.server.retention.helpers import DAY, T0, purge, seed, travel

REPO_ROOT = Path(__file__).resolve().parents[3]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend_server", *args],
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)


async def _entries(server: Harness) -> list[DeletionLog]:
    async with server.ctx.db.session(system=True) as session:
        return list((await session.execute(select(DeletionLog))).scalars())


async def test_deletion_log_holds_ids_and_counts_and_is_verified(rserver: Harness) -> None:
    practice = await rserver.practice()
    staff = await rserver.logged_in(practice)
    seeded = await seed(rserver, staff, marker="Schilddrüsenwert")
    await travel(rserver, T0 + 106 * DAY, staff)
    report = await purge(rserver)

    [entry] = await _entries(rserver)
    assert entry.kind == "purge"
    assert entry.practice_id == practice
    assert entry.at == T0 + 106 * DAY
    assert entry.counts == report.counts
    assert entry.ids["message"]
    assert set(entry.ids["message"]) == {
        seeded.staff_message_id, seeded.patient_message_id}
    assert entry.ids["attachment"] == [seeded.attachment_id]
    assert entry.ids["inquiry"] == [seeded.inquiry_id]
    assert entry.ids["note"] == [seeded.note_id]
    assert entry.ids["conversation"] == [seeded.conversation_id]
    stored = json.dumps([entry.counts, entry.ids], ensure_ascii=False)
    assert "Schilddrüsenwert" not in stored
    assert "Mustermann" not in stored
    assert entry.payload_sha256 == payload_hash(entry)

    audit = await admin.verify_audit_log(rserver.ctx)
    assert audit.ok
    deletions = await admin.verify_deletion_log_entries(rserver.ctx)
    assert deletions.ok
    assert deletions.entries == 1
    ok = await asyncio.to_thread(_cli, "audit", "verify", "--data-dir", str(rserver.data_dir))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "deletion log ok, 1 entries" in ok.stdout


async def test_tampered_deletion_log_is_named(rserver: Harness) -> None:
    practice = await rserver.practice()
    staff = await rserver.logged_in(practice)
    await seed(rserver, staff)
    await travel(rserver, T0 + 106 * DAY, staff)
    await purge(rserver)
    [entry] = await _entries(rserver)

    # Someone makes the purge look smaller...
    conn = sqlite3.connect(rserver.settings.sqlite_path)
    try:
        conn.execute("UPDATE deletion_log SET counts = json_set(counts, '$.message', 1)")
        conn.commit()
    finally:
        conn.close()
    broken = await asyncio.to_thread(_cli, "audit", "verify", "--data-dir",
                                     str(rserver.data_dir))
    assert broken.returncode == 1
    assert entry.id in broken.stdout
    assert "altered" in broken.stdout

    # ...and even recomputes the entry's own hash: the audit chain still holds the old one.
    async with rserver.ctx.db.session(system=True) as session:
        row = (await session.execute(select(DeletionLog))).scalar_one()
        assert row.counts["message"] == 1
        forged = payload_hash(row)
    conn = sqlite3.connect(rserver.settings.sqlite_path)
    try:
        conn.execute("UPDATE deletion_log SET payload_sha256 = ?", (forged,))
        conn.commit()
    finally:
        conn.close()
    report = await admin.verify_deletion_log_entries(rserver.ctx)
    assert not report.ok
    assert report.bad_id == entry.id
    assert report.problem is not None
    assert "audit log" in report.problem

    # A deleted entry is missed too.
    conn = sqlite3.connect(rserver.settings.sqlite_path)
    try:
        conn.execute("DELETE FROM deletion_log")
        conn.commit()
    finally:
        conn.close()
    gone = await asyncio.to_thread(_cli, "audit", "verify", "--data-dir",
                                   str(rserver.data_dir))
    assert gone.returncode == 1
    assert f"{entry.id} is missing" in gone.stdout


async def test_sync_feed_drops_purged_objects_and_carries_the_policy(rserver: Harness) -> None:
    practice = await rserver.practice()
    staff = await rserver.logged_in(practice)
    old = await seed(rserver, staff)
    kept = await seed(rserver, staff)
    await travel(rserver, T0 + 60 * DAY, staff)
    assert (await staff_send(rserver, staff, kept.conversation_id, "Bis bald")).status_code \
        == 201
    cursor = await sync_cursor(rserver, staff)

    await travel(rserver, T0 + 106 * DAY, staff)
    report = await purge(rserver)
    assert report.counts["conversation"] == 1

    purged = {old.conversation_id, old.staff_message_id, old.patient_message_id,
              old.inquiry_id, old.note_id, kept.staff_message_id, kept.patient_message_id,
              kept.inquiry_id, kept.note_id}
    since = await changes_after(rserver, staff, cursor)
    [policy] = of_kind(since, "retention_policy")
    assert policy["op"] == "upsert"
    assert policy["data"]["last_purge_at"] is not None
    assert policy["data"]["content_days"] == 105
    # The surviving conversation's new summary travels as an upsert.
    [conversation] = of_kind(since, "conversation")
    assert conversation["id"] == kept.conversation_id
    assert conversation["data"]["last_message_preview"] == "Bis bald"
    assert not {c["id"] for c in since} & purged

    # A client syncing from scratch never hears of the purged objects at all.
    everything = await changes_after(rserver, staff, "")
    assert not {c["id"] for c in everything} & purged
    assert kept.conversation_id in {c["id"] for c in of_kind(everything, "conversation")}
