"""app.sync.live.follow_events against a real server on 127.0.0.1.

The client applies frames into a real SQLCipher cache (cursor in the same transaction), is
told when it is connected, refreshes its token when the server closes with 4401, and comes
back by itself after the server restarts on the same port.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api.client import ApiClient
from app.api.errors import CertificateError
from app.cache.database import CacheDB, open_cache_sync
from app.cache.store import get_cursor, list_users
from app.sync.engine import ApplyContext, apply_page
from app.sync.live import Backoff, CursorRejected, events_url, follow_events
from tests.app.conftest import PASSWORD
from tests.server.events.support import FAST_EVENTS
from tests.support.live_server import LiveServer, start_live_server

FAST_BACKOFF = Backoff(initial=0.05, maximum=0.2)


def test_events_url_follows_the_server_scheme() -> None:
    assert events_url("http://127.0.0.1:8765") == "ws://127.0.0.1:8765/api/v1/events"
    assert events_url("https://praxis.example/") == "wss://praxis.example/api/v1/events"
    assert events_url("https://h.example/pd") == "wss://h.example/pd/api/v1/events"
    with pytest.raises(ValueError, match="not a server address"):
        events_url("ftp://h.example")


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    backoff = Backoff(initial=1.0, maximum=8.0, factor=2.0, jitter=0.5)
    for attempt, cap in ((0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (10, 8.0)):
        delays = [backoff.delay(attempt) for _ in range(50)]
        assert all(cap * 0.5 <= d <= cap for d in delays)
        assert len(set(delays)) > 1  # jittered, so clients do not return in lockstep


@dataclass
class Follower:
    """follow_events wired to a real cache, a real API client and recorded callbacks."""

    server: LiveServer
    cache: CacheDB
    api: ApiClient
    refresh_token: str = ""
    token_calls: list[bool] = field(default_factory=list)
    states: list[bool] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    async def get_access_token(self, force: bool) -> str:
        self.token_calls.append(force)
        if force or not self.api.access_token:
            tokens = await self.api.refresh(self.refresh_token)
            self.refresh_token = tokens.refresh_token
        assert self.api.access_token
        return self.api.access_token

    async def get_cursor(self) -> str:
        return await self.cache.run(get_cursor)

    async def apply_frame(self, frame: dict[str, Any]) -> None:
        self.frames.append(frame)

        def apply(conn: Any) -> None:
            # The same code path as a delta page: data and cursor in one transaction.
            apply_page(conn, frame["changes"], frame["cursor"], ApplyContext(), finished=True)

        await self.cache.run(apply)

    def start(self) -> None:
        self.task = asyncio.create_task(follow_events(
            self.server.url, self.get_access_token, self.get_cursor, self.apply_frame,
            self.states.append, backoff=FAST_BACKOFF))

    async def stop(self) -> None:
        assert self.task is not None
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task

    def emails(self) -> list[str]:
        return sorted(u.email for u in list_users(self.cache))

    def changes(self, kind: str) -> list[str]:
        return [c["id"] for f in self.frames for c in f["changes"] if c["kind"] == kind]


async def until(predicate: Callable[[], bool], timeout: float = 10.0) -> float:
    started = time.perf_counter()
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - the predicate reads a cache, no event
            await asyncio.sleep(0.01)
    return time.perf_counter() - started


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[tuple[Follower, str]]:
    server = start_live_server(tmp_path, **FAST_EVENTS)
    practice = server.create_practice("Praxis Live")
    server.create_user(practice, "chefin@live.example", "admin", PASSWORD)
    cache = open_cache_sync(tmp_path / "cache.db", os.urandom(32))
    api = ApiClient(server.url, timeout=5)
    tokens = await api.login("chefin@live.example", PASSWORD)
    follower = Follower(server, cache, api, tokens.refresh_token)
    try:
        yield follower, practice
    finally:
        if follower.task is not None and not follower.task.done():
            await follower.stop()
        await api.aclose()
        await cache.aclose()
        follower.server.stop()


async def test_catch_up_then_live_changes_land_in_the_cache(
        setup: tuple[Follower, str]) -> None:
    follower, practice = setup
    follower.server.create_user(practice, "empfang@live.example", "staff", PASSWORD)
    follower.start()
    await until(lambda: follower.states == [True])
    assert follower.emails() == ["chefin@live.example", "empfang@live.example"]

    elapsed_from = time.perf_counter()
    follower.server.create_user(practice, "neu@live.example", "staff", PASSWORD)
    await until(lambda: "neu@live.example" in follower.emails())
    assert time.perf_counter() - elapsed_from < 1.0
    assert await follower.cache.run(get_cursor) == follower.frames[-1]["cursor"]
    await follower.stop()
    assert follower.token_calls == [False]


async def test_refreshes_and_reconnects_when_the_token_expires(
        setup: tuple[Follower, str]) -> None:
    follower, practice = setup
    follower.start()
    await until(lambda: follower.states == [True])
    follower.server.clock.advance(timedelta(minutes=16))  # the server closes with 4401
    await until(lambda: follower.token_calls == [False, True])
    await until(lambda: follower.states == [True, False, True])
    follower.server.create_user(practice, "nach-refresh@live.example", "staff", PASSWORD)
    await until(lambda: "nach-refresh@live.example" in follower.emails())
    users = follower.changes("user")
    assert len(users) == len(set(users)) == 2


async def test_comes_back_after_the_server_restarts_on_the_same_port(
        setup: tuple[Follower, str], tmp_path: Path) -> None:
    follower, practice = setup
    follower.server.create_user(practice, "vorher@live.example", "staff", PASSWORD)
    follower.start()
    await until(lambda: follower.states == [True])
    port = int(follower.server.url.rsplit(":", 1)[1])
    clock = follower.server.clock

    await asyncio.to_thread(follower.server.stop)
    await until(lambda: follower.states == [True, False])
    await asyncio.sleep(0.3)  # a few failed attempts while the server is away
    follower.server = await asyncio.to_thread(start_live_server, tmp_path, port=port,
                                              clock=clock, **FAST_EVENTS)
    follower.server.create_user(practice, "nachher@live.example", "staff", PASSWORD)
    await until(lambda: follower.states == [True, False, True])
    await until(lambda: "nachher@live.example" in follower.emails())
    assert follower.emails() == ["chefin@live.example", "nachher@live.example",
                                 "vorher@live.example"]
    users = follower.changes("user")
    assert len(users) == len(set(users)) == 3  # nothing delivered twice across the restart


async def test_a_message_posted_elsewhere_arrives_live(setup: tuple[Follower, str]) -> None:
    follower, _ = setup
    follower.start()
    await until(lambda: follower.states == [True])
    async with httpx.AsyncClient(base_url=follower.server.url, timeout=5) as http:
        headers = {"Authorization": f"Bearer {follower.api.access_token}"}
        patient = await http.post("/api/v1/patients", headers=headers,
                                  json={"name": "Erika Mustermann", "dob": "1984-08-12"})
        conv = await http.post("/api/v1/conversations", headers=headers,
                               json={"patient_id": patient.json()["id"]})
        started = time.perf_counter()
        posted = await http.post(
            f"/api/v1/conversations/{conv.json()['id']}/messages",
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, json={"text": "Hallo"})
        assert posted.status_code == 201
        await until(lambda: posted.json()["id"] in follower.changes("message"))
    assert time.perf_counter() - started < 1.0


async def test_a_cursor_the_server_never_issued_is_reported_not_retried(
        setup: tuple[Follower, str]) -> None:
    follower, _ = setup
    states: list[bool] = []

    async def bad_cursor() -> str:
        return "nicht-vom-server"

    with pytest.raises(CursorRejected):
        async with asyncio.timeout(5):
            await follow_events(follower.server.url, follower.get_access_token, bad_cursor,
                                follower.apply_frame, states.append, backoff=FAST_BACKOFF)
    assert follower.frames == []
    assert True not in states


async def test_follows_over_tls_with_the_servers_certificate(tmp_path: Path) -> None:
    server = start_live_server(tmp_path, tls=True, **FAST_EVENTS)
    try:
        practice = server.create_practice("Praxis TLS")
        server.create_user(practice, "tls@live.example", "admin", PASSWORD)
        assert server.cert_path is not None
        context = ssl.create_default_context(cafile=str(server.cert_path))
        cache = open_cache_sync(tmp_path / "cache.db", os.urandom(32))
        api = ApiClient(server.url, ca_file=str(server.cert_path), timeout=5)
        tokens = await api.login("tls@live.example", PASSWORD)
        follower = Follower(server, cache, api, tokens.refresh_token)
        states: list[bool] = []
        task = asyncio.create_task(follow_events(
            server.url, follower.get_access_token, follower.get_cursor, follower.apply_frame,
            states.append, ssl_context=context, backoff=FAST_BACKOFF))
        try:
            await until(lambda: "tls@live.example" in follower.emails())
            assert states == [True]
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await api.aclose()
            await cache.aclose()
    finally:
        server.stop()


async def test_an_untrusted_certificate_is_an_error_not_a_retry_loop(tmp_path: Path) -> None:
    server = start_live_server(tmp_path, tls=True, **FAST_EVENTS)
    try:
        async def token(_force: bool) -> str:
            return "egal"

        async def cursor() -> str:
            return ""

        async def apply(_frame: dict[str, Any]) -> None:
            raise AssertionError("no frame may arrive over an untrusted connection")

        with pytest.raises(CertificateError):
            async with asyncio.timeout(5):
                await follow_events(server.url, token, cursor, apply, lambda _up: None,
                                    ssl_context=ssl.create_default_context(),
                                    backoff=FAST_BACKOFF)
    finally:
        server.stop()
