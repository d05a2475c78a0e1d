"""Server -> cache: pull change pages until caught up, one transaction per page.

:func:`apply_page` is the one way a page of changes (from ``GET /sync/changes`` or a websocket
``changes`` frame, see ``app.sync.live``) enters the cache: data, search index, derived
conversation columns and the cursor move together in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app.api.client import ApiClient
from app.api.errors import ProtocolError
from app.cache import calls as calls_store
from app.cache import inbox_store as inbox
from app.cache.database import CacheDB, optimize
from app.cache.purge import store_policy
from app.cache.search import word_batch
from app.cache.store import delete_user, get_cursor, set_cursor, upsert_user
from app.events import EventBus
from app.inbox.types import SyncProgress

log = logging.getLogger(__name__)

INITIAL_SYNC_DONE = "initial_sync_done"
OPTIMIZE_AFTER = 1000  # changes in one sync run after which planner statistics are refreshed


@dataclass
class ApplyContext:
    """What a page touched, for the events sent after its commit."""

    touched: set[str] = field(default_factory=set)  # conversation ids
    new_inquiries: int = 0  # inquiries with status "new" not seen before
    counts: Counter[str] = field(default_factory=Counter)
    # A retention_policy change or a patient/conversation delete: the cache purges right
    # after this page's commit (never inside the page's transaction).
    purge_needed: bool = False
    # A form definition came or went: the "send form" menus and the forms settings re-read.
    forms_changed: bool = False
    # Calls (issue 5) that came or went, and the urgent ones to alert for (urgent, analysed,
    # open, not alerted on this device before; none during the first full sync, whose calls
    # are old news that the queue shows in red anyway).
    calls: set[str] = field(default_factory=set)
    urgent_calls: list[str] = field(default_factory=list)
    initial: bool = False
    # Kinds this cache does not store (e.g. video appointments, fetched over REST): their
    # changes are announced as ``remote_changes`` so the UI can ask the server again.
    other_kinds: set[str] = field(default_factory=set)


Applier = Callable[[Any, str, str, dict[str, Any] | None, ApplyContext], None]
AfterPage = Callable[[ApplyContext], Awaitable[None]]


def _apply_user(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        delete_user(conn, object_id)
    else:
        upsert_user(conn, {**data, "id": object_id})


def _apply_patient(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                   ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_patient(conn, object_id, ctx.touched)
        ctx.purge_needed = True
    else:
        inbox.upsert_patient(conn, {**data, "id": object_id}, ctx.touched)


def _apply_conversation(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                        ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_conversation(conn, object_id, ctx.touched)
        ctx.purge_needed = True
    else:
        inbox.upsert_conversation(conn, {**data, "id": object_id}, ctx.touched)


def _apply_message(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                   ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_message(conn, object_id, ctx.touched)
    else:
        inbox.upsert_message(conn, {**data, "id": object_id}, ctx.touched)


def _apply_inquiry(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                   ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_inquiry(conn, object_id, ctx.touched)
    elif inbox.upsert_inquiry(conn, {**data, "id": object_id}, ctx.touched) and \
            data.get("status", "new") == "new":
        ctx.new_inquiries += 1


def _apply_note(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_note(conn, object_id, ctx.touched)
    else:
        inbox.upsert_note(conn, {**data, "id": object_id}, ctx.touched)


def _apply_template(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                    ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_template(conn, object_id)
    else:
        inbox.upsert_template(conn, {**data, "id": object_id})


def _apply_form_definition(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                           ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_form_definition(conn, object_id)
    else:
        inbox.upsert_form_definition(conn, {**data, "id": object_id})
    ctx.forms_changed = True


def _apply_form_request(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                        ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        inbox.delete_form_request(conn, object_id, ctx.touched)
    else:
        inbox.upsert_form_request(conn, {**data, "id": object_id}, ctx.touched)


def _apply_call(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                ctx: ApplyContext) -> None:
    if op == "delete" or data is None:
        calls_store.delete_call(conn, object_id)
    elif calls_store.upsert_call(conn, {**data, "id": object_id}) and not ctx.initial:
        ctx.urgent_calls.append(object_id)
    ctx.calls.add(object_id)


def _apply_retention_policy(conn: Any, op: str, object_id: str, data: dict[str, Any] | None,
                            ctx: ApplyContext) -> None:
    # A deleted policy row (not expected) leaves the last known periods in place.
    if op != "delete" and data is not None:
        store_policy(conn, data)
    # Also a change of last_purge_at only: the server purged, the cache follows at once.
    ctx.purge_needed = True


APPLIERS: dict[str, Applier] = {
    "user": _apply_user,
    "patient": _apply_patient,
    "conversation": _apply_conversation,
    "message": _apply_message,
    "inquiry": _apply_inquiry,
    "note": _apply_note,
    "template": _apply_template,
    "form_definition": _apply_form_definition,
    "form_request": _apply_form_request,
    "call": _apply_call,
    "retention_policy": _apply_retention_policy,
}


def apply_changes(conn: Any, changes: list[Any], ctx: ApplyContext) -> int:
    """Apply change objects inside the caller's transaction; returns how many were known."""
    count = 0
    # Each conversation's search document is written once per page, not once per message.
    with word_batch(conn):
        for change in changes:
            kind = str(change.get("kind"))
            applier = APPLIERS.get(kind)
            if applier is None:
                ctx.other_kinds.add(kind)
                continue  # a newer server may know kinds this client does not
            data = change.get("data")
            applier(conn, str(change["op"]), str(change["id"]),
                    data if isinstance(data, dict) else None, ctx)
            ctx.counts[kind] += 1
            count += 1
    # Derived columns once per conversation and page, after all of its rows are in.
    for conversation_id in ctx.touched:
        inbox.refresh_conversation(conn, conversation_id)
    return count


