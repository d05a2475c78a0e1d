"""/api/v1/events against a real server on 127.0.0.1: catch-up, live frames, resume."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.server.events.support import FAST_EVENTS, EventSocket, message_ids, staff_of
from tests.support.live_server import LiveServer, start_live_server


async def test_catch_up_from_empty_cursor_matches_the_delta_endpoint(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    conversation = await staff.conversation()
    sent = [await staff.post_message(conversation, f"Nachricht {i}") for i in range(3)]

    socket = await EventSocket.open(events_server, staff.access_token, "")
    try:
        changes, cursor = await socket.caught_up()
    finally:
        await socket.close()
    rest = await staff.changes("")
    assert changes == rest["changes"]
    assert cursor == rest["cursor"]
    assert message_ids(changes) == sent
    frame = next(f for f in socket.frames if f["type"] == "changes")
    assert frame["remaining"] == 0
    assert {"type", "cursor", "changes", "has_more", "remaining"} <= frame.keys()


async def test_catch_up_from_mid_cursor_brings_only_what_came_later(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    conversation = await staff.conversation()
    await staff.post_message(conversation, "vorher")
    mid = await staff.current_cursor()
    later = [await staff.post_message(conversation, f"nachher {i}") for i in range(2)]

    socket = await EventSocket.open(events_server, staff.access_token, mid)
    try:
        changes, _ = await socket.caught_up()
    finally:
        await socket.close()
    assert message_ids(changes) == later
    assert {c["kind"] for c in changes} == {"message", "conversation"}


async def test_a_posted_message_arrives_live_within_a_second(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    conversation = await staff.conversation()
    socket = await EventSocket.open(events_server, staff.access_token,
                                    await staff.current_cursor())
    try:
        await asyncio.sleep(0.1)  # the socket is idle and up to date
        started = time.perf_counter()
        message_id = await staff.post_message(conversation, "Ihr Rezept liegt bereit")
        changes = await socket.changes_until(lambda got: message_id in message_ids(got))
        elapsed = time.perf_counter() - started
    finally:
        await socket.close()
    assert elapsed < 1.0, f"live delivery took {elapsed:.3f} s"
    message = next(c for c in changes if c["id"] == message_id)
    assert message["data"]["text"] == "Ihr Rezept liegt bereit"


async def test_reconnect_with_last_cursor_gets_exactly_the_missed_changes(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    conversation = await staff.conversation()
    first = await staff.post_message(conversation, "eins")
    socket = await EventSocket.open(events_server, staff.access_token, "")
    seen, cursor = await socket.caught_up()
    assert message_ids(seen)[-1] == first
    await socket.close()

    missed = [await staff.post_message(conversation, f"verpasst {i}") for i in range(3)]
    again = await EventSocket.open(events_server, staff.access_token, cursor)
    try:
        changes, _ = await again.caught_up()
        # Nothing else trickles in afterwards: no duplicates of what was delivered.
        await asyncio.sleep(0.3)
    finally:
        await again.close()
    later = [c for f in again.frames if f["type"] == "changes" for c in f["changes"]]
    assert message_ids(changes) == missed
    assert message_ids(later) == missed
    ids = [(c["kind"], c["id"]) for c in later]
    assert len(ids) == len(set(ids))


async def test_pings_are_sent_and_a_client_ping_is_answered(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    socket = await EventSocket.open(events_server, staff.access_token, "")
    try:
        await socket.caught_up()
        frame = await socket.next_frame(timeout=2, skip_pings=False)
        assert frame == {"type": "ping"}  # the interval is 0.3 s on this server
        await socket.ws.send('{"type": "ping"}')
        for _ in range(5):
            frame = await socket.next_frame(timeout=2, skip_pings=False)
            if frame["type"] == "pong":
                break
        assert frame == {"type": "pong"}
    finally:
        await socket.close()


async def test_an_up_to_date_client_is_told_so_at_once(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    cursor = await staff.current_cursor()
    socket = await EventSocket.open(events_server, staff.access_token, cursor)
    try:
        frame = await socket.next_frame(timeout=1)
    finally:
        await socket.close()
    assert frame == {"type": "changes", "cursor": cursor, "changes": [], "has_more": False,
                     "remaining": 0}


async def test_a_change_made_by_another_process_arrives_too(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    import subprocess
    import sys

    staff = await staff_of(events_server, http)
    socket = await EventSocket.open(events_server, staff.access_token, "")
    try:
        await socket.caught_up()
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "backend_server", "--data-dir", str(events_server.data_dir),
             "create-user", "--practice", staff.practice_id, "--email",
             "von-der-kommandozeile@praxis.example", "--role", "staff", "--password-stdin",
             "--json"], input="correct horse battery", capture_output=True, text=True,
            timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        changes = await socket.changes_until(
            lambda got: any(c["kind"] == "user" for c in got), timeout=5)
    finally:
        await socket.close()
    assert changes[0]["data"]["email"] == "von-der-kommandozeile@praxis.example"


async def test_catch_up_comes_in_pages_with_progress(tmp_path: Path) -> None:
    server = start_live_server(tmp_path, **FAST_EVENTS, sync_page_size=2)
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            staff = await staff_of(server, http)
            conversation = await staff.conversation()
            sent = [await staff.post_message(conversation, f"Seite {i}") for i in range(5)]
            socket = await EventSocket.open(server, staff.access_token, "")
            try:
                changes, _ = await socket.caught_up()
            finally:
                await socket.close()
    finally:
        server.stop()
    frames = [f for f in socket.frames if f["type"] == "changes"]
    total = len(changes)  # user, patient, conversation, 5 messages
    assert total == 8
    assert [len(f["changes"]) for f in frames] == [2, 2, 2, 2]
    received = 0
    for frame in frames:
        received += len(frame["changes"])
        assert frame["remaining"] == total - received
        assert frame["has_more"] is (received < total)
    assert message_ids(changes) == sent
