"""A real SMTP server (aiosmtpd) on 127.0.0.1 and an in-process Praxisdesk server that
mails through it."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from backend_server.app import create_app
from backend_server.clock import MutableClock
from backend_server.config import Settings
from tests.server.harness import Harness


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """What the SMTP server received."""

    mails: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.mails.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.mails) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} mail(s), got {len(self.mails)}")
            await asyncio.sleep(0.02)
        return list(self.mails)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def build(tmp_path: Path, **settings: Any) -> tuple[Any, Settings, MutableClock]:
    clock = MutableClock()
    config = Settings(data_dir=tmp_path / "data", database_url="", **settings)
    return create_app(config, clock=clock), config, clock


async def harness(tmp_path: Path, **settings: Any) -> AsyncIterator[Harness]:
    app, config, clock = build(tmp_path, **settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=tmp_path / "data",
                          settings=config)


@pytest.fixture
async def mailing(tmp_path: Path, smtp: tuple[Inbox, int]) -> AsyncIterator[Harness]:
    """A server that notifies patients through the test SMTP server."""
    async for server in harness(tmp_path, smtp_host="127.0.0.1", smtp_port=smtp[1],
                                smtp_starttls=False, smtp_from="praxis@example.org",
                                notify_retry_base_seconds=0.01):
        yield server
