"""Fan-out cost and flow control of the event hub on a real server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from backend_server.events.hub import CLOSE_TOO_SLOW, EventHub, Subscriber
from backend_server.sync.service import decode_cursor
from tests.server.events.support import FAST_EVENTS, EventSocket, message_ids, staff_of
from tests.support.live_server import start_live_server


async def test_many_sockets_at_one_cursor_cost_one_read_per_commit(tmp_path: Path) -> None:
    # 200 handshakes at once on a busy 2-core machine: give each hello time to arrive.
    server = start_live_server(tmp_path, **{**FAST_EVENTS, "events_poll_seconds": 3600,
                                            "events_hello_timeout_seconds": 30})
    hub: EventHub = server.app.state.event_hub
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            staff = await staff_of(server, http)
            conversation = await staff.conversation()
            cursor = await staff.current_cursor()
            sockets = await asyncio.gather(*(
                EventSocket.open(server, staff.access_token, cursor) for _ in range(200)))
            try:
                # Every socket has joined, been greeted, and sits in one group.
                await asyncio.gather(*(s.caught_up(timeout=10) for s in sockets))
                reads_before = hub.reads
                message_id = await staff.post_message(conversation, "an alle")
                await asyncio.gather(*(
                    s.changes_until(lambda got: message_id in message_ids(got))
                    for s in sockets))
                reads = hub.reads - reads_before
            finally:
                await asyncio.gather(*(s.close() for s in sockets))
    finally:
        server.stop()
    assert reads == 1, f"{reads} change-log reads for one commit to 200 sockets"


async def test_a_client_that_stops_reading_is_dropped_not_buffered(tmp_path: Path) -> None:
    server = start_live_server(tmp_path, **FAST_EVENTS, events_queue_frames=4)
    hub: EventHub = server.app.state.event_hub
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            staff = await staff_of(server, http)
            conversation = await staff.conversation()
            seq = decode_cursor(await staff.current_cursor())

            async def subscribe() -> tuple[Subscriber, Subscriber]:
                return (hub.subscribe(staff.practice_id, seq),
                        hub.subscribe(staff.practice_id, seq))

            reader, stalled = server._run(subscribe())
            received: list[str] = []

            async def drain() -> None:  # runs on the server's loop, like a socket's writer
                while reader.frames:
                    received.append(reader.frames.popleft())

            for i in range(10):
                await staff.post_message(conversation, f"Nachricht {i}")
                for _ in range(100):
                    server._run(drain())
                    if len(received) > i:
                        break
                    await asyncio.sleep(0.01)
            longest = len(stalled.frames)

            async def unsubscribe() -> None:
                hub.unsubscribe(reader)
                hub.unsubscribe(stalled)

            server._run(unsubscribe())
    finally:
        server.stop()
    assert len(received) == 10
    assert stalled.close_code == CLOSE_TOO_SLOW
    assert longest <= 4
