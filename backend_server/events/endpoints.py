"""``/api/v1/events``: the live change stream (see docs/api-contract.md "Live events")."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from backend_server.context import ServerContext
from backend_server.errors import ProblemError
from backend_server.events.connection import EventConnection
from backend_server.events.hub import (
    CLOSE_BAD_REQUEST,
    CLOSE_HELLO_TIMEOUT,
    CLOSE_NOT_AUTHENTICATED,
    EventHub,
)
from backend_server.events.service import MalformedHello, authenticate_socket, parse_hello
from backend_server.sync.service import decode_cursor

router = APIRouter(tags=["events"])


async def _close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):  # the peer may have gone already
        await websocket.close(code)


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    ctx: ServerContext = websocket.app.state.ctx
    hub: EventHub = websocket.app.state.event_hub
    await websocket.accept()
    try:
        message = await asyncio.wait_for(websocket.receive(),
                                         ctx.settings.events_hello_timeout_seconds)
    except TimeoutError:
        await _close(websocket, CLOSE_HELLO_TIMEOUT)
        return
    except WebSocketDisconnect:
        return
    if message["type"] == "websocket.disconnect":
        return
    try:
        hello = parse_hello(message.get("text") or "")
    except MalformedHello:
        await _close(websocket, CLOSE_BAD_REQUEST)
        return
    # The token first: an unauthenticated peer learns nothing about its cursor.
    who = await authenticate_socket(ctx, hello.access_token)
    if who is None:
        await _close(websocket, CLOSE_NOT_AUTHENTICATED)
        return
    try:
        seq = decode_cursor(hello.cursor)
    except ProblemError:
        await _close(websocket, CLOSE_BAD_REQUEST)
        return
    await EventConnection(ctx, hub, websocket, who, hello.access_token, seq).run()
