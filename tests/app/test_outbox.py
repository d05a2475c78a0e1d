"""The outbox: writes made while the server is away wait in the encrypted cache, survive a
client restart, arrive exactly once, and a refusal is shown with its reason."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.core import ClientCore
from app.events import EventBus
from app.inbox.types import OutboxState
from app.settings import Profile
from tests.app.conftest import Practice, logged_in_core, wait_for
from tests.app.inbox_helpers import Staff, patient_writes
from tests.support.live_server import start_live_server


async def test_message_sent_offline_arrives_exactly_once_after_restart(
        tmp_path: Path, profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    patient = staff.patient("Sabine Müller")
    cid = staff.conversation(patient["id"])["id"]
    staff.close()

    first = await logged_in_core(profile, bus, practice)
    await first.sync_once()
    await first.start()
    port = urlsplit(practice.server.url).port
    practice.server.stop()  # the network is gone

    outbox_events: list[str] = []
    bus.subscribe("outbox_changed", outbox_events.append)
    oid = await first.send_message(cid, "Ihr Rezept liegt bereit.")
    assert outbox_events == [cid]
    item = first.inbox.outbox_item(oid)
    assert item is not None
    assert item.state is OutboxState.PENDING
    thread = first.inbox.thread_items(cid, 0, 50)
    assert [(t.kind, t.id, t.outbox_state) for t in thread] == [
        ("outbox", oid, OutboxState.PENDING)]
    await wait_for(lambda: (first.inbox.outbox_item(oid) or item).attempts >= 1, timeout=10)
    assert first.inbox.outbox_item(oid).state is OutboxState.PENDING  # type: ignore[union-attr]
    await first.close()  # the client is closed before the server comes back

    server = start_live_server(tmp_path, port=port)  # same address, same data
    second = ClientCore(profile, bus)
    try:
        await second.start()
        await wait_for(lambda: second.inbox.outbox_item(oid).state  # type: ignore[union-attr]
                       is OutboxState.SENT, timeout=20)
        sent = second.inbox.outbox_item(oid)
        assert sent is not None
        assert sent.result_id is not None
        staff = Staff(practice)
        on_server = [m for m in staff.messages(cid) if m["text"] == "Ihr Rezept liegt bereit."]
        assert len(on_server) == 1
        assert on_server[0]["id"] == sent.result_id
        # The confirmed message replaced the pending one: shown once, as a message.
        thread = second.inbox.thread_items(cid, 0, 50)
        assert [(t.kind, t.id) for t in thread] == [("message", sent.result_id)]

        # A lost answer (the client did not record the success) makes it resend with the
        # same key: the server answers with the same message, nothing is added.
        await second.cache.run(lambda conn: conn.execute(  # type: ignore[union-attr]
            "UPDATE outbox SET state = 'pending', result_id = NULL WHERE id = ?", (oid,)))
        assert await second.deliver_outbox() == 1
        assert len([m for m in staff.messages(cid)
                    if m["text"] == "Ihr Rezept liegt bereit."]) == 1
        await second.sync_once()
        assert [(t.kind, t.id) for t in second.inbox.thread_items(cid, 0, 50)] == [
            ("message", sent.result_id)]
        staff.close()
    finally:
        await second.close()
        server.stop()


async def test_refused_message_fails_with_reason_and_queue_moves_on(
        profile: Profile, bus: EventBus, practice: Practice) -> None:
    staff = Staff(practice)
    cid = staff.conversation(staff.patient("Klaus Becker")["id"])["id"]
    core = await logged_in_core(profile, bus, practice)
    try:
        await core.sync_once()
        too_long = await core.send_message(cid, "x" * 10_001)
        unknown = await core.send_message(str(uuid.uuid4()), "Hallo?")
        fine = await core.send_message(cid, "Bis morgen!")
        assert await core.deliver_outbox() == 1
        failed = core.inbox.outbox_item(too_long)
        assert failed is not None
        assert failed.state is OutboxState.FAILED
        assert failed.error_code == "validation_error"
        assert failed.error
        gone = core.inbox.outbox_item(unknown)
        assert gone is not None
        assert gone.state is OutboxState.FAILED
        assert gone.error_code == "not_found"
        assert core.inbox.outbox_item(fine).state is OutboxState.SENT  # type: ignore[union-attr]
        thread = core.inbox.thread_items(cid, 0, 50)
        assert [(t.kind, t.outbox_state) for t in thread] == [
            ("outbox", OutboxState.FAILED), ("message", None)]
        assert thread[0].outbox_error == failed.error
        assert [m["text"] for m in staff.messages(cid)] == ["Bis morgen!"]
        await core.discard_outbox(too_long)
        assert [t.kind for t in core.inbox.thread_items(cid, 0, 50)] == ["message"]
        # Retry puts a failed item back in the queue with its key; still refused here.
        await core.retry_outbox(unknown)
        assert core.inbox.outbox_item(unknown).state is OutboxState.PENDING  # type: ignore[union-attr]
        assert await core.deliver_outbox() == 0
        assert core.inbox.outbox_item(unknown).attempts == 2  # type: ignore[union-attr]
    finally:
        await core.close()
        staff.close()


async def test_local_effects_show_at_once_while_queued(profile: Profile, bus: EventBus,
                                                       practice: Practice) -> None:
    staff = Staff(practice)
    conversation = staff.conversation(staff.patient("Aylin Öztürk")["id"])
    cid = conversation["id"]
    token = conversation["patient_link"].rsplit("/p/", 1)[1]
    patient_writes(practice, token, "Hallo, eine Frage")
    core = await logged_in_core(profile, bus, practice)  # no start(): nothing is delivered
    try:
        await core.sync_once()
        assert core.inbox.inbox_rows([cid])[cid].unread_count == 1
        await core.mark_read(cid)
        await core.mark_read(cid)  # twice: one queued item
        assert core.inbox.inbox_rows([cid])[cid].unread_count == 0
        assert [i.kind for i in core.inbox.outbox_items(cid)] == ["mark_read"]
        await core.sync_once()  # the server still says 1; the pending read wins locally
        assert core.inbox.inbox_rows([cid])[cid].unread_count == 0

        await core.add_note(cid, "Rückruf vereinbart")
        thread = core.inbox.thread_items(cid, 0, 10)
        assert [(t.kind, t.outbox_kind, t.text) for t in thread][-1] == (
            "outbox", "note", "Rückruf vereinbart")
        with pytest.raises(ValueError, match="text or an attachment"):
            await core.send_message(cid, "   ")
    finally:
        await core.close()
        staff.close()
