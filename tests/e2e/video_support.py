"""Shared by the video end-to-end tests (Chromium and Firefox as the patient)."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

import httpx
from playwright.sync_api import Page

from tests.support.live_server import LiveServer

T = TypeVar("T")
PASSWORD = "correct horse battery"


class LoopThread:
    """The physician's asyncio loop in its own thread: Playwright's sync API owns this one."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="physician-loop",
                                       daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def login_token(live: LiveServer, practice_id: str, role: str) -> str:
    """A new user of ``role`` in the practice, logged in: their access token."""
    email = f"{uuid.uuid4().hex[:10]}@praxis.example"
    live.create_user(practice_id, email, role, PASSWORD)
    response = httpx.post(f"{live.url}/api/v1/auth/login",
                          json={"email": email, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def api(live: LiveServer, token: str, method: str, path: str, **kw: Any) -> Any:
    response = httpx.request(method, f"{live.url}/api/v1{path}", timeout=10,
                             headers={"Authorization": f"Bearer {token}"}, **kw)
    assert response.status_code < 300, response.text
    return response.json()


def wait_js(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Polls from here: Playwright's wait_for_function evaluates strings with eval(), which
    the page's CSP (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        time.sleep(0.05)
