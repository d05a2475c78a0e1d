"""The server's notion of "now", injectable so tests can jump forward in time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("clock times must be timezone-aware")
    return moment.astimezone(UTC)


class FrozenClock:
    """Always answers the same time."""

    def __init__(self, moment: datetime) -> None:
        self._moment = _as_utc(moment)

    def now(self) -> datetime:
        return self._moment


class MutableClock:
    """Real time plus an offset that tests move forward.

    It keeps running (so token ``iat`` values differ between calls) and may be advanced from
    the test thread while the server reads it from its own thread, hence the lock.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        if start is not None:
            self._offset = _as_utc(start) - datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._offset += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._offset = _as_utc(moment) - datetime.now(UTC)
