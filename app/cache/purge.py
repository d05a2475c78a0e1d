"""Retention in the local cache: the server's rule, applied to what this device holds.

``cutoff = now - content_days`` (the practice's synced ``retention_policy``; 105 until it is
known). Expired: messages created before the cutoff with their attachments and cached
attachment bytes, inquiries and notes created before it, outbox items queued before it, and
every conversation whose last activity is before it (whole). Conversations that lost some
content get their search words and summary columns rebuilt.

The work is split into transactions of at most :data:`CHUNK_ROWS` rows on the cache thread,
so the event loop (and a UI reading through its own WAL connection) never waits long; the
freed pages then go back to the file system (``incremental_vacuum``; ``secure_delete`` has
already overwritten them).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.cache.calls import purge_calls
from app.cache.database import CacheDB
from app.cache.inbox_store import delete_conversation, refresh_conversation
from app.cache.search import mark_stale, prune_terms, stale_conversations

log = logging.getLogger(__name__)

MAX_CONTENT_DAYS = 105
MAX_VIDEO_DAYS = 90
CONTENT_DAYS_KEY = "retention_content_days"
VIDEO_DAYS_KEY = "retention_video_days"
CHUNK_ROWS = 2000  # rows deleted (or terms checked) per transaction: the contract's bound
BLOB_CHUNK = 16  # cached attachment bytes are up to 20 MB each; secure_delete overwrites them
CONVERSATION_CHUNK = 50  # whole conversations (their rows are mostly gone already)
REFRESH_CHUNK = 100  # conversations whose words and summary are rebuilt per transaction
VACUUM_PAGES = 500  # pages handed back per transaction
# The contract's keys (the client holds no links, idempotency keys or video metadata: always
# 0 here) and the cached attachment bytes.
KINDS = ("message", "attachment", "inquiry", "note", "patient_link", "conversation",
         "idempotency_key", "video", "attachment_blob", "form_request", "call")


# --- the periods, as synced ------------------------------------------------------------------

def store_policy(conn: Any, data: dict[str, Any]) -> None:
    """The ``retention_policy`` applier's write: the practice's periods, clamped to the
    contract's ceilings (a longer period from a misconfigured server is never honoured)."""
    for key, name, ceiling in ((CONTENT_DAYS_KEY, "content_days", MAX_CONTENT_DAYS),
                               (VIDEO_DAYS_KEY, "video_days", MAX_VIDEO_DAYS)):
        try:
            days = int(data.get(name) or ceiling)
        except (TypeError, ValueError):
            days = ceiling
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                     "SET value = excluded.value", (key, str(min(max(days, 1), ceiling))))


def _days(conn: Any, key: str, ceiling: int) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    try:
        return min(max(int(row[0]), 1), ceiling) if row else ceiling
    except ValueError:
        return ceiling


def content_days(conn: Any) -> int:
    return _days(conn, CONTENT_DAYS_KEY, MAX_CONTENT_DAYS)


def video_days(conn: Any) -> int:
    return _days(conn, VIDEO_DAYS_KEY, MAX_VIDEO_DAYS)


