from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.live_server import LiveServer, start_live_server
from tests.support.twilio_standin import TwilioStandin, twilio_standin

# Short waits so retries and polling do not dominate the tests' time.
FAST = {"calls_poll_seconds": 0.1, "calls_download_backoff_seconds": 0.05,
        "calls_download_attempts": 3}


@pytest.fixture
def twilio() -> Iterator[TwilioStandin]:
    yield from twilio_standin()


@pytest.fixture(scope="module")
def module_twilio() -> Iterator[TwilioStandin]:
    yield from twilio_standin()


@pytest.fixture(scope="module")
def telephony_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server for the module's webhook tests (each test uses its own practice)."""
    server = start_live_server(Path(tmp_path_factory.mktemp("telephony")), **FAST)
    try:
        yield server
    finally:
        server.stop()
