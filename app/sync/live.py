"""Server -> cache, live: follow the websocket ``/api/v1/events`` (no Qt, plain asyncio).

:func:`follow_events` keeps one connection open for as long as it runs: it says hello with
the cache's cursor, hands every ``changes`` frame to the caller (who applies it and stores its
cursor in one cache transaction, exactly like a delta page), refreshes the access token when
the server closes with 4401, and reconnects with capped exponential backoff plus jitter when
the connection is lost. Because every hello carries the cursor of what is already in the
cache, reconnecting never loses or repeats a change.

How ``ClientCore``'s connection loop plugs it in (sketch)::

    await follow_events(
        core.settings.effective_server_url(),
        get_access_token=core.access_token_for_events,   # force=True -> refresh
        get_cursor=lambda: cache.run(get_cursor),
        apply_frame=apply_changes_frame,                # same code as a delta page
        on_connected=lambda up: core.set_live(up),      # False -> poll /sync/changes
        ssl_context=ssl_context_or_none,
    )

Whatever ``get_access_token`` raises when the login is gone (``RefreshTokenInvalid``,
``NotAuthenticated``) ends the function, as do :class:`CursorRejected` and
``CertificateError``; ``ServerUnreachable``/``ServerError`` from it count as a lost
connection. Cancelling the task ends it cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from app.api.errors import CertificateError, ServerError, ServerUnreachable

log = logging.getLogger(__name__)

EVENTS_PATH = "/api/v1/events"

# Close codes the server uses (docs/api-contract.md "Live events").
CLOSE_BAD_REQUEST = 4400
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_TOO_SLOW = 4429

GetAccessToken = Callable[[bool], Awaitable[str]]
GetCursor = Callable[[], Awaitable[str]]
ApplyFrame = Callable[[dict[str, Any]], Awaitable[None]]
OnConnected = Callable[[bool], None]


class CursorRejected(Exception):
    """The server closed with 4400: the stored cursor is not one it issued. The caller must
    start over (empty cursor, full sync); retrying with the same cursor cannot help."""


class EventProtocolError(Exception):
    """The server sent something that is not an events frame."""


@dataclass(frozen=True)
class Backoff:
    """Delay before reconnect attempt ``n`` (0-based): ``initial * factor**n`` capped at
    ``maximum``, then scaled by a random factor in ``[1 - jitter, 1]`` so that many clients
    do not all come back at the same instant after a server restart."""

    initial: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    jitter: float = 0.5

    def delay(self, attempt: int) -> float:
        base = min(self.maximum, self.initial * self.factor ** min(attempt, 32))
        return base * (1.0 - self.jitter * random.random())  # noqa: S311 - not security


def events_url(server_url: str) -> str:
    """``http(s)://host:port[/prefix]`` -> ``ws(s)://host:port[/prefix]/api/v1/events``."""
    parts = urlsplit(server_url.strip())
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise ValueError(f"not a server address: {server_url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(EVENTS_PATH):
        path += EVENTS_PATH
    return urlunsplit((scheme, parts.netloc, path, "", ""))


async def follow_events(
    url: str,
    get_access_token: GetAccessToken,
    get_cursor: GetCursor,
    apply_frame: ApplyFrame,
    on_connected: OnConnected,
    *,
    ssl_context: ssl.SSLContext | None = None,
    backoff: Backoff | None = None,
    open_timeout: float = 10.0,
    silence_timeout: float = 60.0,
) -> None:
    """Runs until cancelled (or until the login or the cursor is refused for good).

    ``on_connected(True)`` is reported once the server has answered the hello (its first
    frame says the client is caught up or starts the catch-up), ``on_connected(False)`` when
    that connection is lost or a connection attempt fails; each only on a change.
    ``silence_timeout``: the server pings every 20 s, so this long without any frame means
    the connection is dead even if TCP has not noticed.
    """
    target = events_url(url)
    backoff = backoff or Backoff()
    connected: bool | None = None
    failures = 0  # consecutive attempts that did not get as far as a frame
    force_refresh = False
    refused_after_refresh = 0

    def report(state: bool) -> None:
        nonlocal connected
        if state is not connected:
            connected = state
            on_connected(state)

    try:
        while True:
            got_frame = False
            close_code: int | None = None
            try:
                token = await get_access_token(force_refresh)
                force_refresh = False
                # No per-message compression: the server declines it anyway (CPU per socket).
                async with connect(target, ssl=ssl_context if target.startswith("wss:") else None,
                                   open_timeout=open_timeout, max_size=64 * 1024 * 1024,
                                   compression=None) as ws:
                    cursor = await get_cursor()
                    await ws.send(json.dumps({"type": "hello", "access_token": token,
                                              "cursor": cursor}))
                    async for frame in _frames(ws, silence_timeout):
                        if frame.get("type") == "changes":
                            await apply_frame(frame)
                            if not got_frame:
                                got_frame = True
                                failures = refused_after_refresh = 0
                                report(True)
                        # "ping" frames only prove the line is alive (silence_timeout).
            except ConnectionClosed as closed:
                close_code = closed.rcvd.code if closed.rcvd is not None else None
            except ssl.SSLCertVerificationError as exc:
                report(False)
                raise CertificateError("The server's certificate is not trusted.") from exc
            except (OSError, TimeoutError, InvalidHandshake, EventProtocolError, ServerUnreachable,
                    ServerError) as exc:
                log.info("event stream unavailable (%s)", type(exc).__name__)
            except InvalidURI as exc:
                raise ValueError(str(exc)) from exc
            report(False)
            if close_code == CLOSE_NOT_AUTHENTICATED:
                log.info("event stream: access token refused; refreshing")
                force_refresh = True
                refused_after_refresh += 1
                if refused_after_refresh == 1:
                    continue  # an expired token: reconnect at once with a fresh one
            elif close_code == CLOSE_BAD_REQUEST:
                raise CursorRejected("the server refused the stored sync cursor")
            elif close_code is not None:
                log.info("event stream closed by the server (%d)", close_code)
            await asyncio.sleep(backoff.delay(failures))
            failures += 1
    except asyncio.CancelledError:
        raise
    except BaseException:
        report(False)  # the caller learns why from the exception; the state is offline
        raise


async def _frames(ws: ClientConnection,
                  silence_timeout: float) -> AsyncIterator[dict[str, Any]]:
    """The decoded frames of one connection; ends with ConnectionClosed when it closes."""
    while True:
        try:
            async with asyncio.timeout(silence_timeout):
                raw = await ws.recv()
        except TimeoutError:
            with contextlib.suppress(Exception):
                await ws.close()
            raise
        try:
            frame = json.loads(raw)
        except ValueError as exc:
            raise EventProtocolError("an events frame is not JSON") from exc
        if not isinstance(frame, dict):
            raise EventProtocolError("an events frame is not an object")
        yield frame
