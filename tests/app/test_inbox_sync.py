"""Patients, conversations and messages from the real server into the encrypted cache, as
the inbox shows them; sync events; the headless ``sync --once --json`` counts."""

from __future__ import annotations

import json
from pathlib import Path

from app.core import ClientCore
from app.events import EventBus
from app.inbox.types import InboxFilter, SyncProgress
from app.settings import Profile
from tests.app.conftest import Practice, logged_in_core
from tests.app.inbox_helpers import Staff, patient_writes
from tests.app.test_cli import praxisdesk


async def test_inbox_rows_and_thread_after_sync(profile: Profile, bus: EventBus,
                                                practice: Practice) -> None:
    staff = Staff(practice)
    mueller = staff.patient("Sabine Müller", email="s.mueller@example.de")
    becker = staff.patient("Klaus Becker")
    c1 = staff.conversation(mueller["id"])
    c2 = staff.conversation(becker["id"])
    token = c1["patient_link"].rsplit("/p/", 1)[1]
    patient_writes(practice, token, "Ich brauche eine Überweisung zum Orthopäden.")
    staff.send(c1["id"], "Die Überweisung liegt morgen bereit.")
    staff.send(c2["id"], "Ihre Laborwerte sind da.")

    changed: list[list[str]] = []
    progress: list[SyncProgress] = []
    bus.subscribe("inbox_changed", changed.append)
    bus.subscribe("sync_progress", progress.append)
    core = await logged_in_core(profile, bus, practice)
    try:
        result = await core.sync_once()
        assert result.counts["patient"] == 2
        assert result.counts["conversation"] == 2
        assert result.counts["message"] == 3
        assert {c1["id"], c2["id"]} <= set(changed[-1])
        assert progress[-1].finished is True
        assert progress[-1].done == result.applied
        # total = received + the page's "remaining" when the server sends it, else 0.
        assert all(p.total == 0 or p.total >= p.done for p in progress)

        inbox = core.inbox
        assert inbox.inbox_count(InboxFilter()) == 2
        ids = inbox.inbox_ids(InboxFilter(), 0, 50)
        assert ids == [c2["id"], c1["id"]]  # newest activity first
        rows = inbox.inbox_rows(ids)
        assert rows[c1["id"]].patient_name == "Sabine Müller"
        assert rows[c1["id"]].preview == "Die Überweisung liegt morgen bereit."
        assert rows[c2["id"]].patient_name == "Klaus Becker"

        thread = inbox.thread_items(c1["id"], 0, 50)
        assert [(t.kind, t.author, t.text) for t in thread] == [
            ("message", "patient", "Ich brauche eine Überweisung zum Orthopäden."),
            ("message", "staff", "Die Überweisung liegt morgen bereit.")]
        assert thread[1].author_user_id == staff.user_id
        assert inbox.inbox_ids(InboxFilter(search="ueberweisung"), 0, 50) == [c1["id"]]
        assert inbox.inbox_ids(InboxFilter(search="mueller"), 0, 50) == [c1["id"]]
        assert inbox.inbox_ids(InboxFilter(search="LABORW"), 0, 50) == [c2["id"]]
        # The practice answered last: nothing unread.
        assert inbox.inbox_ids(InboxFilter(unread_only=True), 0, 50) == []

        # A live change after the initial sync: only what changed arrives.
        patient_writes(practice, token, "Danke!")
        changed.clear()
        again = await core.sync_once()
        assert again.counts.get("message") == 1
        assert changed == [[c1["id"]]]
        assert inbox.inbox_ids(InboxFilter(), 0, 1) == [c1["id"]]
        assert inbox.inbox_rows([c1["id"]])[c1["id"]].preview == "Danke!"
        assert inbox.thread_count(c1["id"]) == 3
        assert inbox.inbox_ids(InboxFilter(unread_only=True), 0, 50) == [c1["id"]]
        assert inbox.inbox_rows([c1["id"]])[c1["id"]].unread_count == 1
    finally:
        await core.close()
        staff.close()


async def test_start_conversation_finds_or_creates_the_patient(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    existing = staff.patient("Jürgen Schäfer", dob="1979-01-30")
    core: ClientCore = await logged_in_core(profile, bus, practice)
    try:
        cid = await core.start_conversation("jürgen  schäfer", "1979-01-30", None)
        assert core.inbox.inbox_rows([cid])[cid].patient_name == "Jürgen Schäfer"
        conversation = staff.http.get(f"/conversations/{cid}").json()
        assert conversation["patient_id"] == existing["id"]  # no duplicate patient

        new_cid = await core.start_conversation("Aylin Öztürk", "1991-07-23",
                                                "aylin@example.de")
        assert new_cid != cid
        patients = staff.http.get("/patients", params={"q": "Öztürk"}).json()["items"]
        assert [p["name"] for p in patients] == ["Aylin Öztürk"]
        await core.sync_once()
        assert set(core.inbox.inbox_ids(InboxFilter(), 0, 10)) == {cid, new_cid}
    finally:
        await core.close()
        staff.close()


def test_cli_sync_prints_counts_per_kind(tmp_path: Path, practice: Practice) -> None:
    staff = Staff(practice)
    patient = staff.patient("Heinz Weiß")
    conversation = staff.conversation(patient["id"])
    staff.send(conversation["id"], "Guten Tag")
    profile = str(tmp_path / "cli-profile")
    ok = praxisdesk("--profile", profile, "login", "--server", practice.server.url,
                    "--email", practice.staff_email, "--password-stdin",
                    stdin="correct horse battery\n")
    assert ok.returncode == 0, ok.stderr
    synced = praxisdesk("--profile", profile, "sync", "--once", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["counts"] == {"user": 2, "patient": 1, "conversation": 1, "message": 1}
    again = json.loads(praxisdesk("--profile", profile, "sync", "--once", "--json").stdout)
    assert again["applied"] == 0
    assert again["counts"] == {}
    staff.close()
