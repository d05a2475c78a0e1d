"""A real Praxisdesk server on 127.0.0.1 for tests (uvicorn in a background thread).

Import the fixtures into a conftest::

    from tests.support.live_server import live_server, live_server_tls  # noqa: F401

``server.clock.advance(timedelta(minutes=16))`` moves the server's time (token expiry,
lockout, retention). Users are created directly through the server's own services, so tests
need no admin login to get going.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from backend_server import admin
from backend_server.app import create_app
from backend_server.clock import MutableClock
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.tls import ensure_self_signed

T = TypeVar("T")

__all__ = ["LiveServer", "live_server", "live_server_tls", "start_live_server"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    clock: MutableClock
    cert_path: Path | None
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _loop: asyncio.AbstractEventLoop = field(repr=False)
    _ctx: ServerContext = field(repr=False)
    app: Any = field(default=None, repr=False)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Runs on the server's own loop, so it works from sync and async tests alike."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=30)

    def create_practice(self, name: str, *, form_templates: bool = False) -> str:
        """``form_templates``: with the shipped forms, as ``create-practice`` makes them."""
        return self._run(admin.create_practice(self._ctx, name, form_templates=form_templates))

    def create_user(self, practice_id: str, email: str, role: str, password: str,
                    display_name: str | None = None) -> str:
        return self._run(admin.create_user(self._ctx, practice_id=practice_id, email=email,
                                           role=role, password=password,
                                           display_name=display_name))

    def verify(self) -> ssl.SSLContext | bool:
        """What to pass as httpx's ``verify=``: trusts exactly this server's certificate."""
        if self.cert_path is None:
            return True
        return ssl.create_default_context(cafile=str(self.cert_path))

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


def start_live_server(tmp_dir: Path, *, tls: bool = False, port: int | None = None,
                      clock: MutableClock | None = None, version: str | None = None,
                      **settings_overrides: Any) -> LiveServer:
    """``port`` restarts a stopped server where clients expect it (same ``tmp_dir`` = same
    data); ``version`` makes it report another release in its health answer;
    ``settings_overrides`` are ``Settings`` fields (e.g. shorter intervals)."""
    data_dir = tmp_dir / "server-data"
    settings = Settings(data_dir=data_dir, database_url="", **settings_overrides)
    clock = clock or MutableClock()
    app = (create_app(settings, clock=clock) if version is None
           else create_app(settings, clock=clock, version=version))
    port = port or _free_port()
    cert_path = key_path = None
    if tls:
        cert_path, key_path = ensure_self_signed(data_dir)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
        ssl_certfile=str(cert_path) if cert_path else None,
        ssl_keyfile=str(key_path) if key_path else None,
    )
    server = uvicorn.Server(config)
    loop_ready: Future[asyncio.AbstractEventLoop] = Future()

    def run() -> None:
        async def serve() -> None:
            loop_ready.set_result(asyncio.get_running_loop())
            await server.serve()

        try:
            asyncio.run(serve())
        except BaseException as exc:
            if not loop_ready.done():
                loop_ready.set_exception(exc)
            raise

    thread = threading.Thread(target=run, name=f"live-server-{port}", daemon=True)
    thread.start()
    loop = loop_ready.result(timeout=10)
    scheme = "https" if tls else "http"
    url = f"{scheme}://127.0.0.1:{port}"
    live = LiveServer(url=url, data_dir=data_dir, clock=clock, cert_path=cert_path,
                      _server=server, _thread=thread, _loop=loop, _ctx=app.state.ctx,
                      app=app)
    deadline = time.monotonic() + 15
    verify = live.verify()
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the live server thread died during start-up")
        if server.started:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1, verify=verify).status_code == 200:
                    return live
            except httpx.TransportError:
                pass
        time.sleep(0.01)
    live.stop()
    raise RuntimeError("the live server did not become healthy within 15 s")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_server_tls(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path, tls=True)
    try:
        yield server
    finally:
        server.stop()
