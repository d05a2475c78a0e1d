from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.video.support import PracticeLogins, make_practice
from tests.support.live_server import LiveServer, start_live_server


@pytest.fixture(scope="module")
def video_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server per module: the tests make their own practices."""
    server = start_live_server(tmp_path_factory.mktemp("video"),
                               video_hello_timeout_seconds=1.0)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def http(video_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=video_server.url, timeout=10) as client:
        yield client


@pytest.fixture
def data_dir(video_server: LiveServer) -> Path:
    return video_server.data_dir


@pytest.fixture(scope="module")
def logins(video_server: LiveServer) -> PracticeLogins:
    return make_practice(video_server)


@pytest.fixture(scope="module")
def other_logins(video_server: LiveServer) -> PracticeLogins:
    return make_practice(video_server)
