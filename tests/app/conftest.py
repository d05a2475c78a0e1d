from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from app.core import ClientCore
from app.events import EventBus
from app.settings import Profile
from tests.support.live_server import LiveServer, live_server, live_server_tls  # noqa: F401

PASSWORD = "correct horse battery"


@dataclass
class Practice:
    server: LiveServer
    practice_id: str
    admin_email: str = "chefin@praxis.example"
    staff_email: str = "empfang@praxis.example"


@pytest.fixture
def practice(live_server: LiveServer) -> Practice:  # noqa: F811
    pid = live_server.create_practice("Praxis Dr. Test")
    live_server.create_user(pid, "chefin@praxis.example", "admin", PASSWORD, "Dr. Anna Test")
    live_server.create_user(pid, "empfang@praxis.example", "staff", PASSWORD, "Ben Empfang")
    return Practice(live_server, pid)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile(tmp_path / "profile")


class Recorder:
    def __init__(self, bus: EventBus) -> None:
        self.events: list[tuple[str, tuple[object, ...]]] = []
        for name in ("connection_state", "cache_reset", "sync_done"):
            bus.subscribe(name, lambda *a, name=name: self.events.append((name, a)))

    def named(self, name: str) -> list[tuple[object, ...]]:
        return [args for n, args in self.events if n == name]


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(bus: EventBus) -> Recorder:
    return Recorder(bus)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    saved = keyring.get_keyring()
    yield
    keyring.set_keyring(saved)


async def logged_in_core(profile: Profile, bus: EventBus, practice: Practice) -> ClientCore:
    core = ClientCore(profile, bus)
    await core.login(practice.server.url, practice.admin_email, PASSWORD)
    return core


async def wait_for(predicate: object, timeout: float = 5.0) -> None:
    assert callable(predicate)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
