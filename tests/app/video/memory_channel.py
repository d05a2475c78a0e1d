"""Two in-memory signalling channels joined back to back (what the server would relay)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any


class MemoryChannel:
    def __init__(self) -> None:
        self.inbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.peer: MemoryChannel | None = None
        self.sent: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        # Through JSON like the websocket: nothing but plain data may cross.
        self.sent.append(message)
        assert self.peer is not None
        await self.peer.inbox.put(json.loads(json.dumps(message)))

    async def frames(self) -> AsyncIterator[dict[str, Any]]:
        while (message := await self.inbox.get()) is not None:
            yield message

    async def close(self) -> None:
        await self.inbox.put(None)


def channel_pair() -> tuple[MemoryChannel, MemoryChannel]:
    a, b = MemoryChannel(), MemoryChannel()
    a.peer, b.peer = b, a
    return a, b
