"""The running server backs up once a day at backup_hour (UTC) and rotates; cron can do the
same with ``praxisdesk-server backup --rotate-into DIR``."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from backend_server import backup, backup_schedule
from backend_server.backup_schedule import BackupScheduler, backup_name, parse_backup_name
from backend_server.clock import MutableClock
from backend_server.config import Settings
from tests.server.backup.helpers import all_rows, running, seed
from tests.support.server_cli import run_cli as cli

T = TypeVar("T")


def _backups(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.iterdir() if parse_backup_name(p.name))


async def _until(condition: Callable[[], T], timeout: float = 20.0) -> T:
    """The condition's first truthy value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


def _partials(directory: Path) -> list[Path]:
    return list(directory.glob("*.partial"))


def _new(directory: Path) -> list[str]:
    return [n for n in _backups(directory) if n.startswith("praxisdesk-backup-2026")]


async def _wait_for(directory: Path, count: int, timeout: float = 20.0) -> list[str]:
    """Waits until ``count`` backups of 2026 exist (and no partial file)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_new(directory)) >= count and not _partials(directory):
            return _backups(directory)
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} new backups, found {_backups(directory)}")


async def test_daily_backup_fires_at_backup_hour_once_and_rotates(tmp_path: Path) -> None:
    backups = tmp_path / "nas" / "praxisdesk"
    backups.mkdir(parents=True)
    # Old backups from last year: rotation thins them out after the first new one.
    old_day = datetime(2025, 3, 1, 2, tzinfo=UTC)
    for i in range(40):
        (backups / backup_name(old_day + timedelta(days=i))).write_bytes(b"old")
    (backups / "README.txt").write_text("not ours")
    settings = Settings(data_dir=tmp_path / "data", backup_dir=backups, backup_hour=3,
                        backup_check_seconds=0.05)
    clock = MutableClock(datetime(2026, 3, 10, 2, 30, tzinfo=UTC))
    async with running(settings, clock) as server:
        await seed(server)
        await asyncio.sleep(0.5)  # many checks, all before 03:00
        assert _new(backups) == []

        clock.set(datetime(2026, 3, 10, 3, 0, 1, tzinfo=UTC))
        await _wait_for(backups, 1)
        # Rotation runs right after the new file is in place.
        names = await _until(lambda: len(_backups(backups)) < 41 and _backups(backups))
        today = [n for n in names if n.startswith("praxisdesk-backup-2026-03-10T03")]
        assert len(today) == 1
        first = backups / today[0]
        assert first.stat().st_mode & 0o777 == 0o600
        # Rotated: of last year's 40 only the newest per month (and weeks/days) remain.
        survivors = [n for n in names if n.startswith("praxisdesk-backup-2025")]
        assert 0 < len(survivors) < 40
        assert (backups / "README.txt").exists()

        await asyncio.sleep(0.5)  # the same day: no second backup
        clock.set(datetime(2026, 3, 11, 2, 59, tzinfo=UTC))
        await asyncio.sleep(0.5)  # next day, before the hour: none yet
        assert len(_new(backups)) == 1
        clock.set(datetime(2026, 3, 11, 3, 0, 2, tzinfo=UTC))
        await _wait_for(backups, 2)
        ours = _new(backups)
        assert [n[18:28] for n in ours] == ["2026-03-10", "2026-03-11"]
        rows = await all_rows(settings.database_url)
    # The lifespan ended: the scheduler task is gone, nothing half-written is left.
    assert _partials(backups) == []
    assert not list(settings.data_dir.glob(".backup-*"))

    # A scheduled backup is a complete archive.
    fresh = Settings(data_dir=tmp_path / "fresh", keys_dir=settings.effective_keys_dir)
    backup.restore(fresh, backups / ours[-1], force=False)
    assert await all_rows(fresh.database_url) == rows


async def test_no_backup_dir_means_no_scheduled_backups(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", backup_check_seconds=0.05)
    clock = MutableClock(datetime(2026, 3, 10, 12, tzinfo=UTC))
    async with running(settings, clock) as server:
        await asyncio.sleep(0.3)
        assert server.app.state.backup_scheduler.run_once is not None
        assert await server.app.state.backup_scheduler.run_once() is None
    assert _backups(tmp_path) == []
    assert _backups(settings.data_dir) == []


def test_rotate_into_for_cron(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli("create-practice", "Praxis Cron", "--data-dir", str(data)).returncode == 0
    target = tmp_path / "cron"
    target.mkdir()
    for i in range(30):  # a month of older daily backups
        day = datetime(2020, 1, 1, 2, tzinfo=UTC) + timedelta(days=i)
        (target / backup_name(day)).write_bytes(b"old")
    done = cli("backup", "--rotate-into", str(target), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert "backup written to" in done.stdout
    assert "rotated out" in done.stdout
    names = _backups(target)
    today = datetime.now(UTC).date().isoformat()
    assert [n for n in names if n[18:28] == today]
    # Of January 2020 only what the rules keep: with today's backup taking one daily,
    # weekly and monthly slot, 6 more days (25th-30th) and the week before (Sunday 19th).
    assert [n[26:28] for n in names if n.startswith("praxisdesk-backup-2020")] == [
        "19", "25", "26", "27", "28", "29", "30"]

    both = cli("backup", "x.pxbak", "--rotate-into", str(target), "--data-dir", str(data))
    assert both.returncode == 2
    neither = cli("backup", "--data-dir", str(data))
    assert neither.returncode == 2
    assert "--rotate-into" in neither.stderr


async def test_shutdown_interrupts_a_running_backup_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes: list[str] = []
    real = backup_schedule.backup_into

    begun = threading.Event()

    def recording(*args: Any, **kwargs: Any) -> tuple[Path, list[Path]]:
        # Holds the backup at its start until shutdown has begun, so the stop lands inside.
        begun.set()
        deadline = time.monotonic() + 10
        while not kwargs["cancelled"]() and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            return real(*args, **kwargs)
        except backup.BackupError as exc:
            outcomes.append(str(exc))
            raise

    monkeypatch.setattr(backup_schedule, "backup_into", recording)
    backups = tmp_path / "backups"
    settings = Settings(data_dir=tmp_path / "data")  # the app's own scheduler stays off
    clock = MutableClock(datetime(2026, 3, 10, 1, tzinfo=UTC))
    async with running(settings, clock) as server:
        await seed(server)
        scheduled = settings.model_copy(update={"backup_dir": backups, "backup_hour": 3})
        scheduler = BackupScheduler(dataclasses.replace(server.ctx, settings=scheduled))
        clock.set(datetime(2026, 3, 10, 3, 30, tzinfo=UTC))
        scheduler.start()
        await _until(lambda: begun.is_set())  # the backup runs in its worker thread
        started = time.monotonic()
        await scheduler.stop()
        assert time.monotonic() - started < 10
        assert len(outcomes) == 1
        assert "stopped before it was complete" in outcomes[0]
        # Stopped before it was complete: no archive, no partial file, no plaintext snapshot.
        assert _partials(backups) == []
        assert _backups(backups) == []
        assert _snapshots(settings.data_dir) == []


def _snapshots(data_dir: Path) -> list[Path]:
    return list(data_dir.glob(".backup-*"))
