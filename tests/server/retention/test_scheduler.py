"""The purge inside the running server: at start (without holding up requests), then every
``retention_interval_seconds``, at once after a period was shortened; failures are logged
without content and retried; shutdown stops it cleanly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_server.app import create_app
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.retention import scheduler as scheduler_module
from backend_server.retention.purge import PurgeReport, run_purge
from backend_server.retention.scheduler import PurgeScheduler
from tests.server.harness import Harness
from tests.server.retention.helpers import DAY, T0, StoppedClock, get, seed, travel


@asynccontextmanager
async def running(tmp_path: Path, **settings: Any) -> AsyncIterator[Harness]:
    clock = StoppedClock(T0)
    data_dir = tmp_path / "data"
    config = Settings(data_dir=data_dir, patient_link_ttl_days=365, **settings)
    app = create_app(config, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=data_dir, settings=config)


def scheduler_of(server: Harness) -> PurgeScheduler:
    found: PurgeScheduler = server.app.state.purge_scheduler
    return found


async def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_start_purge_runs_in_the_background(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow_purge(ctx: ServerContext, now: datetime | None = None,
                         **_: Any) -> PurgeReport:
        started.set()
        await release.wait()
        return await run_purge(ctx, now)

    monkeypatch.setattr(scheduler_module, "run_purge", slow_purge)
    async with running(tmp_path) as server:
        await asyncio.wait_for(started.wait(), 10)
        # The first purge is still running, and the server answers anyway.
        health = await asyncio.wait_for(server.client.get("/api/v1/health"), 5)
        assert health.status_code == 200
        assert scheduler_of(server).runs == 0
        release.set()
        await wait_for(lambda: scheduler_of(server).runs == 1)
    # Leaving the context stopped the scheduler (no task left behind).
    assert scheduler_of(server)._task is None


async def test_shutdown_cancels_a_running_purge(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    started = asyncio.Event()

    async def endless(ctx: ServerContext, now: datetime | None = None,
                      **_: Any) -> PurgeReport:
        started.set()
        await asyncio.sleep(3600)
        raise AssertionError("not reached")

    monkeypatch.setattr(scheduler_module, "run_purge", endless)
    begin = time.monotonic()
    async with running(tmp_path):
        await asyncio.wait_for(started.wait(), 10)
    assert time.monotonic() - begin < 10


async def test_purges_again_every_interval(tmp_path: Path) -> None:
    async with running(tmp_path, retention_interval_seconds=0.1) as server:
        practice = await server.practice()
        staff = await server.logged_in(practice)
        seeded = await seed(server, staff)
        await travel(server, T0 + 104 * DAY, staff)
        runs = scheduler_of(server).runs
        await wait_for(lambda: scheduler_of(server).runs >= runs + 2)
        assert await get(server, staff, f"/conversations/{seeded.conversation_id}") == 200

        await travel(server, T0 + 106 * DAY, staff)
        await wait_for(lambda: _gone(server, staff, seeded.conversation_id))


async def _gone(server: Harness, staff: Any, conversation_id: str) -> bool:
    return await get(server, staff, f"/conversations/{conversation_id}") == 404


async def test_failure_is_logged_without_content_and_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    failures = [RuntimeError("Erika Mustermann: Gallenkolik")]

    async def flaky(ctx: ServerContext, now: datetime | None = None,
                    **_: Any) -> PurgeReport:
        if failures:
            raise failures.pop()
        return await run_purge(ctx, now)

    monkeypatch.setattr(scheduler_module, "run_purge", flaky)
    caplog.set_level(logging.INFO, logger="backend_server.retention")
    async with running(tmp_path, retention_interval_seconds=0.1) as server:
        await wait_for(lambda: scheduler_of(server).last_report is not None)
    assert scheduler_of(server).runs >= 2
    failed = [r for r in caplog.records if "retention purge failed" in r.getMessage()]
    assert len(failed) == 1
    assert "RuntimeError" in failed[0].getMessage()
    assert all("Mustermann" not in r.getMessage() and "Gallenkolik" not in r.getMessage()
               for r in caplog.records)


async def test_shortening_a_period_purges_at_once(tmp_path: Path) -> None:
    async with running(tmp_path) as server:  # hourly: only the wake-up can explain a run
        practice = await server.practice()
        admin = await server.logged_in(practice, "admin")
        seeded = await seed(server, admin)
        await wait_for(lambda: scheduler_of(server).runs >= 1)
        await travel(server, T0 + 31 * DAY, admin)
        assert await get(server, admin, f"/conversations/{seeded.conversation_id}") == 200

        shortened = await server.client.put("/api/v1/practice/retention",
                                            headers=admin.headers,
                                            json={"content_days": 30, "video_days": 90})
        assert shortened.status_code == 200
        await wait_for(lambda: _gone(server, admin, seeded.conversation_id))
        assert not (server.data_dir / "blobs" / practice / seeded.attachment_id).exists()
