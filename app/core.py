"""The client core: account, encrypted cache, connection and sync, as one facade.

The UI (and the CLI) drive it; it reports through the EventBus (``connection_state``,
``cache_reset``, ``sync_done``) and never calls widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import socket
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.api.client import ApiClient, normalize_server_url
from app.api.errors import (
    ApiError,
    NotAuthenticated,
    RefreshTokenInvalid,
)
from app.cache.database import CacheDB, CacheError, CacheKeyError, open_cache, wipe_cache
from app.cache.store import CachedUser, list_users
from app.events import EventBus
from app.secrets import KeyringUnavailable, SecretStore
from app.settings import Profile
from app.sync.engine import SyncEngine, SyncResult

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 60.0


class ConnectionState(enum.Enum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"
    AUTH_REQUIRED = "auth_required"


class CacheOpenOutcome(enum.Enum):
    OPENED = "opened"
    CREATED = "created"
    RESET_KEY_MISSING = "reset_key_missing"
    RESET_KEY_WRONG = "reset_key_wrong"


@dataclass(frozen=True)
class DeviceSession:
    """One place where this user is logged in."""

    id: str
    device_name: str
    created_at: datetime
    last_used_at: datetime
    current: bool


@dataclass(frozen=True)
class TotpEnrollment:
    secret: str
    otpauth_uri: str
    qr_svg: str


class NotLoggedIn(Exception):
    """No server/user in the settings or no refresh token in the keyring."""


class ClientCore:
    def __init__(self, profile: Profile, events: EventBus | None = None) -> None:
        self.profile = profile
        profile.ensure()
        self.events = events or EventBus()
        self.settings = profile.load_settings()
        self.cache: CacheDB | None = None
        self.user: dict[str, Any] = {}
        self._api: ApiClient | None = None
        self._state = ConnectionState.OFFLINE
        self._tasks: set[asyncio.Task[Any]] = set()
        self._refresh_lock = asyncio.Lock()
        self._sync_lock = asyncio.Lock()
        self._wake = asyncio.Event()

    # --- state -----------------------------------------------------------------------------

    @property
    def connection_state(self) -> ConnectionState:
        return self._state

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self._state:
            self._state = state
            log.info("connection state: %s", state.value)
            self.events.emit("connection_state", state)

    def _secrets(self) -> SecretStore:
        if not self.settings.server_url or not self.settings.email:
            raise NotLoggedIn("no server or user configured in this profile")
        return SecretStore(self.profile.id, self.settings.server_url, self.settings.email)

    def has_stored_login(self) -> bool:
        if not self.settings.server_url or not self.settings.email:
            return False
        return self._secrets().get_refresh_token() is not None

    def _new_api(self, server_url: str) -> ApiClient:
        return ApiClient(server_url, ca_file=self.settings.ca_file, refresher=self._refresh_access)

    @property
    def api(self) -> ApiClient:
        if self._api is None:
            self._api = self._new_api(self.settings.effective_server_url())
        return self._api

    # --- login / tokens ----------------------------------------------------------------------

    async def login(self, server_url: str, email: str, password: str,
                    totp: str | None = None) -> None:
        url = normalize_server_url(server_url)
        email = email.strip().lower()
        api = self._new_api(url)
        try:
            tokens = await api.login(email, password, totp, device_name=_device_name())
        except BaseException:
            await api.aclose()
            raise
        switching = (self.settings.server_url, self.settings.email) != (url, email)
        if switching:
            await self._forget_account()
        if self._api is not None:
            await self._api.aclose()
        self._api = api
        self.user = tokens.user
        self.settings.server_url, self.settings.email = url, email
        self.settings.save()
        store = self._secrets()
        await asyncio.to_thread(store.set_refresh_token, tokens.refresh_token)
        log.info("logged in, session %s", tokens.session_id)
        self._set_state(ConnectionState.ONLINE)
        await self.open_cache()

    async def _forget_account(self) -> None:
        """Another account takes over this profile: its predecessor's cache must go."""
        await self._close_cache()
        wipe_cache(self.profile.cache_path)
        if self.settings.server_url and self.settings.email:
            with contextlib.suppress(KeyringUnavailable):
                store = self._secrets()
                await asyncio.to_thread(store.delete_cache_key)
                await asyncio.to_thread(store.delete_refresh_token)

    async def _refresh_access(self) -> str | None:
        """New access token from the stored refresh token; serialized, since reusing a
        rotated refresh token makes the server revoke the whole session."""
        async with self._refresh_lock:
            store = self._secrets()
            token = await asyncio.to_thread(store.get_refresh_token)
            if token is None:
                self._set_state(ConnectionState.AUTH_REQUIRED)
                return None
            try:
                tokens = await self.api.refresh(token)
            except RefreshTokenInvalid:
                await asyncio.to_thread(store.delete_refresh_token)
                self._set_state(ConnectionState.AUTH_REQUIRED)
                return None
            await asyncio.to_thread(store.set_refresh_token, tokens.refresh_token)
            self.user = tokens.user
            return tokens.access_token

    async def logout(self) -> None:
        with contextlib.suppress(ApiError):
            if self._api is not None and self._api.access_token:
                await self._api.logout()
        with contextlib.suppress(NotLoggedIn):
            await asyncio.to_thread(self._secrets().delete_refresh_token)
        await self._cancel_tasks()
        self._set_state(ConnectionState.AUTH_REQUIRED)

    # --- account security: devices and second factor ---------------------------------------

    async def list_sessions(self) -> list[DeviceSession]:
        rows = await self.api.list_sessions()
        return [DeviceSession(str(r["id"]), str(r.get("device_name") or ""),
                              datetime.fromisoformat(str(r["created_at"])),
                              datetime.fromisoformat(str(r["last_used_at"])),
                              bool(r.get("current"))) for r in rows]

    async def revoke_session(self, session_id: str) -> None:
        await self.api.revoke_session(session_id)

    async def totp_enroll(self) -> TotpEnrollment:
        body = await self.api.totp_enroll()
        return TotpEnrollment(str(body["secret"]), str(body["otpauth_uri"]), str(body["qr_svg"]))

    async def totp_confirm(self, code: str) -> None:
        await self.api.totp_confirm(code.strip())
        self.user = await self.api.me()

    async def totp_disable(self, code: str) -> None:
        await self.api.totp_disable(code.strip())
        self.user = await self.api.me()

    async def refresh_user(self) -> dict[str, Any]:
        self.user = await self.api.me()
        return self.user

    # --- cache -------------------------------------------------------------------------------

    async def open_cache(self) -> CacheOpenOutcome:
        if self.cache is not None:
            return CacheOpenOutcome.OPENED
        store = self._secrets()
        path = self.profile.cache_path
        key = await asyncio.to_thread(store.get_cache_key)
        outcome = CacheOpenOutcome.CREATED
        if key is None:
            if path.exists():
                outcome = CacheOpenOutcome.RESET_KEY_MISSING
        elif path.exists():
            try:
                self.cache = await open_cache(path, key)
                return CacheOpenOutcome.OPENED
            except (CacheKeyError, CacheError):
                outcome = CacheOpenOutcome.RESET_KEY_WRONG
        if outcome is not CacheOpenOutcome.CREATED:
            log.warning("local cache unreadable (%s); wiping it to reload from the server",
                        outcome.value)
        wipe_cache(path)
        key = await asyncio.to_thread(store.new_cache_key)
        self.cache = await open_cache(path, key)
        if outcome is not CacheOpenOutcome.CREATED:
            self.events.emit("cache_reset", outcome)
        return outcome

    async def _close_cache(self) -> None:
        if self.cache is not None:
            cache, self.cache = self.cache, None
            await cache.aclose()

    def directory(self) -> list[CachedUser]:
        return [] if self.cache is None else list_users(self.cache)

    # --- sync and connection -----------------------------------------------------------------

    async def sync_once(self) -> SyncResult:
        if self.cache is None:
            await self.open_cache()
        assert self.cache is not None
        async with self._sync_lock:
            if not self.api.access_token and await self._refresh_access() is None:
                raise NotAuthenticated("login required")
            result = await SyncEngine(self.api, self.cache).sync_once()
        self._set_state(ConnectionState.ONLINE)
        self.events.emit("sync_done", result)
        return result

    async def start(self) -> CacheOpenOutcome:
        """Open the cache, then connect and sync in the background (never blocks on the
        network, so the window is usable at once)."""
        outcome = await self.open_cache()
        self._spawn(self._connection_loop())
        return outcome

    def request_sync(self) -> None:
        self._wake.set()

    async def _connection_loop(self) -> None:
        backoff = 1.0
        while True:
            # Cleared before syncing, so a request_sync() during this sync is not lost.
            self._wake.clear()
            if self._state is not ConnectionState.ONLINE:
                self._set_state(ConnectionState.CONNECTING)
            try:
                await self.sync_once()
                backoff = 1.0
                delay = self.settings.sync_interval_s
            except (NotAuthenticated, RefreshTokenInvalid):
                self._set_state(ConnectionState.AUTH_REQUIRED)
                return
            except ApiError as exc:
                if self._state is ConnectionState.AUTH_REQUIRED:
                    return
                log.info("server not reachable (%s); retrying in %.0f s", exc.code, backoff)
                self._set_state(ConnectionState.OFFLINE)
                delay, backoff = backoff, min(backoff * 2, MAX_BACKOFF_S)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def _cancel_tasks(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        await self._cancel_tasks()
        if self._api is not None:
            await self._api.aclose()
            self._api = None
        await self._close_cache()


def _device_name() -> str:
    return f"Praxisdesk on {socket.gethostname()}"
