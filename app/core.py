"""The client core: account, encrypted cache, connection and sync, as one facade.

The UI (and the CLI) drive it; it reports through the EventBus (``connection_state``,
``cache_reset``, ``sync_done``, ``server_compat``...) and never calls widgets.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import enum
import hashlib
import json
import logging
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.admin_types import PracticeSession
from app.api.client import ApiClient, normalize_server_url
from app.api.errors import (
    ApiError,
    CertificateError,
    Forbidden,
    NotAuthenticated,
    NotFound,
    ProtocolError,
    RefreshTokenInvalid,
    ServerUnreachable,
    SessionRevoked,
)
from app.cache import attachments as blobs
from app.cache import calls as calls_store
from app.cache import inbox_store
from app.cache.calls import CallsCache
from app.cache.database import CacheDB, CacheError, CacheKeyError, open_cache, wipe_cache
from app.cache.inbox import InboxCache
from app.cache.purge import purge
from app.cache.search import fold
from app.cache.store import CachedUser, list_users
from app.calls.types import CallerFields, CallStatus, TakenInquiry
from app.events import EventBus
from app.forms.definition import FormDefinition, definition_to_json
from app.forms.versions import STATUSES as FORM_STATUSES
from app.forms.versions import FormVersion, ShippedTemplate
from app.inbox.templates import TemplateEditForbidden
from app.inbox.types import (
    FormDefinitionInfo,
    FormRequestInfo,
    InboxActions,
    InboxQueries,
    InquiryStatus,
    SealStatus,
)
from app.secrets import KeyringUnavailable, SecretStore
from app.server_compat import Compatibility
from app.settings import Profile
from app.sync import outbox
from app.sync.engine import ApplyContext, SyncEngine, SyncResult, announce, apply_page
from app.sync.live_phase import LiveOutcome, follow_live
from app.video.appointments import VideoService

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 60.0
# The server's default limit (PRAXISDESK_ATTACHMENT_MAX_BYTES); checked here so a too large
# file is refused at once instead of failing later in the outbox.
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Downloads accept a little more than that, in case a server was configured higher.
DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024
# A call recording: at most a few minutes of mono 16-bit WAV (the server's maximum recording
# length is configurable; 20 minutes at 16 kHz are ~38 MB).
RECORDING_MAX_BYTES = 64 * 1024 * 1024
# A patient export holds all their attachments; the server builds it before the first byte.
EXPORT_MAX_BYTES = 64 * 1024 * 1024 * 1024
EXPORT_TIMEOUT_S = 600.0

PURGE_INTERVAL_S = 3600.0  # the cache's own retention purge (also at start, after tombstones)

LiveFollower = Callable[["ClientCore"], Awaitable[LiveOutcome]]


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


class AttachmentError(Exception):
    """An attachment is unknown, or its download did not match its checksum."""


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
        self._inbox: InboxCache | None = None
        self._calls: CallsCache | None = None
        self._outbox: outbox.OutboxWorker | None = None
        self._temp_dir: Path | None = None
        # Video appointments live on the server only (REST; refreshed on sync events).
        self.video = VideoService(lambda: self.api, lambda: self.user)
        # Seam for the websocket stream (app.sync.live.follow_events): when set, the
        # connection loop awaits it after each successful catch-up sync. It feeds each
        # pushed page to apply_live_page() and returns when it gives up on the socket;
        # the loop then polls (sync_interval_s) and calls it again after the next sync.
        self.live_follower: LiveFollower | None = follow_live
        self._purge_lock = asyncio.Lock()
        self._revocation: asyncio.Task[None] | None = None
        # The server's release judged against ours (None: not asked yet). Checked at login
        # and whenever the connection comes back, since the server may have been updated
        # meanwhile; a change is announced as ``server_compat``. Never blocks anything.
        self.server_compat: Compatibility | None = None
        self._server_checked = False

    # --- state -----------------------------------------------------------------------------

    @property
    def connection_state(self) -> ConnectionState:
        return self._state

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self._state:
            self._state = state
            log.info("connection state: %s", state.value)
            self.events.emit("connection_state", state)

    def _set_compat(self, compat: Compatibility) -> None:
        self._server_checked = True
        if compat != self.server_compat:
            self.server_compat = compat
            if not compat.ok:
                log.warning("server version %s: %s (this client %s supports %s to below %s)",
                            compat.server_version, compat.verdict.value,
                            compat.client_version, compat.min_server_version,
                            compat.max_server_version_exclusive)
            self.events.emit("server_compat", compat)

    async def _check_server(self, api: ApiClient) -> None:
        """Ask the server's release (health); unreachable leaves the last verdict as is."""
        with contextlib.suppress(ServerUnreachable, CertificateError):
            self._set_compat(await api.compatibility())

    def _secrets(self) -> SecretStore:
        if not self.settings.server_url or not self.settings.email:
            raise NotLoggedIn("no server or user configured in this profile")
        return SecretStore(self.profile.id, self.settings.server_url, self.settings.email)

    def has_stored_login(self) -> bool:
        if not self.settings.server_url or not self.settings.email:
            return False
        return self._secrets().get_refresh_token() is not None

    def _new_api(self, server_url: str) -> ApiClient:
        api = ApiClient(server_url, ca_file=self.settings.ca_file, refresher=self._refresh_access)
        api.on_session_revoked = self._session_revoked_seen
        return api

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
            # Before signing in, so a login that fails against an unsupported server can
            # say why; connection failures raise here just as the login would.
            self._set_compat(await api.compatibility())
            tokens = await api.login(email, password, totp, device_name=_device_name())
        except BaseException:
            self._server_checked = False  # the profile's own server is judged on connect
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
        self._revocation = None  # a new login: a later revocation wipes again
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
        self.video.forget()
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
        if self._inbox is not None:
            self._inbox.attach(None)  # the object stays: the UI holds it
        if self._calls is not None:
            self._calls.attach(None)
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
        try:
            async with self._sync_lock:
                if not self.api.access_token and await self._refresh_access() is None:
                    raise NotAuthenticated("login required")
                page_size = min(max(int(self.settings.sync_page_size), 1), 5000)
                result = await SyncEngine(self.api, self.cache, page_size=page_size,
                                          events=self.events,
                                          after_page=self._purge_after_page).sync_once()
        except SessionRevoked:
            await self._revocation_done()
            raise
        self._set_state(ConnectionState.ONLINE)
        self.events.emit("sync_done", result)
        return result

    async def start(self) -> CacheOpenOutcome:
        """Open the cache, then connect and sync in the background (never blocks on the
        network, so the window is usable at once)."""
        outcome = await self.open_cache()
        assert self.cache is not None
        self._outbox = outbox.OutboxWorker(self.api, self.cache, self.events)
        self._spawn(self._outbox.run())
        self._spawn(self._connection_loop())
        self._spawn(self._purge_loop())
        return outcome

    async def apply_live_page(self, changes: list[Any], cursor: str) -> int:
        """One page pushed by the server (same change objects and cursor as
        ``GET /sync/changes``): into the cache with its cursor, then the usual events."""
        if self.cache is None:
            await self.open_cache()
        assert self.cache is not None
        ctx = ApplyContext()
        async with self._sync_lock:
            count, initial = await self.cache.run(
                lambda conn: apply_page(conn, changes, cursor, ctx, finished=True))
        announce(self.events, ctx, initial)
        await self._purge_after_page(ctx)
        return count

    def mark_online(self) -> None:
        self._set_state(ConnectionState.ONLINE)

    async def refresh_access_token(self) -> str | None:
        """A fresh access token (None: the login is gone and the user must sign in)."""
        return await self._refresh_access()

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
                if not self._server_checked:
                    await self._check_server(self.api)
                await self.sync_once()
                backoff = 1.0
                delay = self.settings.sync_interval_s
                if self._outbox is not None:
                    self._outbox.wake()  # the server answers: deliver what waited
                if self.live_follower is not None:
                    with contextlib.suppress(ApiError):
                        if (await self.live_follower(self)).was_connected:
                            delay = 0  # the socket dropped: catch up over /sync/changes now
                            self._server_checked = False  # it may come back updated
            except (NotAuthenticated, RefreshTokenInvalid, SessionRevoked):
                self._set_state(ConnectionState.AUTH_REQUIRED)
                return
            except ApiError as exc:
                if self._state is ConnectionState.AUTH_REQUIRED:
                    return
                log.info("server not reachable (%s); retrying in %.0f s", exc.code, backoff)
                self._set_state(ConnectionState.OFFLINE)
                self._server_checked = False
                delay, backoff = backoff, min(backoff * 2, MAX_BACKOFF_S)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

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
        self._outbox = None
        if self._api is not None:
            await self._api.aclose()
            self._api = None
        await self._close_cache()
        self._wipe_temp_dir()

    # --- retention ---------------------------------------------------------------------------
    # The cache applies the practice's retention rule itself (app.cache.purge): at start,
    # hourly, and right after a sync page that carries a retention_policy change or a
    # patient/conversation delete. A revoked login (401 session_revoked) wipes this device.

    async def purge_cache(self, now: datetime | None = None) -> dict[str, int]:
        """Remove expired content from the cache (``now`` injectable for tests and
        ``praxisdesk purge --now``); returns counts per kind and emits ``cache_purged``."""
        cache = await self._open_cache_db()
        async with self._purge_lock:  # start, hourly and after-page purges never overlap
            report = await purge(cache, now)
            await self._wipe_purged_copies(cache)
        if report.touched:
            self.events.emit("inbox_changed", sorted(report.touched))
        if report.counts.get("call"):
            self.events.emit("calls_changed", [])
        self.events.emit("cache_purged", dict(report.counts))
        return report.counts

    async def _purge_after_page(self, ctx: ApplyContext) -> None:
        if ctx.purge_needed and self.cache is not None:
            await self.purge_cache()

    async def _purge_loop(self) -> None:
        while True:
            try:
                await self.purge_cache()
            except Exception as exc:  # the hourly loop must outlive one failed purge
                log.warning("cache purge failed (%s); retrying in an hour", type(exc).__name__)
            await asyncio.sleep(PURGE_INTERVAL_S)

    async def _wipe_purged_copies(self, cache: CacheDB) -> None:
        """Decrypted viewer copies (open_attachment_copy) of attachments that are no longer
        in the cache go too: they must not outlive the data they came from."""
        folder = self._temp_dir
        if folder is None:
            return
        names = await asyncio.to_thread(
            lambda: [p.name for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else [])
        if not names:
            return
        kept = await cache.run(lambda conn: {r[0] for r in conn.execute(
            f"SELECT id FROM attachments WHERE id IN ({','.join('?' * len(names))})",  # noqa: S608
            names)})
        for name in names:
            if name not in kept:
                await asyncio.to_thread(shutil.rmtree, folder / name, True)

    def _session_revoked_seen(self) -> None:
        """ApiClient hook: the server ended this login. Starts the wipe once."""
        if self._revocation is None:
            self._revocation = asyncio.ensure_future(self._wipe_revoked_device())

    async def _revocation_done(self) -> None:
        if self._revocation is not None:
            await asyncio.shield(self._revocation)

    async def _wipe_revoked_device(self) -> None:
        """Signed out by the server: the cache file, its key and the refresh token go (the
        cache is disposable; the next login syncs again), then the UI asks for a login."""
        log.warning("this device's login was revoked; wiping its local data")
        await self._cancel_tasks()  # the wipe itself is not one of them
        self._outbox = None
        await self._close_cache()
        wipe_cache(self.profile.cache_path)
        self._wipe_temp_dir()
        with contextlib.suppress(NotLoggedIn, KeyringUnavailable):
            store = self._secrets()
            await asyncio.to_thread(store.delete_cache_key)
            await asyncio.to_thread(store.delete_refresh_token)
        if self._api is not None:
            self._api.access_token = None
        self._set_state(ConnectionState.AUTH_REQUIRED)
        self.events.emit("session_revoked")

    # --- inbox: reads --------------------------------------------------------------------------

    @property
    def inbox(self) -> InboxCache:
        """The inbox queries (InboxQueries) on their own read connection. The same object for
        the client's lifetime; it reads nothing while no cache is open."""
        if self._inbox is None:
            self._inbox = InboxCache(None)
        if self._inbox.connected is False and self.cache is not None:
            self._inbox.attach(self.cache.open_reader())
        return self._inbox

    async def _open_cache_db(self) -> CacheDB:
        if self.cache is None:
            await self.open_cache()
        assert self.cache is not None
        return self.cache

    # --- inbox: writes through the outbox ------------------------------------------------------

    async def _queue(self, conversation_id: str | None,
                     write: Callable[[Any, set[str]], str]) -> str:
        cache = await self._open_cache_db()
        touched: set[str] = set()

        def run(conn: Any) -> str:
            outbox_id = write(conn, touched)
            for cid in touched:
                inbox_store.refresh_conversation(conn, cid)
            return outbox_id

        outbox_id = await cache.run(run)
        self.events.emit("outbox_changed", conversation_id or "")
        if touched:
            self.events.emit("inbox_changed", sorted(touched))
        if self._outbox is not None:
            self._outbox.wake()
        return outbox_id

    async def send_message(self, conversation_id: str, text: str,
                           attachment_path: str | None = None) -> str:
        file_name: str | None = None
        data: bytes | None = None
        if attachment_path:
            path = Path(attachment_path)
            size = await asyncio.to_thread(lambda: path.stat().st_size)
            if size > ATTACHMENT_MAX_BYTES:
                raise ValueError("the file is larger than 20 MB")
            data = await asyncio.to_thread(path.read_bytes)
            file_name = path.name
        if not text.strip() and data is None:
            raise ValueError("a message needs text or an attachment")
        return await self._queue(conversation_id, lambda conn, touched: outbox.enqueue(
            conn, "message", conversation_id=conversation_id, payload={"text": text},
            file_name=file_name, file_data=data))

    async def add_note(self, conversation_id: str, text: str,
                       inquiry_id: str | None = None) -> None:
        if not text.strip():
            raise ValueError("a note needs text")
        payload: dict[str, Any] = {"text": text}
        if inquiry_id:
            payload["inquiry_id"] = inquiry_id
        await self._queue(conversation_id, lambda conn, touched: outbox.enqueue(
            conn, "note", conversation_id=conversation_id, payload=payload))

    async def mark_read(self, conversation_id: str) -> None:
        def write(conn: Any, touched: set[str]) -> str:
            # Shown as read at once; the server confirms in the background.
            conn.execute("UPDATE conversations SET unread_count = 0 WHERE id = ?",
                         (conversation_id,))
            touched.add(conversation_id)
            pending = conn.execute(
                "SELECT id FROM outbox WHERE kind = 'mark_read' AND conversation_id = ? "
                "AND state = 'pending'", (conversation_id,)).fetchone()
            if pending is not None:
                return str(pending[0])
            return outbox.enqueue(conn, "mark_read", conversation_id=conversation_id)

        await self._queue(conversation_id, write)

    async def update_inquiry(self, inquiry_id: str, *, status: InquiryStatus | None = None,
                             assignee_user_id: str | None = None,
                             clear_assignee: bool = False) -> None:
        payload: dict[str, Any] = {}
        if status is not None:
            payload["status"] = InquiryStatus(status).value
        if clear_assignee:
            payload["assignee_user_id"] = None
        elif assignee_user_id is not None:
            payload["assignee_user_id"] = assignee_user_id
        if not payload:
            return
        cache = await self._open_cache_db()
        row = await cache.run(lambda conn: conn.execute(
            "SELECT conversation_id FROM inquiries WHERE id = ?", (inquiry_id,)).fetchone())
        conversation_id = str(row[0]) if row else None

        def write(conn: Any, touched: set[str]) -> str:
            if "status" in payload:
                conn.execute("UPDATE inquiries SET status = ? WHERE id = ?",
                             (payload["status"], inquiry_id))
            if "assignee_user_id" in payload:
                conn.execute("UPDATE inquiries SET assignee_user_id = ? WHERE id = ?",
                             (payload["assignee_user_id"], inquiry_id))
            if conversation_id:
                touched.add(conversation_id)
            return outbox.enqueue(conn, "inquiry_update", conversation_id=conversation_id,
                                  target_id=inquiry_id, payload=payload)

        await self._queue(conversation_id, write)

    async def retry_outbox(self, outbox_id: str) -> None:
        """Put a failed item back in the queue (same Idempotency-Key)."""
        cache = await self._open_cache_db()
        cid = await cache.run(lambda conn: outbox.retry(conn, outbox_id))
        if cid is not None:
            self.events.emit("outbox_changed", cid)
            if self._outbox is not None:
                self._outbox.wake()

    async def discard_outbox(self, outbox_id: str) -> None:
        """Drop a failed item."""
        cache = await self._open_cache_db()
        cid = await cache.run(lambda conn: outbox.discard(conn, outbox_id))
        if cid is not None:
            self.events.emit("outbox_changed", cid)

    async def deliver_outbox(self) -> int:
        """Deliver pending items now (headless use); raises when the server is away."""
        cache = await self._open_cache_db()
        worker = self._outbox or outbox.OutboxWorker(self.api, cache, self.events)
        return await worker.deliver_pending()

    # --- inbox: starting a conversation --------------------------------------------------------

    async def start_conversation(self, name: str, dob: str, email: str | None,
                                 phone: str | None = None) -> str:
        name = " ".join(name.split())
        page = await self.api.request("GET", "/patients", params={"q": name, "limit": 500})
        items = page.get("items", []) if isinstance(page, dict) else []
        patient = next((p for p in items if isinstance(p, dict)
                        and fold(str(p.get("name", ""))) == fold(name)
                        and str(p.get("dob")) == dob), None)
        if patient is None:
            body: dict[str, Any] = {"name": name, "dob": dob}
            if email:
                body["email"] = email
            if phone:
                body["phone"] = phone
            patient = await self.api.request("POST", "/patients", json=body,
                                             headers={"Idempotency-Key": str(uuid.uuid4())})
        assert isinstance(patient, dict)
        conversation = await self.api.request("POST", "/conversations",
                                              json={"patient_id": patient["id"]},
                                              headers={"Idempotency-Key": str(uuid.uuid4())})
        assert isinstance(conversation, dict)
        cache = await self._open_cache_db()
        touched: set[str] = set()

        def write(conn: Any) -> None:
            inbox_store.upsert_patient(conn, patient, touched)
            # The link is shown once by whoever asked for it; the cache never keeps it.
            inbox_store.upsert_conversation(conn, {**conversation, "patient_link": None},
                                            touched)
            for cid in touched:
                inbox_store.refresh_conversation(conn, cid)

        await cache.run(write)
        self.events.emit("inbox_changed", sorted(touched))
        self.request_sync()
        return str(conversation["id"])

    # --- inbox: the patient's link -------------------------------------------------------------

    async def _store_link_state(self, conversation: Any) -> None:
        """Write the answer's link state into the cached conversation; the link itself is
        shown once by whoever asked for it and never kept (the server keeps only a hash)."""
        assert isinstance(conversation, dict)
        cid = str(conversation["id"])
        active = 1 if conversation.get("link_active") else 0
        expires = inbox_store.norm_time(conversation.get("link_expires_at"))
        cache = await self._open_cache_db()
        await cache.run(lambda conn: inbox_store.set_link_state(conn, cid, active, expires))
        self.events.emit("inbox_changed", [cid])

    async def reissue_patient_link(self, conversation_id: str) -> str:
        """A new link for the patient (older ones stop working); returns its URL."""
        conversation = await self.api.request(
            "POST", f"/conversations/{conversation_id}/link")
        assert isinstance(conversation, dict)
        link = conversation.get("patient_link")
        if not isinstance(link, str) or not link:
            raise ProtocolError("the server answered without a link")
        await self._store_link_state(conversation)
        return link

    async def revoke_patient_link(self, conversation_id: str) -> None:
        """Every link of the conversation stops working."""
        conversation = await self.api.request(
            "POST", f"/conversations/{conversation_id}/link/revoke")
        await self._store_link_state(conversation)
    # --- phone assistant (issue 5): the call queue ------------------------------------------
    # Reads come from the cache (sync kind ``call``); edits go through the outbox like inquiry
    # edits (shown at once, delivered with an Idempotency-Key); taking a call as an inquiry
    # and playing its recording are online calls. The recording is held in memory only: the
    # decrypted audio never touches the disk.

    @property
    def calls(self) -> CallsCache:
        """The queue's reads on their own read connection (same object for the client's
        lifetime; empty while no cache is open)."""
        if self._calls is None:
            self._calls = CallsCache(None)
        if not self._calls.connected and self.cache is not None:
            self._calls.attach(self.cache.open_reader())
        return self._calls

    async def update_call(self, call_id: str, *, status: CallStatus | str | None = None,
                          assignee_user_id: str | None = None, clear_assignee: bool = False,
                          category: str | None = None,
                          caller: CallerFields | None = None) -> str | None:
        """Queue a ``PATCH /calls/{id}`` (only the given parts); returns the outbox id, or
        None when nothing was asked. The queue shows the change at once."""
        payload: dict[str, Any] = {}
        if status is not None:
            payload["status"] = CallStatus(status).value
        if clear_assignee:
            payload["assignee_user_id"] = None
        elif assignee_user_id is not None:
            payload["assignee_user_id"] = assignee_user_id
        if category is not None:
            payload["category"] = category
        if caller is not None:
            payload["caller"] = {"name": caller.name or None, "dob": caller.dob or None,
                                 "phone": caller.phone or None}
        if not payload:
            return None
        cache = await self._open_cache_db()

        def write(conn: Any) -> str:
            calls_store.apply_local_edit(conn, call_id, payload)
            return outbox.enqueue(conn, "call_update", target_id=call_id, payload=payload)

        outbox_id = await cache.run(write)
        self.events.emit("calls_changed", [call_id])
        if self._outbox is not None:
            self._outbox.wake()
        return outbox_id

    async def take_call_as_inquiry(self, call_id: str,
                                   patient_id: str | None = None) -> TakenInquiry:
        """"Als Anfrage übernehmen": the server makes a typed inquiry from the call (patient
        matched by name + date of birth, or created); twice gives the same inquiry."""
        body: dict[str, Any] = {"patient_id": patient_id} if patient_id else {}
        answer = await self.api.request("POST", f"/calls/{call_id}/inquiry", json=body,
                                        headers={"Idempotency-Key": str(uuid.uuid4())})
        if not isinstance(answer, dict) or not answer.get("inquiry_id"):
            raise ProtocolError("the server answered without an inquiry")
        taken = TakenInquiry(str(answer["inquiry_id"]), str(answer.get("patient_id") or ""),
                             str(answer.get("conversation_id") or ""))
        cache = await self._open_cache_db()
        await cache.run(lambda conn: calls_store.set_taken(conn, call_id, taken.inquiry_id,
                                                           taken.patient_id))
        self.events.emit("calls_changed", [call_id])
        self.request_sync()  # the new inquiry (and perhaps patient and conversation)
        log.info("call %s taken as inquiry %s", call_id, taken.inquiry_id)
        return taken

    async def fetch_call_recording(self, call_id: str) -> bytes:
        """The call's recording as WAV bytes, in memory (``NotFound`` when there is none or
        it was purged)."""
        buffer = bytearray()

        def sink(chunk: bytes, received: int, total: int | None) -> None:
            buffer.extend(chunk)

        await self.api.download(f"/calls/{call_id}/recording", sink,
                                max_bytes=RECORDING_MAX_BYTES)
        return bytes(buffer)

    # --- reply templates (admins) ----------------------------------------------------------------
    # Direct calls, not the outbox: an admin edits them at the desk while online and wants to
    # know at once whether the server took the change. The answer goes into the cache with the
    # sync appliers' own functions, so the composer's menu shows it before the next sync.

    async def _template_call(self, method: str, path: str,
                             body: dict[str, Any] | None = None) -> Any:
        try:
            return await self.api.request(method, path, json=body,
                                          headers={"Idempotency-Key": str(uuid.uuid4())})
        except Forbidden as exc:
            raise TemplateEditForbidden(status=exc.status) from exc

    async def _write_templates(self, write: Callable[[Any], None]) -> None:
        cache = await self._open_cache_db()
        await cache.run(write)
        self.events.emit("templates_changed")

    async def create_template(self, title: str, body: str) -> str:
        created = await self._template_call("POST", "/templates",
                                            {"title": title, "body": body})
        assert isinstance(created, dict)
        await self._write_templates(lambda conn: inbox_store.upsert_template(conn, created))
        return str(created["id"])

    async def update_template(self, template_id: str, title: str, body: str) -> None:
        try:
            updated = await self._template_call("PATCH", f"/templates/{template_id}",
                                                {"title": title, "body": body})
        except NotFound:
            # Deleted elsewhere: drop it here too, then say so.
            await self._write_templates(
                lambda conn: inbox_store.delete_template(conn, template_id))
            raise
        assert isinstance(updated, dict)
        await self._write_templates(lambda conn: inbox_store.upsert_template(conn, updated))

    async def delete_template(self, template_id: str) -> None:
        try:
            await self._template_call("DELETE", f"/templates/{template_id}")
        except NotFound:
            pass  # already gone on the server: the wanted state, only the cache lags behind
        await self._write_templates(lambda conn: inbox_store.delete_template(conn, template_id))

    # --- forms (issue 8): sending and the results -----------------------------------------------
    # Reads come from the cache (sync kinds form_definition, form_request); sending and
    # withdrawing are direct calls (online only: the patient should get the form now or the
    # sender should know it did not go, not find it queued hours later). The answer goes into
    # the cache with the sync appliers' functions, so the thread shows it at once.

    def form_definitions(self, status: str | None = "active") -> list[FormDefinitionInfo]:
        """Synced form versions (``status`` None: all), by title, newest version first."""
        return self.inbox.form_definitions(status)

    def form_requests_of(self, conversation_id: str) -> list[FormRequestInfo]:
        """The forms sent in a conversation, newest first."""
        return self.inbox.form_requests_of(conversation_id)

    async def _store_form_request(self, request: dict[str, Any]) -> None:
        cache = await self._open_cache_db()
        touched: set[str] = set()

        def write(conn: Any) -> None:
            inbox_store.upsert_form_request(conn, request, touched)
            for cid in touched:
                inbox_store.refresh_conversation(conn, cid)

        await cache.run(write)
        self.events.emit("inbox_changed", sorted(touched))

    async def send_form(self, conversation_id: str, definition_id: str) -> str:
        """Sends the form to the conversation's patient (the server adds the message that
        tells them); returns the request id. Offline: ``ServerUnreachable``."""
        request = await self.api.send_form(conversation_id, definition_id, str(uuid.uuid4()))
        await self._store_form_request(request)
        self.request_sync()  # the server's message to the patient
        log.info("form %s sent in conversation %s", definition_id, conversation_id)
        return str(request["id"])

    async def cancel_form_request(self, request_id: str) -> None:
        """Withdraws a sent form (the patient's draft is deleted on the server)."""
        request = await self.api.cancel_form_request(request_id, str(uuid.uuid4()))
        await self._store_form_request(request)

    async def seal_status(self, attachment_id: str) -> SealStatus:
        """The server's check of a form PDF's seal against the practice certificate."""
        body = await self.api.seal_status(attachment_id)

        def opt_bool(key: str) -> bool | None:
            value = body.get(key)
            return bool(value) if value is not None else None

        def opt_str(key: str) -> str | None:
            value = body.get(key)
            return str(value) if value is not None else None

        return SealStatus(bool(body.get("sealed")), opt_bool("ok"), opt_bool("intact"),
                          opt_bool("trusted"), opt_str("signer"), opt_str("signed_at"),
                          opt_str("sha256"), opt_str("problem"))

    # --- attachments ---------------------------------------------------------------------------

    async def _attachment_meta(self, attachment_id: str) -> blobs.AttachmentMeta:
        cache = await self._open_cache_db()
        meta = await cache.run(lambda conn: blobs.get_meta(conn, attachment_id))
        if meta is None:
            raise AttachmentError("unknown attachment")
        return meta

    async def fetch_attachment(self, attachment_id: str,
                               progress: object | None = None) -> None:
        meta = await self._attachment_meta(attachment_id)
        buffer = bytearray()

        def sink(chunk: bytes, received: int, total: int | None) -> None:
            buffer.extend(chunk)
            if callable(progress):
                progress(received, total if total is not None else meta.size)

        headers = await self.api.download(f"/attachments/{attachment_id}", sink,
                                          max_bytes=DOWNLOAD_MAX_BYTES)
        expected = (meta.sha256 or headers.get("x-content-sha256", "")).lower()
        digest = hashlib.sha256(buffer).hexdigest()
        if not expected or digest != expected:
            raise AttachmentError("the downloaded file does not match its checksum")
        data = bytes(buffer)
        cache = await self._open_cache_db()
        await cache.run(lambda conn: blobs.store_blob(conn, attachment_id, data))
        self.events.emit("inbox_changed", [meta.conversation_id])

    async def _attachment_bytes(self, attachment_id: str) -> tuple[blobs.AttachmentMeta, bytes]:
        meta = await self._attachment_meta(attachment_id)
        cache = await self._open_cache_db()
        data = await cache.run(lambda conn: blobs.load_blob(conn, attachment_id))
        if data is None:
            await self.fetch_attachment(attachment_id)
            data = await cache.run(lambda conn: blobs.load_blob(conn, attachment_id))
        if data is None:
            raise AttachmentError("the attachment could not be loaded")
        return meta, data

    async def export_attachment(self, attachment_id: str, destination: str) -> str:
        meta, data = await self._attachment_bytes(attachment_id)
        target = Path(destination)
        if await asyncio.to_thread(target.is_dir):
            target = target / _safe_filename(meta.filename)
        await asyncio.to_thread(_write_atomically, target, data, None)
        return str(target)

    async def open_attachment_copy(self, attachment_id: str) -> str:
        meta, data = await self._attachment_bytes(attachment_id)
        if self._temp_dir is None:
            # mkdtemp creates the directory 0700: only this user can read the copies.
            self._temp_dir = Path(tempfile.mkdtemp(prefix="praxisdesk-"))
            atexit.register(shutil.rmtree, self._temp_dir, True)
        folder = self._temp_dir / attachment_id
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / _safe_filename(meta.filename)
        await asyncio.to_thread(_write_atomically, target, data, 0o600)
        return str(target)

    def _wipe_temp_dir(self) -> None:
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    # --- export into the patient record (issue 6) ----------------------------------------------
    # Imports kept in this section: the export is one feature, and its code stays in one place.

    async def export_to_record(self, conversation_id: str) -> list[str]:
        """Write the conversation as PDF + GDT 3.0 into the folder chosen in the settings;
        returns the two paths. Raises ``RecordExportError`` (reason codes in
        app.record_export.service): nothing is left half-written."""
        from app.cache.record import conversation_patient
        from app.record_export.document import RecordPatient
        from app.record_export.service import RecordExportError, export_conversation

        folder = self.settings.record_export_dir
        if not folder:
            raise RecordExportError("not_configured")
        cache = await self._open_cache_db()
        found = await cache.run(lambda conn: conversation_patient(conn, conversation_id))
        if found is None:
            raise RecordExportError("not_found")
        patient_id, name, dob = found
        birth = None
        if dob:
            with contextlib.suppress(ValueError):
                birth = datetime.fromisoformat(dob).date()
        patient = RecordPatient(patient_id, name, birth)
        staff = {user.id: user.display_name for user in self.directory()}
        me = str(self.user.get("id") or "")
        exported_by = (staff.get(me) or str(self.user.get("display_name") or "")
                       or str(self.settings.email or ""))
        practice = await self._practice_name()
        forms = await self._form_files(conversation_id)
        result = await asyncio.to_thread(
            export_conversation, self.inbox, conversation_id, Path(folder), patient=patient,
            practice_name=practice, staff_names=staff, exported_by=exported_by, forms=forms)
        log.info("conversation %s exported to the patient record folder", conversation_id)
        return result.paths

    async def _form_files(self, conversation_id: str) -> list[Any]:
        """The sealed PDFs of the conversation's submitted forms, for the record folder
        (downloaded first when not cached; without them the export does not start)."""
        from app.record_export.service import FormFile, RecordExportError

        cache = await self._open_cache_db()
        rows = await cache.run(lambda conn: conn.execute(
            "SELECT details FROM inquiries WHERE conversation_id = ? AND type = 'form' "
            "ORDER BY created_at, id", (conversation_id,)).fetchall())
        forms: list[FormFile] = []
        for (raw,) in rows:
            try:
                details = json.loads(raw or "{}")
            except ValueError:
                continue
            attachment_id = details.get("attachment_id") if isinstance(details, dict) else None
            if not attachment_id:
                continue
            try:
                await self._attachment_meta(str(attachment_id))
            except AttachmentError:
                continue  # purged meanwhile: nothing left to copy
            try:
                _meta, data = await self._attachment_bytes(str(attachment_id))
            except (ApiError, AttachmentError) as exc:  # offline, or a damaged download
                raise RecordExportError("form_pdf_unavailable") from exc
            forms.append(FormFile(str(details.get("form_id") or "formular"),
                                  str(details.get("title") or ""), data))
        return forms

    async def _practice_name(self) -> str:
        """From /me (the login answer lacks it); an offline export goes without it."""
        practice = self.user.get("practice")
        if not isinstance(practice, dict) and self._state is ConnectionState.ONLINE:
            with contextlib.suppress(ApiError, TimeoutError):
                async with asyncio.timeout(5):
                    self.user = await self.api.me()
            practice = self.user.get("practice")
        return str(practice.get("name") or "") if isinstance(practice, dict) else ""

    # --- data rights and device management (admins) ------------------------------------------

    async def export_patient(self, patient_id: str, destination: str) -> str:
        """Saves everything the server holds about the patient (the Art. 15/20 ZIP) to
        ``destination`` (a file, or a folder to put ``patient-<id>.zip`` in). The file
        appears only when complete, readable by this user alone (0600). Admins only
        (Forbidden otherwise)."""
        target = Path(destination)
        if await asyncio.to_thread(target.is_dir):
            target = target / _safe_filename(f"patient-{patient_id}.zip")
        fd, temp_name = await asyncio.to_thread(tempfile.mkstemp, dir=target.parent,
                                                prefix=".praxisdesk-")
        temp = Path(temp_name)
        handle = os.fdopen(fd, "wb")  # mkstemp: 0600 from the start

        def sink(chunk: bytes, received: int, total: int | None) -> None:
            handle.write(chunk)

        try:
            await self.api.export_patient(patient_id, sink, max_bytes=EXPORT_MAX_BYTES,
                                          timeout=EXPORT_TIMEOUT_S)
            await asyncio.to_thread(_finish_file, handle)
            await asyncio.to_thread(os.replace, temp, target)
        except BaseException:
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)  # a half export must not stay behind
            raise
        return str(target)

    async def erase_patient(self, patient_id: str) -> dict[str, int]:
        """Erases the patient on the server (Art. 17); returns what was removed, per kind.
        The tombstones reach this cache (and every other client) with the next sync, which
        is started at once."""
        counts = await self.api.erase_patient(patient_id)
        self.request_sync()
        return counts

    async def list_practice_sessions(self) -> list[PracticeSession]:
        """Every live login of every user of the practice (admins)."""
        return [PracticeSession.from_wire(row)
                for row in await self.api.list_practice_sessions()]

    async def revoke_practice_session(self, session_id: str) -> None:
        """Ends any login of the practice; that device is refused at its next call."""
        await self.api.revoke_practice_session(session_id)

    # --- forms: the admin's side (Settings → Formulare) --------------------------------------
    # Online calls: an admin edits forms at the desk and wants the server's answer at once.
    # The cache learns of a change with the sync requested right after each write.

    async def list_forms(self) -> list[FormVersion]:
        """Every version of every form of the practice (active and archived), by title and
        newest version first. Any role may read them."""
        found: dict[str, FormVersion] = {}
        for status in FORM_STATUSES:
            for row in await self.api.list_forms(status):
                version = FormVersion.from_wire(row)
                found[version.id] = version
        return sorted(found.values(),
                      key=lambda v: (v.title.casefold(), v.form_id, -v.version))

    async def shipped_form_templates(self) -> list[ShippedTemplate]:
        """The German templates the product ships, to start a form from."""
        return [ShippedTemplate.from_wire(row) for row in await self.api.form_templates()]

    async def create_form(self, definition: FormDefinition) -> FormVersion:
        """A new form (version 1) of the practice (admins; ``form_exists`` if its id is
        taken, ``invalid_form`` if the server's library refuses it)."""
        created = FormVersion.from_wire(
            await self.api.create_form(definition_to_json(definition)))
        self.request_sync()
        return created

    async def new_form_version(self, definition_id: str,
                               definition: FormDefinition) -> FormVersion:
        """The next version of the form ``definition_id`` belongs to (admins). Definitions
        are never changed in place; the server archives the older active versions."""
        created = FormVersion.from_wire(
            await self.api.new_form_version(definition_id, definition_to_json(definition)))
        self.request_sync()
        return created

    async def set_form_status(self, definition_id: str, status: str) -> FormVersion:
        """Archive or re-activate one version (admins)."""
        if status not in FORM_STATUSES:
            raise ValueError(f"unknown form status {status!r}")
        changed = FormVersion.from_wire(await self.api.set_form_status(definition_id, status))
        self.request_sync()
        return changed


def _safe_filename(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.lstrip(".").strip()
    return name or "attachment"


def _write_atomically(target: Path, data: bytes, mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".praxisdesk-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _finish_file(handle: Any) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


def _device_name() -> str:
    return f"Praxisdesk on {socket.gethostname()}"


if TYPE_CHECKING:
    def _conforms(core: ClientCore, cache: InboxCache) -> tuple[InboxActions, InboxQueries]:
        """mypy checks here that the core and the cache keep the UI's interface."""
        return core, cache
