from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from backend_server.app import create_app
from backend_server.config import Settings
from tests.server.harness import Harness
from tests.server.retention.helpers import T0, StoppedClock


@pytest.fixture
async def rserver(tmp_path: Path) -> AsyncIterator[Harness]:
    """A server whose clock stands still until a test moves it, so "exactly 105 days" is
    exact. Patient links live a year here, so only the purge can end them."""
    clock = StoppedClock(T0)
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, patient_link_ttl_days=365)
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=data_dir, settings=settings)
