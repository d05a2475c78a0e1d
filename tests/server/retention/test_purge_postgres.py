"""The purge on PostgreSQL: the same time-travel and sync tests against a throwaway
server (the bulk statements differ there: plain IN lists, no bulk connection)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from backend_server.app import create_app
from backend_server.config import Settings
from tests.server.harness import Harness
from tests.server.postgres import PostgresServer, find_pg_bindir, throwaway_postgres
from tests.server.retention.helpers import T0, StoppedClock
from tests.server.retention.test_deletion_log_and_sync import (  # noqa: F401
    test_sync_feed_drops_purged_objects_and_carries_the_policy,
)
from tests.server.retention.test_time_travel import (  # noqa: F401
    test_a_microsecond_after_day_105_it_is_gone,
    test_day_106_every_kind_is_gone,
    test_each_practice_uses_its_own_period,
)

PG_BINDIR = find_pg_bindir()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_BINDIR is None,
                       reason="PostgreSQL server binaries (initdb) not installed"),
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    assert PG_BINDIR is not None
    with throwaway_postgres(PG_BINDIR) as server:
        yield server


@pytest.fixture
async def rserver(tmp_path: Path, postgres: PostgresServer) -> AsyncIterator[Harness]:
    clock = StoppedClock(T0)
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, patient_link_ttl_days=365,
                        database_url=postgres.new_database_url())
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=data_dir, settings=settings)
