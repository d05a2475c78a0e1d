"""Daily backups into ``backup_dir`` and their rotation (7 daily, 4 weekly, 12 monthly).

Backups are named with their UTC time (``praxisdesk-backup-2026-11-28T020000Z.pxbak``); the
name is all rotation looks at, and files with other names are never touched. Rotation keeps,
like ``restic forget``, the newest backup of each of the newest 7 days, 4 ISO weeks and 12
months that have a backup; a backup may count for several of them.

The running server checks every ``backup_check_seconds``: once the UTC hour has reached
``backup_hour`` and the directory holds no backup of today, it makes one (so a server that was
down at that hour catches up when it starts) and rotates. A failed attempt is retried an
hour later, not at every check.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import anyio.to_thread

from backend_server import backup
from backend_server.config import Settings
from backend_server.context import ServerContext

log = logging.getLogger("backend_server.backup")

NAME_PREFIX = "praxisdesk-backup-"
NAME_SUFFIX = ".pxbak"
_NAME = re.compile(r"praxisdesk-backup-(\d{4}-\d{2}-\d{2}T\d{6}Z)\.pxbak")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
RETRY_AFTER = timedelta(hours=1)


def backup_name(moment: datetime) -> str:
    return f"{NAME_PREFIX}{moment.astimezone(UTC).strftime('%Y-%m-%dT%H%M%SZ')}{NAME_SUFFIX}"


def parse_backup_name(name: str) -> datetime | None:
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _buckets() -> list[tuple[Callable[[datetime], Hashable], int]]:
    return [(lambda m: m.date(), KEEP_DAILY),
            (lambda m: m.isocalendar()[:2], KEEP_WEEKLY),
            (lambda m: (m.year, m.month), KEEP_MONTHLY)]


def rotation_victims(names: Iterable[str]) -> list[str]:
    """The backup names rotation deletes (oldest first); other names are ignored."""
    dated = sorted(((moment, name) for name in names
                    if (moment := parse_backup_name(name)) is not None), reverse=True)
    keep: set[str] = set()
    for bucket_of, count in _buckets():
        seen: set[Hashable] = set()
        for moment, name in dated:
            bucket = bucket_of(moment)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.add(bucket)
            keep.add(name)
    return [name for _, name in reversed(dated) if name not in keep]


def rotate(directory: Path) -> list[Path]:
    """Deletes what rotation does not keep; returns the deleted paths."""
    victims = rotation_victims(p.name for p in directory.iterdir() if p.is_file())
    removed = []
    for name in victims:
        path = directory / name
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def backup_into(settings: Settings, directory: Path, now: datetime, *,
                cancelled: Callable[[], bool] | None = None) -> tuple[Path, list[Path]]:
    """Today's backup into ``directory`` (0700 when made here), then rotation."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    result = backup.backup(settings, directory / backup_name(now), now=now,
                           cancelled=cancelled)
    return result.path, rotate(directory)


def has_backup_of(directory: Path, day: date) -> bool:
    if not directory.is_dir():
        return False
    for path in directory.iterdir():
        moment = parse_backup_name(path.name)
        if moment is not None and moment.date() == day:
            return True
    return False


def is_due(settings: Settings, now: datetime) -> bool:
    directory = settings.backup_dir
    if directory is None:
        return False
    now = now.astimezone(UTC)
    return now.hour >= settings.backup_hour and not has_backup_of(directory, now.date())


class BackupScheduler:
    """The running server's daily backup. ``stop`` asks a backup in progress to give up (it
    checks between writes; its partial file is removed) and waits for it, up to
    ``STOP_WAIT_SECONDS``: cancelling the task alone would leave the worker thread running."""

    STOP_WAIT_SECONDS = 30.0

    def __init__(self, ctx: ServerContext) -> None:
        self._ctx = ctx
        self._task: asyncio.Task[None] | None = None
        self._stopping = threading.Event()
        self._wake = asyncio.Event()
        self._retry_at: datetime | None = None

    def start(self) -> None:
        if self._ctx.settings.backup_dir is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name="scheduled-backup")

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), self.STOP_WAIT_SECONDS)
        except TimeoutError:
            log.error("scheduled backup did not stop in time; abandoning it")
            task.cancel()

    async def _run(self) -> None:
        interval = self._ctx.settings.backup_check_seconds
        while not self._stopping.is_set():
            await self.run_once()
            try:
                await asyncio.wait_for(self._wake.wait(), interval)
            except TimeoutError:
                pass

    async def run_once(self) -> Path | None:
        settings, now = self._ctx.settings, self._ctx.clock.now()
        if self._stopping.is_set():
            return None
        if self._retry_at is not None and now < self._retry_at:
            return None
        if settings.backup_dir is None or not is_due(settings, now):
            return None
        directory = settings.backup_dir
        try:
            path, removed = await anyio.to_thread.run_sync(
                lambda: backup_into(settings, directory, now,
                                    cancelled=self._stopping.is_set))
        except (backup.BackupError, OSError) as exc:
            if self._stopping.is_set():
                log.info("scheduled backup stopped by the shutdown")
                return None
            self._retry_at = now + RETRY_AFTER
            log.error("scheduled backup failed (next try in an hour): %s", exc)
            return None
        self._retry_at = None
        log.info("scheduled backup written: %s (%d old ones rotated out)", path.name,
                 len(removed))
        return path
