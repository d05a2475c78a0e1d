"""The running client follows the server live: a patient's message reaches the cache over
the websocket long before the next poll, and after the server was away it catches up."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core import ClientCore, ConnectionState
from app.events import EventBus
from app.inbox.types import InboxFilter
from app.settings import Profile
from tests.app.conftest import Practice, logged_in_core, wait_for
from tests.app.inbox_helpers import Staff, patient_writes
from tests.support.live_server import start_live_server


def _thread_texts(core: ClientCore, conversation_id: str) -> list[str]:
    count = core.inbox.thread_count(conversation_id)
    return [item.text for item in core.inbox.thread_items(conversation_id, 0, count)
            if item.kind == "message"]


async def test_patient_message_arrives_live_without_polling(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    patient = staff.patient("Erika Mustermann", email=None)
    conversation = staff.conversation(patient["id"])
    token = conversation["patient_link"].rsplit("/", 1)[1]
    core = await logged_in_core(profile, bus, practice)
    core.settings.sync_interval_s = 300  # only the websocket can bring it in time
    changed: list[list[str]] = []
    bus.subscribe("inbox_changed", lambda ids: changed.append(list(ids)))
    try:
        await core.start()
        await wait_for(lambda: core.connection_state is ConnectionState.ONLINE)
        await wait_for(lambda: core.inbox.inbox_count(InboxFilter()) == 1)
        await asyncio.sleep(0.3)  # let the socket come up after the catch-up sync
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.to_thread(patient_writes, practice, token, "Ich brauche ein Rezept.")
        await wait_for(lambda: "Ich brauche ein Rezept." in _thread_texts(
            core, conversation["id"]), timeout=3)
        assert loop.time() - started < 2.0
        assert any(conversation["id"] in ids for ids in changed)
    finally:
        await core.close()
        staff.close()


async def test_catch_up_after_the_server_was_away(tmp_path: Path, profile: Profile,
                                                  bus: EventBus) -> None:
    server = start_live_server(tmp_path)
    practice = Practice(server, server.create_practice("Praxis Dr. Test"))
    server.create_user(practice.practice_id, practice.admin_email, "admin",
                       "correct horse battery", "Dr. Anna Test")
    server.create_user(practice.practice_id, practice.staff_email, "staff",
                       "correct horse battery", "Ben Empfang")
    staff = Staff(practice)
    conversation = staff.conversation(staff.patient("Max Muster")["id"])
    token = conversation["patient_link"].rsplit("/", 1)[1]
    staff.close()
    core = await logged_in_core(profile, bus, practice)
    core.settings.sync_interval_s = 0.5
    try:
        await core.start()
        await wait_for(lambda: core.connection_state is ConnectionState.ONLINE)
        port = int(server.url.rsplit(":", 1)[1])
        server.stop()
        await wait_for(lambda: core.connection_state is ConnectionState.OFFLINE, timeout=10)
        server = start_live_server(tmp_path, port=port)
        # Written while the client was offline; it must arrive once the server is back.
        await asyncio.to_thread(patient_writes, Practice(server, practice.practice_id), token,
                                "Sind Sie wieder erreichbar?")
        await wait_for(lambda: "Sind Sie wieder erreichbar?" in _thread_texts(
            core, conversation["id"]), timeout=20)
        assert _thread_texts(core, conversation["id"]).count("Sind Sie wieder erreichbar?") == 1
    finally:
        await core.close()
        server.stop()
