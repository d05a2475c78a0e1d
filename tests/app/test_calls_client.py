"""The client core's calls section against the real server: calls handed in through the
telephony upload reach the cache in queue order, an urgent one is announced once, edits go
through the outbox to the server, "take as inquiry" lands in the inbox, and the recording
comes back into memory only. The calls are real German speech (espeak-ng) analysed by the
server's own pipeline (Whisper base, triage)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.audio.player import AudioPlayer
from app.calls.types import CallerFields, CallStatus
from app.events import EventBus
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, logged_in_core
from tests.support.calls import PhoneLine
from tests.support.live_server import LiveServer, start_live_server

# Clear sentences whose category (and urgency) the pipeline gets right on espeak-ng audio.
PRESCRIPTION = "Ich brauche ein neues Rezept für mein Blutdruckmittel."
EMERGENCY = "Mein Vater hat starken Druck auf der Brust und bekommt keine Luft."
APPOINTMENT = "Ich hätte gern einen Termin in der Praxis."
SICK_NOTE = "Ich brauche eine Krankschreibung."


@pytest.fixture(scope="module")
def calls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module (starting one costs seconds); each test has its own
    practice on it."""
    server = start_live_server(tmp_path_factory.mktemp("calls-server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def practice(calls_server: LiveServer) -> Practice:
    tag = uuid.uuid4().hex[:8]
    pid = calls_server.create_practice(f"Praxis {tag}")
    admin, staff = f"chefin-{tag}@praxis.example", f"empfang-{tag}@praxis.example"
    calls_server.create_user(pid, admin, "admin", PASSWORD, "Dr. Anna Test")
    calls_server.create_user(pid, staff, "staff", PASSWORD, "Ben Empfang")
    return Practice(calls_server, pid, admin, staff)


@pytest.fixture
def line(practice: Practice) -> Iterator[PhoneLine]:
    phone = PhoneLine(practice.server, practice.admin_email, PASSWORD)
    yield phone
    phone.close()


def test_calls_sync_in_queue_order_and_an_urgent_one_is_announced_once(
        profile: Profile, bus: EventBus, practice: Practice, line: PhoneLine) -> None:
    urgent_events: list[list[str]] = []
    bus.subscribe("urgent_call", urgent_events.append)
    plain = line.call("+4930111", PRESCRIPTION)

    async def run() -> None:
        core = await logged_in_core(profile, bus, practice)  # while the server analyses
        try:
            heard = line.wait_ready(plain)
            await core.sync_once()  # the first full sync: nothing to alert for
            assert core.calls.call_ids() == [plain]
            row = core.calls.call(plain)
            assert row is not None
            assert row.category == "prescription"
            assert not row.urgent
            assert row.transcript == heard["transcript"]
            assert row.transcript
            assert row.has_recording

            urgent = line.call("+4930222", EMERGENCY)
            newer = line.call("+4930333", APPOINTMENT)
            line.wait_ready(urgent)
            line.wait_ready(newer)
            await core.sync_once()
            alarm, later = core.calls.call(urgent), core.calls.call(newer)
            assert alarm is not None
            assert later is not None
            assert (alarm.category, alarm.urgent) == ("emergency", True)
            assert (later.category, later.urgent) == ("appointment", False)
            assert core.calls.call_ids() == [urgent, newer, plain]
            assert urgent_events == [[urgent]]
            await core.sync_once()  # nothing new: no second alert
            assert urgent_events == [[urgent]]
        finally:
            await core.close()

    asyncio.run(run())


def test_edits_go_through_the_outbox_and_reach_the_server(
        profile: Profile, bus: EventBus, practice: Practice, line: PhoneLine) -> None:
    call_id = line.call("+4930444", APPOINTMENT)
    changed: list[object] = []
    bus.subscribe("calls_changed", changed.append)

    async def run() -> None:
        core = await logged_in_core(profile, bus, practice)  # while the server analyses
        try:
            line.wait_ready(call_id)
            await core.sync_once()
            me = str(core.user["id"])
            await core.update_call(call_id, status=CallStatus.DONE, assignee_user_id=me,
                                   category="results",
                                   caller=CallerFields("Erika Muster", "1958-03-12",
                                                       "+491701234567"))
            shown = core.calls.call(call_id)  # at once, before the server has it
            assert shown is not None
            assert shown.status is CallStatus.DONE
            assert shown.caller.name == "Erika Muster"
            assert await core.deliver_outbox() == 1
            server = line.get(call_id)
            assert server["status"] == "done"
            assert server["assignee_user_id"] == me
            assert server["category"] == "results"
            assert server["caller"] == {"name": "Erika Muster", "dob": "1958-03-12",
                                        "phone": "+491701234567"}
            assert [call_id] in changed

            await core.update_call(call_id, clear_assignee=True, status="in_progress")
            await core.deliver_outbox()
            server = line.get(call_id)
            assert server["assignee_user_id"] is None
            assert server["status"] == "in_progress"
            # A refused edit (an unknown assignee) shows the server's state again.
            await core.update_call(call_id, assignee_user_id="00000000-0000-4000-8000-"
                                                            "000000000000")
            await core.deliver_outbox()
            row = core.calls.call(call_id)
            assert row is not None
            assert row.assignee_user_id is None
        finally:
            await core.close()

    asyncio.run(run())


def test_take_as_inquiry_and_the_recording_in_memory(
        profile: Profile, bus: EventBus, practice: Practice, line: PhoneLine,
        tmp_path: Path) -> None:
    call_id = line.call("+4930555", SICK_NOTE)
    line.wait_ready(call_id)
    # Staff corrected the caller's name and birth date the assistant heard.
    line.patch(call_id, caller={"name": "Paul Kranz", "dob": "1971-04-05"})

    async def run() -> None:
        core = await logged_in_core(profile, bus, practice)
        try:
            await core.sync_once()
            taken = await core.take_call_as_inquiry(call_id)
            again = await core.take_call_as_inquiry(call_id)
            assert again.inquiry_id == taken.inquiry_id  # idempotent on the server
            row = core.calls.call(call_id)
            assert row is not None
            assert row.inquiry_id == taken.inquiry_id
            assert row.status is CallStatus.IN_PROGRESS
            await core.sync_once()
            inbox = core.inbox.inbox_rows([taken.conversation_id])
            assert inbox[taken.conversation_id].patient_name == "Paul Kranz"
            items = core.inbox.thread_items(taken.conversation_id, 0, 50)
            assert any(getattr(item, "id", None) == taken.inquiry_id for item in items)

            # The cache's own purge: 105 days after the call was created it is gone.
            later = datetime.now(UTC) + timedelta(days=106)
            counts = await core.purge_cache(later)
            assert counts["call"] == 1
            assert core.calls.call_ids() == []

            before = {p for p in profile.root.rglob("*") if p.is_file()}
            data = await core.fetch_call_recording(call_id)
            assert data == line.recording(call_id)
            assert AudioPlayer(data).duration > 1.0  # the spoken sentence
            after = {p for p in profile.root.rglob("*") if p.is_file()}
            assert not [p for p in after - before if not p.name.startswith("cache.db")]
        finally:
            await core.close()

    asyncio.run(run())
