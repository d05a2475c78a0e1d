"""Who may listen, to what, and for how long."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
from websockets.asyncio.client import connect

from tests.server.events.support import EventSocket, message_ids, staff_of, ws_url
from tests.support.live_server import LiveServer


async def test_bad_token_is_closed_with_4401(events_server: LiveServer,
                                             http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    forged = staff.access_token[:-4] + ("AAAA" if not staff.access_token.endswith("AAAA")
                                        else "BBBB")
    for token in ("", "not-a-token", forged):
        socket = await EventSocket.open(events_server, token, "")
        assert await socket.close_code() == 4401
        assert [f for f in socket.frames if f["type"] == "changes"] == []


async def test_revoked_session_and_inactive_user_are_closed_with_4401(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    admin = await staff_of(events_server, http)
    revoked = await staff_of(events_server, http, admin.practice_id, "staff")
    response = await http.post("/api/v1/auth/logout", headers=revoked.headers)
    assert response.status_code == 204
    socket = await EventSocket.open(events_server, revoked.access_token, "")
    assert await socket.close_code() == 4401

    deactivated = await staff_of(events_server, http, admin.practice_id, "staff")
    response = await http.patch(f"/api/v1/users/{deactivated.user_id}", headers=admin.headers,
                                json={"active": False})
    assert response.status_code == 200, response.text
    socket = await EventSocket.open(events_server, deactivated.access_token, "")
    assert await socket.close_code() == 4401


async def test_malformed_cursor_or_hello_is_closed_with_4400(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    socket = await EventSocket.open(events_server, staff.access_token, "not-a-cursor")
    assert await socket.close_code() == 4400
    for hello in ("kein json", json.dumps({"type": "subscribe"}),
                  json.dumps({"type": "hello", "access_token": 5, "cursor": ""})):
        async with connect(ws_url(events_server)) as ws:
            await ws.send(hello)
            raw = EventSocket(ws)
            assert await raw.close_code() == 4400


async def test_no_hello_in_time_is_closed_with_4408(events_server: LiveServer) -> None:
    async with connect(ws_url(events_server)) as ws:
        started = asyncio.get_running_loop().time()
        assert await EventSocket(ws).close_code(timeout=5) == 4408
        # The server's hello timeout is 0.5 s here.
        assert asyncio.get_running_loop().time() - started < 3


async def test_token_expiry_while_connected_closes_with_4401(
        events_server: LiveServer, http: httpx.AsyncClient) -> None:
    staff = await staff_of(events_server, http)
    socket = await EventSocket.open(events_server, staff.access_token, "")
    await socket.caught_up()
    events_server.clock.advance(timedelta(minutes=14))
    assert await socket.close_code(timeout=0.5) is None  # still valid: stays open
    events_server.clock.advance(timedelta(minutes=2))
    assert await socket.close_code(timeout=3) == 4401


async def test_a_socket_sees_only_its_own_practice(events_server: LiveServer,
                                                   http: httpx.AsyncClient) -> None:
    staff_a = await staff_of(events_server, http)
    staff_b = await staff_of(events_server, http)
    conv_a = await staff_a.conversation("Anna Aus-A")
    conv_b = await staff_b.conversation("Berta Aus-B")
    socket_a = await EventSocket.open(events_server, staff_a.access_token, "")
    socket_b = await EventSocket.open(events_server, staff_b.access_token, "")
    try:
        await socket_a.caught_up()
        await socket_b.caught_up()
        only_a = [await staff_a.post_message(conv_a, "nur für A") for _ in range(3)]
        await socket_a.changes_until(lambda got: message_ids(got) == only_a)
        await asyncio.sleep(0.2)
        only_b = await staff_b.post_message(conv_b, "nur für B")
        await socket_b.changes_until(lambda got: only_b in message_ids(got))
    finally:
        await socket_a.close()
        await socket_b.close()

    def everything(socket: EventSocket) -> list[dict[str, object]]:
        return [c for f in socket.frames if f["type"] == "changes" for c in f["changes"]]

    ids_b = {c["id"] for c in everything(socket_b)}
    ids_a = {c["id"] for c in everything(socket_a)}
    assert ids_b.isdisjoint(ids_a)
    assert ids_b.isdisjoint(set(only_a) | {conv_a, staff_a.user_id})
    assert all(c["data"] is None or c["data"].get("practice_id", staff_b.practice_id)
               == staff_b.practice_id for c in everything(socket_b))
