"""One event socket after its hello: a writer, a reader and a token watchdog."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from backend_server.context import ServerContext
from backend_server.events.hub import (
    CLOSE_NOT_AUTHENTICATED,
    CLOSE_TOO_SLOW,
    EventHub,
    Subscriber,
)
from backend_server.events.service import SocketCaller, authenticate_socket

log = logging.getLogger(__name__)

PING = json.dumps({"type": "ping"})
PONG = json.dumps({"type": "pong"})


class EventConnection:
    def __init__(self, ctx: ServerContext, hub: EventHub, websocket: WebSocket,
                 who: SocketCaller, access_token: str, seq: int) -> None:
        self.ctx = ctx
        self.hub = hub
        self.websocket = websocket
        self.who = who
        self.access_token = access_token
        self.seq = seq

    async def run(self) -> None:
        sub = self.hub.subscribe(self.who.caller.practice_id, self.seq)
        tasks = [asyncio.create_task(self._write(sub)), asyncio.create_task(self._read(sub)),
                 asyncio.create_task(self._watch_token(sub))]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.hub.unsubscribe(sub)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if sub.close_code is not None:
            log.info("event socket of session %s closed with %d", self.who.caller.session_id,
                     sub.close_code)
            with contextlib.suppress(Exception):  # the peer may be gone already
                await self.websocket.close(sub.close_code)

    async def _send(self, sub: Subscriber, text: str) -> bool:
        try:
            await asyncio.wait_for(self.websocket.send_text(text),
                                   self.ctx.settings.events_send_timeout_seconds)
        except TimeoutError:
            sub.kick(CLOSE_TOO_SLOW)  # the peer stopped reading; its cursor stays valid
            return False
        except (WebSocketDisconnect, RuntimeError, OSError):
            return False
        return True

    async def _write(self, sub: Subscriber) -> None:
        loop = asyncio.get_running_loop()
        interval = self.ctx.settings.events_ping_seconds
        next_ping = loop.time() + interval
        while sub.close_code is None:
            if sub.control:
                if not await self._send(sub, sub.control.popleft()):
                    return
                continue
            if sub.frames:
                frame = sub.frames.popleft()
                if len(sub.frames) == sub.low_water:
                    self.hub.drained(sub)
                if not await self._send(sub, frame):
                    return
                continue
            sub.wake.clear()
            if sub.frames or sub.control or sub.close_code is not None:
                continue
            timeout = next_ping - loop.time()
            if timeout <= 0:
                next_ping = loop.time() + interval
                if not await self._send(sub, PING):
                    return
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sub.wake.wait(), timeout)

    async def _read(self, sub: Subscriber) -> None:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                continue
            try:
                body: Any = json.loads(text)
            except ValueError:
                continue  # unknown chatter is ignored, as are unknown frame types
            if isinstance(body, dict) and body.get("type") == "ping":
                sub.push_control(PONG)

    async def _watch_token(self, sub: Subscriber) -> None:
        """Closes with 4401 when the access token runs out (on the server's injectable
        clock) or, checked less often, when its session is revoked or its user deactivated."""
        settings = self.ctx.settings
        loop = asyncio.get_running_loop()
        next_revalidation = loop.time() + settings.events_revalidate_seconds
        while True:
            await asyncio.sleep(settings.events_token_check_seconds)
            if self.ctx.clock.now() >= self.who.expires_at:
                sub.kick(CLOSE_NOT_AUTHENTICATED)
                return
            if loop.time() >= next_revalidation:
                next_revalidation = loop.time() + settings.events_revalidate_seconds
                if await authenticate_socket(self.ctx, self.access_token) is None:
                    sub.kick(CLOSE_NOT_AUTHENTICATED)
                    return
