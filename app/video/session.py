"""A physician's call for one admitted appointment: REST admit, signalling, engine, metadata.

Order: the signalling socket is opened (and greeted) before the admit request, so the server's
``admitted`` frame cannot be missed; ``admit`` answers the ICE servers for this call; the
engine then offers or answers as the server says. At the end the physician's client sends the
``quality`` summary (stored with the call's metadata), then hangs up and closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any

from app.api.client import ApiClient
from app.video.engine import END_LOCAL, CallEngine, CallOptions
from app.video.signalling import SignallingClient, SignallingError, websocket_url
from app.video.stats import QualitySample

log = logging.getLogger(__name__)


class PhysicianCall:
    def __init__(self, api: ApiClient, appointment_id: str, *, offerer: str = "physician",
                 options: CallOptions | None = None,
                 on_state: Callable[[str], None] | None = None,
                 on_quality: Callable[[QualitySample], None] | None = None,
                 ssl_context: ssl.SSLContext | None = None,
                 admitted_timeout: float = 30.0) -> None:
        if offerer not in ("physician", "patient"):
            raise ValueError("offerer is 'physician' or 'patient'")
        self.api = api
        self.appointment_id = appointment_id
        self.offerer = offerer
        self.options = options or CallOptions()
        self.on_state = on_state
        self.on_quality = on_quality
        self._ssl = ssl_context
        self._admitted_timeout = admitted_timeout
        self.engine: CallEngine | None = None
        self.signalling: SignallingClient | None = None
        self.admitted_at: float | None = None
        self._run: asyncio.Task[str] | None = None
        self._finished = False
        self.quality_sent: dict[str, Any] | None = None

    async def start(self) -> CallEngine:
        """Admit the waiting patient and start the call; answers the running engine."""
        # Any authenticated call refreshes an expired access token (ApiClient does that on
        # 401); the socket's hello cannot, so one cheap request goes first.
        await self.api.request("GET", "/video/ice-servers")
        token = self.api.access_token
        if not token:
            raise SignallingError("not logged in")
        signalling = SignallingClient.physician(self.api.base_url, self.appointment_id, token,
                                                self._ssl)
        await signalling.connect()
        self.signalling = signalling
        try:
            self.admitted_at = time.monotonic()
            answer = await self.api.request(
                "POST", f"/video/appointments/{self.appointment_id}/admit",
                json={"offerer": self.offerer})
            signal_url = answer.get("signal_url") if isinstance(answer, dict) else None
            if signal_url and websocket_url(self.api.base_url, signal_url) != signalling.url:
                log.info("server names another signalling URL; using the announced one")
            admitted = await signalling.wait_for("admitted", self._admitted_timeout)
        except BaseException:
            await signalling.close()
            raise
        ice_servers = answer.get("ice_servers", []) if isinstance(answer, dict) else []
        engine = CallEngine(ice_servers, self.options, on_state=self.on_state,
                            on_quality=self.on_quality)
        self.engine = engine
        offerer_is_me = admitted.get("offerer", self.offerer) == "physician"
        self._run = asyncio.ensure_future(engine.run(signalling, offerer=offerer_is_me))
        return engine

    async def wait(self, timeout: float | None = None) -> str:
        """Until the call ends (either side); answers the end reason and cleans up."""
        if self._run is None:
            raise RuntimeError("call not started")
        try:
            reason = await asyncio.wait_for(asyncio.shield(self._run), timeout)
        except SignallingError:
            await self._finish(local=False)
            raise
        await self._finish(local=False)
        return reason

    async def hangup(self) -> str:
        if self._run is None:
            raise RuntimeError("call not started")
        await self._send_quality()
        assert self.engine is not None
        await self.engine.hangup()
        with contextlib.suppress(SignallingError):
            await asyncio.wait_for(asyncio.shield(self._run), 5)
        if self.signalling is not None and self.engine.end_reason == END_LOCAL:
            # The server answers a hang-up with "ended" once the call's metadata has its end;
            # closing before that could leave the record open.
            with contextlib.suppress(SignallingError, TimeoutError):
                await self.signalling.wait_for("ended", 3, stop_on=())
        await self._finish(local=True)
        return END_LOCAL

    async def _send_quality(self) -> None:
        if self.engine is None or self.signalling is None or self.quality_sent is not None:
            return
        with contextlib.suppress(Exception):
            await self.engine.sample_stats()
        summary = self.engine.quality_summary()
        try:
            await self.signalling.send({"type": "quality", **summary})
            self.quality_sent = summary
        except SignallingError:
            log.info("quality summary could not be sent")

    async def _finish(self, local: bool) -> None:
        if self._finished:
            return
        self._finished = True
        if not local:
            await self._send_quality()
        if self.engine is not None:
            await self.engine.close()
        if self.signalling is not None:
            await self.signalling.close()
