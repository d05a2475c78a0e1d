"""One signalling socket: a writer drains the peer's outbox, the reader hands each frame
to the hub in arrival order. Shared by the physician's and the patient's endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect

from backend_server.video.hub import (
    CLOSE_BAD_REQUEST,
    CLOSE_HELLO_TIMEOUT,
    CLOSE_TOO_BIG,
    CLOSE_UNSUPPORTED,
    MAX_FRAME_BYTES,
    RELAYED,
    Close,
    Peer,
    Room,
    SignalHub,
)


class FrameError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


async def close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):  # the peer may have gone already
        await websocket.close(code)


def _text_of(message: Any) -> str | None:
    """The frame's text; None when the peer disconnected. Raises FrameError for binary
    or oversized frames."""
    if message["type"] == "websocket.disconnect":
        return None
    text = message.get("text")
    if text is None:
        raise FrameError(CLOSE_UNSUPPORTED)
    if len(text) > MAX_FRAME_BYTES or len(text.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError(CLOSE_TOO_BIG)
    return str(text)


def _parse(text: str) -> dict[str, Any] | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return None
    return body


async def read_hello(websocket: WebSocket, timeout: float) -> dict[str, Any] | None:
    """The first frame as a ``hello`` object, or None after closing the socket."""
    try:
        message = await asyncio.wait_for(websocket.receive(), timeout)
        text = _text_of(message)
    except TimeoutError:
        await close(websocket, CLOSE_HELLO_TIMEOUT)
        return None
    except FrameError as exc:
        await close(websocket, exc.code)
        return None
    except WebSocketDisconnect:
        return None
    if text is None:
        return None
    body = _parse(text)
    if body is None or body.get("type") != "hello":
        await close(websocket, CLOSE_BAD_REQUEST)
        return None
    return body


async def _write(websocket: WebSocket, peer: Peer) -> None:
    while True:
        item = await peer.outbox.get()
        if isinstance(item, Close):
            await close(websocket, item.code)
            return
        await websocket.send_text(item)


async def _read(websocket: WebSocket, hub: SignalHub, room: Room, peer: Peer) -> None:
    while True:
        try:
            text = _text_of(await websocket.receive())
        except FrameError as exc:
            peer.close(exc.code)
            return
        if text is None:
            return
        if room.peer(peer.role) is not peer:
            return  # replaced by a newer socket
        body = _parse(text)
        if body is None:
            continue  # not a frame of this protocol: ignored like unknown types
        kind = body["type"]
        if kind in RELAYED:
            await hub.relay(room, peer.role, kind, text)
        elif kind == "quality" and peer.role == "physician":
            await hub.quality(room, body)


async def run(websocket: WebSocket, hub: SignalHub, room: Room, peer: Peer) -> None:
    writer = asyncio.create_task(_write(websocket, peer))
    reader = asyncio.create_task(_read(websocket, hub, room, peer))
    try:
        await asyncio.wait({writer, reader}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        pass
    finally:
        reader.cancel()
        with contextlib.suppress(BaseException):
            await reader
        await asyncio.shield(hub.leave(room, peer))
        peer.close(1000)
        if not writer.done():
            # The writer sends what is still queued (e.g. "ended"), then closes.
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(writer, 5.0)
        writer.cancel()
