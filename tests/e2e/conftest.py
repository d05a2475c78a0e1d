"""Real Chromium (Debian's, via Playwright) as the patient, against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.video_support import LoopThread
from tests.support.live_server import LiveServer, live_server, start_live_server  # noqa: F401
from tests.support.video_physician import chromium_webrtc_launch_args

# The inbox end-to-end tests build the Qt client. Its widgets must be freed on the GUI thread,
# never by a garbage collection that happens to run in the live server's or Chromium's thread
# during a later test (Qt warns "Timers cannot be stopped from another thread", or crashes).
from tests.ui.conftest import gc_on_gui_thread  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
# Chromium looks up Google hosts at start even headless; nothing may leave 127.0.0.1.
CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt install chromium)")
    # Sync API: these tests are plain functions, no asyncio loop runs in their thread.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server per test module (the video tests share practices within a module)."""
    server = start_live_server(tmp_path_factory.mktemp("e2e"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def webrtc_browser() -> Iterator[Browser]:
    """Chromium with fake camera/microphone and loopback ICE (tests/support/video_physician)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_webrtc_launch_args(str(CHROMIUM)))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def loop_thread() -> Iterator[LoopThread]:
    runner = LoopThread()
    try:
        yield runner
    finally:
        runner.stop()