def iso(moment: datetime) -> str:
    """The cache's fixed-width UTC form (``inbox_store.norm_time``): text order is time
    order, so cutoffs compare as strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def expires_at(last_activity_at: str | None, days: int) -> str | None:
    """When the purge removes a conversation with this last activity."""
    if not last_activity_at:
        return None
    try:
        last = datetime.fromisoformat(last_activity_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return iso(last + timedelta(days=days))


# --- the steps (each one transaction) ------------------------------------------------------------

@dataclass
class PurgeReport:
    counts: dict[str, int]
    touched: set[str] = field(default_factory=set)  # conversations that lost content or went


def _in(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


def _purge_blobs(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
    ids = [r[0] for r in conn.execute(
        # From the (few) cached blobs to their messages: the other way round would walk
        # every expired message again on each round.
        "SELECT b.attachment_id FROM attachment_blobs b CROSS JOIN attachments a "
        "CROSS JOIN messages m WHERE a.id = b.attachment_id AND m.id = a.message_id "
        "AND m.created_at < ? LIMIT ?",
        (cutoff, BLOB_CHUNK))]
    if ids:
        counts["attachment_blob"] += conn.execute(
            f"DELETE FROM attachment_blobs WHERE attachment_id IN ({_in(ids)})",  # noqa: S608
            ids).rowcount
    return len(ids)


def _purge_messages(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
    rows = conn.execute("SELECT id, conversation_id FROM messages WHERE created_at < ? "
                        "LIMIT ?", (cutoff, CHUNK_ROWS)).fetchall()
    for start in range(0, len(rows), 500):
        ids = [r[0] for r in rows[start:start + 500]]
        marks = _in(ids)
        counts["attachment_blob"] += conn.execute(
            "DELETE FROM attachment_blobs WHERE attachment_id IN "  # noqa: S608
            f"(SELECT id FROM attachments WHERE message_id IN ({marks}))", ids).rowcount
        counts["attachment"] += conn.execute(
            f"DELETE FROM attachments WHERE message_id IN ({marks})", ids).rowcount  # noqa: S608
        counts["message"] += conn.execute(
            f"DELETE FROM messages WHERE id IN ({marks})", ids).rowcount  # noqa: S608
    _mark(conn, {r[1] for r in rows}, touched)
    return len(rows)


def _purge_rows(table: str, kind: str) -> Callable[[Any, str, Counter[str], set[str]], int]:
    def step(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
        rows = conn.execute(f"SELECT id, conversation_id FROM {table} "  # noqa: S608
                            "WHERE created_at < ? LIMIT ?", (cutoff, CHUNK_ROWS)).fetchall()
        for start in range(0, len(rows), 500):
            ids = [r[0] for r in rows[start:start + 500]]
            counts[kind] += conn.execute(
                f"DELETE FROM {table} WHERE id IN ({_in(ids)})", ids).rowcount  # noqa: S608
        _mark(conn, {r[1] for r in rows}, touched)
        return len(rows)

    return step


def _purge_form_requests(conn: Any, cutoff: str, counts: Counter[str],
                         touched: set[str]) -> int:
    """Sent forms whose last change is before the cutoff: the server's rule for them
    (their draft is content), so this cache never keeps a request the server purged.
    Requests of purged conversations go with the conversation (delete_conversation)."""
    rows = conn.execute("SELECT id, conversation_id FROM form_requests WHERE updated_at < ? "
                        "LIMIT ?", (cutoff, CHUNK_ROWS)).fetchall()
    for start in range(0, len(rows), 500):
        ids = [r[0] for r in rows[start:start + 500]]
        counts["form_request"] += conn.execute(
            f"DELETE FROM form_requests WHERE id IN ({_in(ids)})", ids).rowcount  # noqa: S608
    touched.update(r[1] for r in rows)
    return len(rows)


def _purge_outbox(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
    """Items queued before the cutoff (text and file bytes the server never got): content
    like any other; the sender's copy is not kept longer than the practice's."""
    ids = [r[0] for r in conn.execute("SELECT seq FROM outbox WHERE created_at < ? LIMIT ?",
                                      (cutoff, CHUNK_ROWS))]
    if ids:
        conn.execute(f"DELETE FROM outbox WHERE seq IN ({_in(ids)})", ids)  # noqa: S608
    return len(ids)


def _purge_conversations(conn: Any, cutoff: str, counts: Counter[str],
                         touched: set[str]) -> int:
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM conversations WHERE last_activity_at < ? LIMIT ?",
        (cutoff, CONVERSATION_CHUNK))]
    for cid in ids:
        counts.update(delete_conversation(conn, cid, touched))
    return len(ids)


def _refresh(conn: Any, cutoff: str, counts: Counter[str], touched: set[str]) -> int:
    ids = stale_conversations(conn, REFRESH_CHUNK)
    for cid in ids:
        # The server's preview may quote a purged message: once no message is left here,
        # drop it (the next sync brings the server's own, recomputed one).
        conn.execute("UPDATE conversations SET server_preview = NULL WHERE id = ? AND NOT "
                     "EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?)", (cid, cid))
        refresh_conversation(conn, cid)
    return len(ids)


def _mark(conn: Any, conversation_ids: set[str], touched: set[str]) -> None:
    for cid in conversation_ids:
        mark_stale(conn, cid)
    touched.update(conversation_ids)


Step = Callable[[Any, str, Counter[str], set[str]], int]
# Content first (by creation time, in chunks, wherever it is), then whole conversations
# (little is left in them by then), then the rebuilds of what was touched.
STEPS: tuple[Step, ...] = (
    _purge_blobs, _purge_messages, _purge_rows("inquiries", "inquiry"),
    _purge_rows("notes", "note"), _purge_form_requests, _purge_outbox, purge_calls,
    _purge_conversations, _refresh,
)


def _bound(step: Step, cutoff: str, counts: Counter[str],
           touched: set[str]) -> Callable[[Any], int]:
    def run(conn: Any) -> int:
        return step(conn, cutoff, counts, touched)

    return run


# --- the whole purge ----------------------------------------------------------------------------

async def purge(db: CacheDB, now: datetime | None = None) -> PurgeReport:
    """Apply the retention rule to the cache. Safe to interrupt: every step is its own
    transaction and the next purge continues where this one stopped (stale search words
    stay marked until rebuilt)."""
    now = now or datetime.now(UTC)
    days = await db.run(content_days)
    cutoff = iso(now - timedelta(days=days))
    counts: Counter[str] = Counter({kind: 0 for kind in KINDS})
    touched: set[str] = set()
    for step in STEPS:
        while await db.run(_bound(step, cutoff, counts, touched)):
            pass  # one bounded transaction per round; the event loop runs in between
    if any(counts.values()):
        after: str | None = ""
        while after is not None:
            _removed, after = await db.run(
                functools.partial(prune_terms, after=after, limit=CHUNK_ROWS))
        await vacuum(db)
    log.info("cache purge: %s", {k: v for k, v in counts.items() if v})
    return PurgeReport(dict(counts), touched)


async def vacuum(db: CacheDB) -> int:
    """Hand free pages back to the file system, a bounded number per transaction."""
    freed = 0
    for _ in range(1_000_000):  # bounded: each round frees up to VACUUM_PAGES pages
        def step(conn: Any) -> int:
            before = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
            if before:
                # The pragma frees one page per result row: read them all.
                conn.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES})").fetchall()
            return before - int(conn.execute("PRAGMA freelist_count").fetchone()[0])

        done = await db.run(step)
        freed += done
        if done <= 0:
            break
    return freed
