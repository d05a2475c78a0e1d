from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.events.support import FAST_EVENTS
from tests.support.live_server import LiveServer, start_live_server


@pytest.fixture
def events_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path, **FAST_EVENTS)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def http(events_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=events_server.url, timeout=10) as client:
        yield client
