from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from backend_server.clock import MutableClock
from tests.server.harness import Harness, make_app
from tests.support.live_server import live_server, live_server_tls  # noqa: F401


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = MutableClock()
    app, settings = make_app(tmp_path / "data", clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=tmp_path / "data",
                          settings=settings)
