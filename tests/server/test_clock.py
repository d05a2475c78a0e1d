"""The injectable clock the server uses for tokens, lockout and audit times."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from backend_server.clock import FrozenClock, MutableClock


def test_frozen_clock_stands_still_and_wants_utc() -> None:
    moment = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    clock = FrozenClock(moment)
    assert clock.now() == moment == clock.now()
    with pytest.raises(ValueError, match="timezone-aware"):
        FrozenClock(datetime(2026, 3, 1, 8, 0))  # a naive time is the point here


def test_mutable_clock_advances_across_threads() -> None:
    clock = MutableClock(datetime(2030, 1, 1, tzinfo=UTC))
    assert abs(clock.now() - datetime(2030, 1, 1, tzinfo=UTC)) < timedelta(seconds=5)
    workers = [threading.Thread(target=clock.advance, args=(timedelta(days=1),))
               for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert clock.now() - datetime(2030, 1, 11, tzinfo=UTC) < timedelta(seconds=5)
    assert clock.now().tzinfo is not None
