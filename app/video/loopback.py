"""A whole video call inside one process, for ``praxisdesk --self-test``.

Two ``CallEngine``s with synthetic picture and tone (no camera, microphone or speaker touched)
call each other over 127.0.0.1, signalling through an in-memory pair. It proves that an
installation (above all the frozen bundle) carries everything a real call needs: aiortc, its
VP8 and Opus codecs, PyAV, the DTLS/SRTP stack (cryptography, pylibsrtp) and ICE (aioice).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from app.video.engine import CallEngine, CallOptions

LOOPBACK_HOSTS = ("127.0.0.1",)
FRAMES_EACH_WAY = 10
POLL_S = 0.02


class LoopbackCallFailed(Exception):
    """The call did not connect, carried no media or was not encrypted; says which."""


class _Channel:
    """One end of an in-memory signalling pair; messages pass through JSON as over the
    websocket, so nothing but plain data may cross."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.peer: _Channel | None = None

    async def send(self, message: dict[str, Any]) -> None:
        assert self.peer is not None
        await self.peer.inbox.put(json.loads(json.dumps(message)))

    async def frames(self) -> AsyncIterator[dict[str, Any]]:
        while (message := await self.inbox.get()) is not None:
            yield message

    async def close(self) -> None:
        await self.inbox.put(None)


async def loopback_call(timeout: float) -> str:
    """Runs the call until FRAMES_EACH_WAY pictures crossed both ways and sound played;
    answers a one-line summary, raises LoopbackCallFailed (or TimeoutError) otherwise."""
    options = CallOptions(width=160, height=120, fps=15, host_addresses=LOOPBACK_HOSTS,
                          use_devices=False, audio_tone_hz=440.0, adapt=False)
    caller, callee = CallEngine([], options), CallEngine([], options)
    a, b = _Channel(), _Channel()
    a.peer, b.peer = b, a
    started = time.monotonic()
    runs = [asyncio.ensure_future(caller.run(a, offerer=True)),
            asyncio.ensure_future(callee.run(b, offerer=False))]
    try:
        async with asyncio.timeout(timeout):
            while not (caller.remote_video.received >= FRAMES_EACH_WAY
                       and callee.remote_video.received >= FRAMES_EACH_WAY
                       and callee.playout.frames > 0):
                for run in runs:
                    if run.done():
                        raise LoopbackCallFailed(f"the call ended early: {run.result()}")
                await asyncio.sleep(POLL_S)
        for engine in (caller, callee):
            info = engine.transport_info()
            if not info["dtls_states"] or set(info["dtls_states"]) != {"connected"}:
                raise LoopbackCallFailed(f"DTLS not connected: {info['dtls_states']}")
            if not (info["srtp"] and info["profile_secure"] and info["remote_has_fingerprint"]):
                raise LoopbackCallFailed("media not encrypted with DTLS-SRTP")
        frame = callee.remote_video.take()
        if frame is None or (frame.width, frame.height) != (options.width, options.height):
            raise LoopbackCallFailed("the received picture has the wrong size")
        seconds = time.monotonic() - started
        await caller.hangup()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*runs, return_exceptions=True), 3.0)
        return (f"{caller.remote_video.received}/{callee.remote_video.received} frames, "
                f"DTLS-SRTP, {seconds:.1f} s")
    finally:
        for run in runs:
            run.cancel()
        await asyncio.gather(*runs, return_exceptions=True)
        await caller.close()
        await callee.close()
