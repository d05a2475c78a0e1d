"""The video signalling websocket (contract: "Signalling"), client side.

One connection per call, no automatic reconnect (a dropped signalling link during set-up means
starting over; an established call no longer needs it). The first frame is ``hello``; a refused
physician gets close code 4403, a bad or expired login 4401, both raised as clear errors.
Frames are read one at a time by whoever asks next, so nothing is reordered or lost between
"wait for admitted" and the engine taking over.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK, InvalidStatus

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


class SignallingError(Exception):
    """Signalling failed (closed, unreachable, refused)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SignallingUnauthorized(SignallingError):
    """4401: the login is not (or no longer) valid: log in again."""


class SignallingForbidden(SignallingError):
    """4403: this user may not hold video consultations (physicians only)."""


def _refusal(code: int | None) -> SignallingError | None:
    if code == CLOSE_UNAUTHORIZED:
        return SignallingUnauthorized("the login is not valid for the video call", code)
    if code == CLOSE_FORBIDDEN:
        return SignallingForbidden("only a physician may hold the video call", code)
    return None


def websocket_url(base_url: str, path: str) -> str:
    """``http(s)://host`` + path → ``ws(s)://host/path``; absolute ws(s) URLs pass through."""
    if path.startswith(("ws://", "wss://")):
        return path
    if path.startswith(("http://", "https://")):
        base_url, path = path, ""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + path, "", ""))


def physician_signal_url(base_url: str, appointment_id: str) -> str:
    return websocket_url(base_url, f"/api/v1/video/appointments/{appointment_id}/signal")


class SignallingClient:
    def __init__(self, url: str, hello: dict[str, Any],
                 ssl_context: ssl.SSLContext | None = None, open_timeout: float = 10.0) -> None:
        self.url = url
        self._hello = hello
        self._ssl = ssl_context
        self._open_timeout = open_timeout
        self._ws: ClientConnection | None = None
        self.close_code: int | None = None

    @classmethod
    def physician(cls, base_url: str, appointment_id: str, access_token: str,
                  ssl_context: ssl.SSLContext | None = None) -> SignallingClient:
        return cls(physician_signal_url(base_url, appointment_id),
                   {"type": "hello", "access_token": access_token}, ssl_context)

    @classmethod
    def patient(cls, base_url: str, link_token: str, name: str,
                ssl_context: ssl.SSLContext | None = None) -> SignallingClient:
        """The patient's side (the browser normally; aiortc in tests and the benchmark)."""
        return cls(websocket_url(base_url, f"/v/{link_token}/signal"),
                   {"type": "hello", "name": name}, ssl_context)

    async def connect(self) -> None:
        try:
            self._ws = await connect(self.url, max_size=MAX_FRAME_BYTES,
                                     open_timeout=self._open_timeout,
                                     ssl=self._ssl if self.url.startswith("wss") else None)
        except InvalidStatus as exc:
            status = exc.response.status_code
            raise (_refusal({401: CLOSE_UNAUTHORIZED, 403: CLOSE_FORBIDDEN}.get(status))
                   or SignallingError(f"signalling refused (HTTP {status})")) from exc
        except (OSError, TimeoutError) as exc:
            raise SignallingError(f"signalling unreachable ({type(exc).__name__})") from exc
        await self.send(self._hello)

    def _closed(self, exc: ConnectionClosed) -> SignallingError | None:
        code = exc.rcvd.code if exc.rcvd is not None else None
        self.close_code = code
        refusal = _refusal(code)
        if refusal is not None:
            return refusal
        if isinstance(exc, ConnectionClosedOK):
            return None
        return SignallingError(f"signalling closed ({code})", code)

    async def send(self, message: dict[str, Any]) -> None:
        if self._ws is None:
            raise SignallingError("signalling is not connected")
        try:
            await self._ws.send(json.dumps(message))
        except ConnectionClosed as exc:
            raise self._closed(exc) or SignallingError("signalling closed") from exc

    async def receive(self) -> dict[str, Any] | None:
        """The next frame (skipping non-JSON), or None when the server closed normally."""
        if self._ws is None:
            raise SignallingError("signalling is not connected")
        while True:
            try:
                raw = await self._ws.recv()
            except ConnectionClosed as exc:
                error = self._closed(exc)
                if error is not None:
                    raise error from exc
                return None
            try:
                message = json.loads(raw)
            except ValueError:
                log.info("non-JSON signalling frame ignored")
                continue
            if isinstance(message, dict):
                return message

    async def frames(self) -> AsyncIterator[dict[str, Any]]:
        while (message := await self.receive()) is not None:
            yield message

    async def wait_for(self, kind: str, timeout: float,
                       stop_on: tuple[str, ...] = ("ended", "peer-left")) -> dict[str, Any]:
        """Skips frames until one of type ``kind``; earlier frames of other types are not
        needed by anyone (the engine only starts after this)."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self.receive()
                if message is None:
                    raise SignallingError("signalling closed while waiting")
                if message.get("type") == kind:
                    return message
                if message.get("type") in stop_on:
                    raise SignallingError(f"call ended while waiting ({message.get('type')})")

    async def close(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
