"""Cache -> server: writes wait in the ``outbox`` table and are delivered in order.

The item's id is its Idempotency-Key, so a retry after a lost answer (or a crash between the
server's commit and ours) creates nothing twice. Items survive restarts: they live in the
encrypted cache, including an attachment's bytes. Transient failures (server unreachable,
5xx, 429) are retried with backoff; a permanent refusal (other 4xx) marks the item failed
with the server's reason, and the queue moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from app.api.client import ApiClient
from app.api.errors import (
    ApiError,
    NotAuthenticated,
    RateLimited,
    RefreshTokenInvalid,
    SessionRevoked,
)
from app.cache import calls as calls_store
from app.cache import inbox_store
from app.cache.database import CacheDB
from app.events import EventBus
from app.inbox.types import OutboxState

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 60.0
# Not the item's fault: try again later.
_TRANSIENT_STATUS = {408, 425, 429}


def enqueue(conn: Any, kind: str, *, conversation_id: str | None = None,
            target_id: str | None = None, payload: dict[str, Any] | None = None,
            file_name: str | None = None, file_data: bytes | None = None) -> str:
    outbox_id = str(uuid.uuid4())
    now = inbox_store.now_iso()
    conn.execute(
        "INSERT INTO outbox (id, kind, conversation_id, target_id, payload, file_name, "
        "file_data, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (outbox_id, kind, conversation_id, target_id,
         json.dumps(payload or {}, ensure_ascii=False), file_name, file_data,
         OutboxState.PENDING.value, now, now))
    return outbox_id


@dataclass(frozen=True)
class _Item:
    seq: int
    id: str
    kind: str
    conversation_id: str | None
    target_id: str | None
    payload: dict[str, Any]
    file_name: str | None
    file_data: bytes | None


def is_permanent(exc: ApiError) -> bool:
    if isinstance(exc, NotAuthenticated | RefreshTokenInvalid | SessionRevoked | RateLimited):
        return False
    return exc.status is not None and 400 <= exc.status < 500 \
        and exc.status not in _TRANSIENT_STATUS


def readable_reason(exc: ApiError) -> str:
    detail = (exc.detail or "").strip()
    return detail or f"The server refused this ({exc.code})."


class OutboxWorker:
    """Delivers pending items one by one, oldest first, while the server answers."""

    def __init__(self, api: ApiClient, cache: CacheDB, events: EventBus) -> None:
        self.api = api
        self.cache = cache
        self.events = events
        self._wake = asyncio.Event()
        self.backoff = 1.0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            delay: float | None = None
            try:
                await self.deliver_pending()
                self.backoff = 1.0
            except ApiError as exc:
                log.info("outbox: delivery postponed (%s); retry in %.0f s", exc.code,
                         self.backoff)
                delay, self.backoff = self.backoff, min(self.backoff * 2, MAX_BACKOFF_S)
            if delay is None:
                await self._wake.wait()
            else:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()

    async def deliver_pending(self) -> int:
        """Deliver until the queue is empty; raises the transient error that stopped it."""
        delivered = 0
        while True:
            item = await self.cache.run(_next_pending)
            if item is None:
                return delivered
            try:
                result = await self._send(item)
            except ApiError as exc:
                if not is_permanent(exc):
                    await self.cache.run(functools.partial(_bump_attempts, outbox_id=item.id))
                    raise
                log.warning("outbox item %s refused permanently (%s)", item.id, exc.code)
                await self.cache.run(functools.partial(_mark_failed, outbox_id=item.id, exc=exc))
                self.events.emit("outbox_changed", item.conversation_id or "")
                if item.kind == "call_update" and item.target_id:
                    await self._restore_call(item.target_id)
                continue
            touched: set[str] = set()
            await self.cache.run(functools.partial(_mark_sent, item=item, result=result,
                                                   touched=touched))
            delivered += 1
            self.events.emit("outbox_changed", item.conversation_id or "")
            if touched:
                self.events.emit("inbox_changed", sorted(touched))
            if item.kind == "call_update" and item.target_id:
                self.events.emit("calls_changed", [item.target_id])

    async def _restore_call(self, call_id: str) -> None:
        """A refused call edit was shown at once: put the server's state back (or drop the
        call when the server no longer has it), so the queue does not show a change that
        never happened."""
        try:
            current = await self.api.request("GET", f"/calls/{call_id}")
        except ApiError as exc:
            if exc.status != 404:
                return  # the next change of the call brings its state
            await self.cache.run(lambda conn: calls_store.delete_call(conn, call_id))
        else:
            if isinstance(current, dict):
                await self.cache.run(lambda conn: calls_store.upsert_call(conn, current))
        self.events.emit("calls_changed", [call_id])

    async def _send(self, item: _Item) -> Any:
        key = {"Idempotency-Key": item.id}
        cid = item.conversation_id
        if item.kind == "message":
            text = str(item.payload.get("text") or "")
            if item.file_data is not None:
                return await self.api.request(
                    "POST", f"/conversations/{cid}/messages/upload", headers=key,
                    files={"file": (item.file_name or "file", item.file_data)},
                    data={"text": text} if text else None)
            return await self.api.request("POST", f"/conversations/{cid}/messages",
                                          json={"text": text}, headers=key)
        if item.kind == "note":
            return await self.api.request("POST", f"/conversations/{cid}/notes",
                                          json=item.payload, headers=key)
        if item.kind == "inquiry_update":
            return await self.api.request("PATCH", f"/inquiries/{item.target_id}",
                                          json=item.payload, headers=key)
        if item.kind == "mark_read":
            return await self.api.request("POST", f"/conversations/{cid}/read", headers=key)
        if item.kind == "call_update":
            return await self.api.request("PATCH", f"/calls/{item.target_id}",
                                          json=item.payload, headers=key)
        raise ValueError(f"unknown outbox kind {item.kind!r}")


def retry(conn: Any, outbox_id: str) -> str | None:
    """A failed item goes back to the queue (same key). Returns its conversation id."""
    row = conn.execute("SELECT conversation_id FROM outbox WHERE id = ? AND state = ?",
                       (outbox_id, OutboxState.FAILED.value)).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE outbox SET state = ?, error = NULL, error_code = NULL, seq = "
                 "(SELECT max(seq) + 1 FROM outbox), updated_at = ? WHERE id = ?",
                 (OutboxState.PENDING.value, inbox_store.now_iso(), outbox_id))
    return str(row[0] or "")


def discard(conn: Any, outbox_id: str) -> str | None:
    """Drop a failed item. Returns its conversation id."""
    row = conn.execute("SELECT conversation_id FROM outbox WHERE id = ? AND state = ?",
                       (outbox_id, OutboxState.FAILED.value)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))
    return str(row[0] or "")


def _next_pending(conn: Any) -> _Item | None:
    r = conn.execute(
        "SELECT seq, id, kind, conversation_id, target_id, payload, file_name, file_data "
        "FROM outbox WHERE state = ? ORDER BY seq LIMIT 1",
        (OutboxState.PENDING.value,)).fetchone()
    if r is None:
        return None
    return _Item(int(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5] or "{}"), r[6],
                 bytes(r[7]) if r[7] is not None else None)


def _bump_attempts(conn: Any, outbox_id: str) -> None:
    conn.execute("UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?",
                 (inbox_store.now_iso(), outbox_id))


def _mark_failed(conn: Any, outbox_id: str, exc: ApiError) -> None:
    conn.execute(
        "UPDATE outbox SET state = ?, error = ?, error_code = ?, attempts = attempts + 1, "
        "updated_at = ? WHERE id = ?",
        (OutboxState.FAILED.value, readable_reason(exc), exc.code, inbox_store.now_iso(),
         outbox_id))


def _mark_sent(conn: Any, item: _Item, result: Any, touched: set[str]) -> None:
    """The server's answer goes into the cache in the same transaction as the state change,
    so the thread shows the confirmed message in place of the pending one at once."""
    result_id = None
    if isinstance(result, dict) and result.get("id"):
        result_id = str(result["id"])
        if item.kind == "message":
            inbox_store.upsert_message(conn, result, touched)
        elif item.kind == "note":
            inbox_store.upsert_note(conn, result, touched)
        elif item.kind == "inquiry_update":
            inbox_store.upsert_inquiry(conn, result, touched)
        elif item.kind == "call_update":
            calls_store.upsert_call(conn, result)
        elif item.kind == "mark_read":
            conn.execute("UPDATE conversations SET unread_count = ? WHERE id = ?",
                         (int(result.get("unread_count") or 0), result_id))
            touched.add(result_id)
    for conversation_id in touched:
        inbox_store.refresh_conversation(conn, conversation_id)
    conn.execute(
        "UPDATE outbox SET state = ?, result_id = ?, error = NULL, error_code = NULL, "
        "file_data = NULL, attempts = attempts + 1, updated_at = ? WHERE id = ?",
        (OutboxState.SENT.value, result_id, inbox_store.now_iso(), item.id))
