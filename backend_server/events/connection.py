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
        # loop.time() when the send in progress began (None: not sending).
        self.send_started: float | None = None

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
            # Bounded: a peer that stopped reading would hold the close frame back forever;
            # returning lets the server drop the connection.
            with contextlib.suppress(Exception):  # the peer may be gone already
                await asyncio.wait_for(self.websocket.close(sub.close_code), 2.0)

    async def _write(self, sub: Subscriber) -> None:
        """The only task that sends. It waits on the subscriber's event alone (no timer per
        frame: with hundreds of sockets every per-send allocation shows); pings are queued by
        a loop timer, stuck sends are noticed by the watchdog."""
        loop = asyncio.get_running_loop()
        interval = self.ctx.settings.events_ping_seconds

        timers: list[asyncio.TimerHandle] = []

        def ping() -> None:
            sub.push_control(PING)
            timers[:] = [loop.call_later(interval, ping)]

        timers.append(loop.call_later(interval, ping))
        try:
            while sub.close_code is None:
                if sub.control:
                    text = sub.control.popleft()
                elif sub.frames:
                    text = sub.frames.popleft()
                    if len(sub.frames) == sub.low_water:
                        self.hub.drained(sub)
                else:
                    sub.wake.clear()
                    if not (sub.frames or sub.control or sub.close_code is not None):
                        await sub.wake.wait()
                    continue
                self.send_started = loop.time()
                try:
                    await self.websocket.send_text(text)
                except (WebSocketDisconnect, RuntimeError, OSError):
                    return
                self.send_started = None
        finally:
            for timer in timers:
                timer.cancel()

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
        clock) or, checked less often, when its session is revoked or its user deactivated;
        with 4429 when one send has been stuck longer than the send timeout."""
        settings = self.ctx.settings
        loop = asyncio.get_running_loop()
        next_revalidation = loop.time() + settings.events_revalidate_seconds
        while True:
            await asyncio.sleep(settings.events_token_check_seconds)
            started = self.send_started
            if (started is not None
                    and loop.time() - started > settings.events_send_timeout_seconds):
                sub.kick(CLOSE_TOO_SLOW)  # the peer stopped reading; its cursor stays valid
                return
            if self.ctx.clock.now() >= self.who.expires_at:
                sub.kick(CLOSE_NOT_AUTHENTICATED)
                return
            if loop.time() >= next_revalidation:
                next_revalidation = loop.time() + settings.events_revalidate_seconds
                if await authenticate_socket(self.ctx, self.access_token) is None:
                    sub.kick(CLOSE_NOT_AUTHENTICATED)
                    return