def is_initial(conn: Any) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (INITIAL_SYNC_DONE,)).fetchone() \
        is None


def apply_page(conn: Any, changes: list[Any], new_cursor: str, ctx: ApplyContext, *,
               finished: bool) -> tuple[int, bool]:
    """One page inside the caller's transaction (``CacheDB.run``), with its cursor.
    Returns (applied, initial): ``initial`` says whether the page belonged to the first full
    sync of this cache."""
    initial = is_initial(conn)
    ctx.initial = initial
    count = apply_changes(conn, changes, ctx)
    # The cursor moves in the same transaction as the data it covers.
    set_cursor(conn, new_cursor)
    if finished and initial:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')",
                     (INITIAL_SYNC_DONE,))
    return count, initial


def announce(events: EventBus | None, ctx: ApplyContext, initial: bool) -> None:
    if events is None:
        return
    if ctx.touched:
        events.emit("inbox_changed", sorted(ctx.touched))
    if ctx.new_inquiries and not initial:
        events.emit("new_inquiry", ctx.new_inquiries)
    if ctx.forms_changed:
        events.emit("forms_changed")
    if ctx.calls:
        events.emit("calls_changed", sorted(ctx.calls))
    if ctx.urgent_calls:
        events.emit("urgent_call", list(ctx.urgent_calls))
    if ctx.other_kinds:
        events.emit("remote_changes", sorted(ctx.other_kinds))


@dataclass(frozen=True)
class SyncResult:
    applied: int
    pages: int
    cursor: str
    counts: dict[str, int] = field(default_factory=dict)


class SyncEngine:
    def __init__(self, api: ApiClient, cache: CacheDB, *, page_size: int = 500,
                 events: EventBus | None = None, after_page: AfterPage | None = None) -> None:
        self.api = api
        self.cache = cache
        self.page_size = page_size
        self.events = events
        # Awaited after each committed page (the client's retention purge hooks in here).
        self.after_page = after_page

    async def sync_once(self) -> SyncResult:
        cursor = await self.cache.run(get_cursor)
        applied = pages = received = 0
        counts: Counter[str] = Counter()
        # The next page is fetched while this one is applied (the server's work and the
        # cache's overlap); it is only applied after this one, so the cursor order holds.
        fetching: asyncio.Task[Any] | None = asyncio.ensure_future(
            self.api.sync_changes(cursor, limit=self.page_size))
        try:
            while fetching is not None:
                page = await fetching
                fetching = None
                changes = page.get("changes")
                if not isinstance(changes, list):
                    raise ProtocolError("malformed sync answer")
                new_cursor = str(page["cursor"])
                has_more = bool(page.get("has_more"))
                if has_more:
                    fetching = asyncio.ensure_future(
                        self.api.sync_changes(new_cursor, limit=self.page_size))

                ctx = ApplyContext()

                def apply(conn: Any, changes: list[Any] = changes, new_cursor: str = new_cursor,
                          ctx: ApplyContext = ctx,
                          finished: bool = not has_more) -> tuple[int, bool]:
                    return apply_page(conn, changes, new_cursor, ctx, finished=finished)

                count, initial = await self.cache.run(apply)
                applied += count
                received += len(changes)
                counts.update(ctx.counts)
                pages += 1
                cursor = new_cursor
                announce(self.events, ctx, initial)
                if self.after_page is not None:
                    await self.after_page(ctx)
                if initial and self.events is not None:
                    remaining = page.get("remaining")
                    total = received + int(remaining) if isinstance(remaining, int) else 0
                    self.events.emit("sync_progress", SyncProgress(
                        done=received, total=total, finished=not has_more))
        finally:
            if fetching is not None:  # this page failed or we were cancelled
                fetching.cancel()
                await asyncio.gather(fetching, return_exceptions=True)
        if applied >= OPTIMIZE_AFTER:
            await self.cache.run(optimize)
        log.info("sync done: %d changes in %d pages", applied, pages)
        return SyncResult(applied, pages, cursor, dict(counts))
