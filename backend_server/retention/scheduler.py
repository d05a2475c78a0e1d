"""Runs the retention purge in the server process: at start, then every
``retention_interval_seconds``, and at once when an admin shortens a period.

The first run starts in the background so a large purge after a long downtime never delays
``/api/v1/health`` or the first requests. A failed run is logged (the exception's type only:
messages of database errors may quote rows) and retried at the next interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from backend_server.context import ServerContext
from backend_server.retention.purge import PurgeReport, run_purge

log = logging.getLogger("backend_server.retention")


class PurgeScheduler:
    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.runs = 0  # finished runs, successful or not (tests wait on it)
        self.last_report: PurgeReport | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="retention-purge")

    def wake(self) -> None:
        """Run again now (e.g. after a period was shortened) instead of at the next tick."""
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def run_once(self) -> None:
        try:
            self.last_report = await run_purge(self.ctx, self.ctx.clock.now())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # logged and retried next round; the server carries on
            log.error("retention purge failed (%s); retrying in %.0f s", type(exc).__name__,
                      self.ctx.settings.retention_interval_seconds)
        finally:
            self.runs += 1

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            await self.run_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(),
                                       self.ctx.settings.retention_interval_seconds)
