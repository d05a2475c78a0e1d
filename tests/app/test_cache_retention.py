"""The cache applies the practice's retention rule: time travel with an injected ``now``
against content that really came from the server through sync."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from app.cache.database import open_cache_sync
from app.cache.migrations import migrate
from app.cache.purge import KINDS
from app.core import ClientCore
from app.events import EventBus
from app.inbox.types import InboxFilter
from app.settings import Profile
from backend_server.models.patient import Patient
from backend_server.retention.policy import policy_row
from tests.app.conftest import PASSWORD, Practice, logged_in_core
from tests.app.inbox_helpers import Staff

PDF = b"%PDF-1.4\n% Befund Knie\n" + os.urandom(2048)


def found(core: ClientCore, words: str) -> int:
    return core.inbox.inbox_count(InboxFilter(search=words))


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def rows(core: ClientCore, sql: str, *params: Any) -> list[Any]:
    assert core.cache is not None
    return list(await core.cache.run(lambda conn: conn.execute(sql, params).fetchall()))


def post(staff: Staff, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = staff.http.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_time_travel_day_104_105_106(tmp_path: Path, profile: Profile, bus: EventBus,
                                           practice: Practice) -> None:
    staff = Staff(practice)
    core = await logged_in_core(profile, bus, practice)
    purged: list[dict[str, int]] = []
    bus.subscribe("cache_purged", purged.append)
    try:
        # Day 0: one conversation that will stay active, one that will go quiet.
        kept = staff.conversation(staff.patient("Erika Dauer")["id"])["id"]
        quiet = staff.conversation(staff.patient("Otto Still")["id"])["id"]
        staff.send(kept, "Zahnschmerzen seit gestern")
        staff.send(quiet, "Impfpass bitte mitbringen")
        post(staff, f"/conversations/{kept}/notes", {"text": "Rückruf wegen Kniegelenk"})
        post(staff, f"/conversations/{kept}/inquiries",
             {"type": "other", "details": {}, "text": "Überweisung Orthopädie gewünscht"})
        scan = tmp_path / "befund.pdf"
        scan.write_bytes(PDF)
        await core.send_message(kept, "Befund anbei", str(scan))
        assert await core.deliver_outbox() == 1
        await core.sync_once()
        (attachment_id,) = (r[0] for r in await rows(core, "SELECT id FROM attachments"))
        await core.fetch_attachment(attachment_id)
        viewer_copy = Path(await core.open_attachment_copy(attachment_id))
        assert await asyncio.to_thread(viewer_copy.read_bytes) == PDF

        # Ten days later the kept conversation gets a new message.
        practice.server.clock.advance(timedelta(days=10))
        staff.close()
        staff = Staff(practice)  # the old access token ran out meanwhile
        staff.send(kept, "Blutdruck heute gemessen")
        await core.sync_once()

        old = [parse(r[0]) for r in await rows(
            core, "SELECT created_at FROM messages WHERE text != ? UNION ALL "
                  "SELECT created_at FROM notes UNION ALL SELECT created_at FROM inquiries",
            "Blutdruck heute gemessen")]
        first, last = min(old), max(old)
        (newest,) = (parse(r[0]) for r in await rows(
            core, "SELECT created_at FROM messages WHERE text = ?", "Blutdruck heute gemessen"))
        assert found(core, "zahnschmerzen") == 1
        assert found(core, "kniegelenk") == 1

        # Day 104 and the exact 105-day boundary: nothing is due yet.
        for now in (first + timedelta(days=104), first + timedelta(days=105)):
            counts = await core.purge_cache(now)
            assert set(counts) == set(KINDS)
            assert not any(counts.values()), counts
        assert (await rows(core, "SELECT count(*) FROM messages"))[0][0] == 4

        # Day 106: every day-0 item is gone, the quiet conversation whole.
        counts = await core.purge_cache(last + timedelta(days=106))
        assert counts["message"] == 3  # Zahnschmerzen, Befund, Impfpass
        assert counts["attachment"] == 1
        assert counts["attachment_blob"] == 1
        assert counts["inquiry"] == 1
        assert counts["note"] == 1
        assert counts["conversation"] == 1
        assert purged[-1] == counts
        assert await rows(core, "SELECT id FROM conversations") == [(kept,)]
        assert await rows(core, "SELECT text FROM messages") == [("Blutdruck heute gemessen",)]
        for table in ("attachments", "attachment_blobs", "inquiries", "notes"):
            assert await rows(core, f"SELECT * FROM {table}") == []  # noqa: S608
        # The decrypted viewer copy went with it.
        assert not await asyncio.to_thread(viewer_copy.exists)
        for word in ("zahnschmerzen", "kniegelenk", "orthopadie", "impfpass", "otto"):
            assert found(core, word) == 0, word
        assert found(core, "blutdruck") == 1
        assert found(core, "erika") == 1
        assert await rows(core, "SELECT term FROM search_terms WHERE term = 'zahnschmerzen'") \
            == []  # the vocabulary forgets purged words too
        row = core.inbox.inbox_rows([kept])[kept]
        assert row.preview == "Blutdruck heute gemessen"
        assert row.open_inquiries == 0
        assert row.expires_at is not None
        assert parse(row.expires_at) == parse(row.last_activity_at) + timedelta(days=105)
        assert abs(parse(row.expires_at) - (newest + timedelta(days=105))) < timedelta(seconds=5)

        again = await core.purge_cache(last + timedelta(days=106))
        assert not any(again.values())  # idempotent

        # 105 days after the last activity the rest goes as well.
        counts = await core.purge_cache(newest + timedelta(days=105, minutes=1))
        assert counts["conversation"] == 1
        assert counts["message"] == 1
        assert await rows(core, "SELECT count(*) FROM conversations") == [(0,)]
        assert found(core, "blutdruck") == 0
        assert core.cache is not None
        assert await core.cache.run(
            lambda conn: conn.execute("PRAGMA freelist_count").fetchone()[0]) == 0
    finally:
        staff.close()
        await core.close()


async def _set_policy(practice: Practice, content_days: int) -> None:
    ctx = practice.server._ctx
    async with ctx.db.session(practice_id=practice.practice_id) as session:
        row = await policy_row(session, practice.practice_id, practice.server.clock.now())
        row.content_days = content_days
        row.updated_at = practice.server.clock.now()
        await session.commit()


async def test_synced_policy_sets_period_and_purges_at_once(profile: Profile, bus: EventBus,
                                                            practice: Practice) -> None:
    staff = Staff(practice)
    core = await logged_in_core(profile, bus, practice)
    purged: list[dict[str, int]] = []
    bus.subscribe("cache_purged", purged.append)
    try:
        cid = staff.conversation(staff.patient("Lena Kurz")["id"])["id"]
        staff.send(cid, "Termin am Montag")
        await core.sync_once()
        assert purged == []  # a plain page does not purge
        row = core.inbox.inbox_rows([cid])[cid]
        assert row.expires_at is not None
        assert parse(row.expires_at) == parse(row.last_activity_at) + timedelta(days=105)

        practice.server._run(_set_policy(practice, 30))
        await core.sync_once()
        assert len(purged) == 1  # the policy page triggered one purge
        row = core.inbox.inbox_rows([cid])[cid]
        assert row.expires_at is not None
        assert parse(row.expires_at) == parse(row.last_activity_at) + timedelta(days=30)
        # The cache applies the shorter period itself.
        counts = await core.purge_cache(parse(row.last_activity_at) + timedelta(days=31))
        assert counts["conversation"] == 1
        assert counts["message"] == 1
    finally:
        staff.close()
        await core.close()


async def _delete_patient(practice: Practice, patient_id: str) -> None:
    ctx = practice.server._ctx
    async with ctx.db.session(practice_id=practice.practice_id) as session:
        patient = await session.get(Patient, patient_id)
        assert patient is not None
        await session.delete(patient)
        await session.commit()


async def test_patient_tombstone_removes_all_of_the_patients_data(
        tmp_path: Path, profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    core = await logged_in_core(profile, bus, practice)
    purged: list[dict[str, int]] = []
    bus.subscribe("cache_purged", purged.append)
    try:
        gone = staff.patient("Gisela Weg")["id"]
        stays = staff.patient("Hans Da")["id"]
        first = staff.conversation(gone)["id"]
        second = staff.conversation(gone)["id"]
        other = staff.conversation(stays)["id"]
        staff.send(first, "Schilddrüse Befund")
        staff.send(second, "Schilddrüse Kontrolle")
        staff.send(other, "Schilddrüse bei Hans")
        post(staff, f"/conversations/{first}/notes", {"text": "Notiz Gisela"})
        post(staff, f"/conversations/{second}/inquiries",
             {"type": "other", "details": {}, "text": "Rezept"})
        scan = tmp_path / "scan.pdf"
        scan.write_bytes(PDF)
        await core.send_message(first, "Anhang", str(scan))
        assert await core.deliver_outbox() == 1
        await core.sync_once()
        (aid,) = (r[0] for r in await rows(core, "SELECT id FROM attachments"))
        await core.fetch_attachment(aid)
        await core.add_note(second, "noch nicht gesendet")  # waits in the outbox
        assert found(core, "schilddruse") == 3

        practice.server._run(_delete_patient(practice, gone))
        result = await core.sync_once()
        assert result.counts.get("patient") == 1
        assert await rows(core, "SELECT id FROM conversations") == [(other,)]
        assert await rows(core, "SELECT count(*) FROM patients WHERE id = ?", gone) == [(0,)]
        for table in ("messages", "inquiries", "notes", "attachments", "outbox"):
            assert await rows(
                core, f"SELECT count(*) FROM {table} WHERE conversation_id IN (?, ?)",  # noqa: S608
                first, second) == [(0,)], table
        assert await rows(core, "SELECT count(*) FROM attachment_blobs") == [(0,)]
        assert found(core, "schilddruse") == 1
        assert found(core, "gisela") == 0
        assert purged, "a page with a delete is followed by a purge"
    finally:
        staff.close()
        await core.close()


def _praxisdesk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, text=True,
                          capture_output=True, env=dict(os.environ), timeout=60, check=False)


def test_purge_command_prints_counts(tmp_path: Path, practice: Practice) -> None:
    profile = str(tmp_path / "profile")
    refused = _praxisdesk("--profile", profile, "purge", "--json")
    assert refused.returncode == 1
    assert "Not logged in" in refused.stderr

    staff = Staff(practice)
    try:
        cid = staff.conversation(staff.patient("Paul Alt")["id"])["id"]
        staff.send(cid, "Alte Nachricht")
    finally:
        staff.close()
    assert _praxisdesk("--profile", profile, "login", "--server", practice.server.url,
                       "--email", practice.staff_email, "--password-stdin",
                       stdin=PASSWORD + "\n").returncode == 0
    assert _praxisdesk("--profile", profile, "sync", "--once").returncode == 0

    soon = _praxisdesk("--profile", profile, "purge", "--json")
    assert soon.returncode == 0, soon.stderr
    assert not any(json.loads(soon.stdout)["counts"].values())

    later = (datetime.now(UTC) + timedelta(days=106)).isoformat()
    done = _praxisdesk("--profile", profile, "purge", "--now", later, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["counts"]) == set(KINDS)
    assert report["counts"]["message"] == 1
    assert report["counts"]["conversation"] == 1
    assert parse(report["now"]) == parse(later)

    bad = _praxisdesk("--profile", profile, "purge", "--now", "gestern")
    assert bad.returncode == 2
    assert "ISO 8601" in bad.stderr


def test_new_cache_uses_incremental_vacuum_and_old_ones_are_converted(tmp_path: Path) -> None:
    key = os.urandom(32)
    fresh = open_cache_sync(tmp_path / "new.db", key)
    assert fresh._conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert fresh._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    fresh.close()

    # A cache as earlier versions made it: no auto-vacuum, schema 2, some data.
    path = tmp_path / "old.db"
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA journal_mode = WAL")
    from app.cache import migrations

    saved = migrations.MIGRATIONS[:]
    try:
        del migrations.MIGRATIONS[2:]
        migrate(conn)
    finally:
        migrations.MIGRATIONS[:] = saved
    conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'da')")
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    conn.close()

    db = open_cache_sync(path, key)
    assert db._conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert db._conn.execute("PRAGMA user_version").fetchone()[0] == len(saved)
    assert db._conn.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone()[0] == "da"
    db.close()
