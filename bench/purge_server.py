"""Server retention purge of N expired messages (default 1,000,000; target < 60 s).

A fresh data directory gets one practice with N messages older than 105 days, spread over
conversations of which half stay active (each has one fresh message, so it survives and its
summary is recomputed) and half expired whole; plus attachments (rows and blob files),
inquiries, notes, patient links, idempotency keys and the change-log rows every synced object
has. The fill goes straight into SQLite (fast, untimed); then ``run_purge`` is timed as the
server runs it (bounded batches, secure_delete, WAL truncate at the end).

Run: ``python -m bench.purge_server [--n N]``. The last line is the JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend_server import admin
from backend_server.clock import FrozenClock
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.retention.purge import PurgeReport, run_purge

TARGET_SECONDS = 60.0
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=200)  # well past 105 days
FILL_CHUNK = 20_000
TEXTS = (
    "Guten Tag, ich bräuchte bitte ein neues Rezept für Ramipril 5 mg, die Packung ist "
    "fast leer. Vielen Dank!",
    "Ihr Laborbefund liegt vor. Bitte vereinbaren Sie einen Termin zur Besprechung.",
    "Kann ich den Termin am Donnerstag auf nächste Woche verschieben? Ich bin krank.",
    "Die Überweisung zur Kardiologie liegt ab morgen an der Anmeldung für Sie bereit.",
)


def _ts(moment: datetime) -> str:
    """SQLAlchemy's SQLite storage format for UTCDateTime (naive UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def _chunks(rows: Iterator[tuple[object, ...]], size: int) -> Iterator[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _fill(db: Path, data_dir: Path, practice_id: str, n: int) -> dict[str, int]:
    """Bulk-inserts the practice's content; returns what was made."""
    conversations = max(4, n // 2000)
    attachments = max(2, n // 500)
    inquiries = max(2, n // 50)
    notes = max(2, n // 200)
    keys = max(2, n // 100)
    old, fresh = _ts(OLD), _ts(NOW - timedelta(days=1))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    try:
        with conn:
            patient_ids = _ids(conversations)
            conn.executemany(
                "INSERT INTO patients (id, practice_id, name, search_name, dob, email, phone,"
                " created_at, updated_at) VALUES (?,?,?,?,?,NULL,NULL,?,?)",
                [(p, practice_id, f"Patient {i}", f"patient {i}", "1970-01-01", old, old)
                 for i, p in enumerate(patient_ids)])
            conversation_ids = _ids(conversations)
            active = set(conversation_ids[: conversations // 2])
            conn.executemany(
                "INSERT INTO conversations (id, practice_id, patient_id, link_expires_at,"
                " unread_count, open_inquiries, patient_name, last_message_preview,"
                " created_at, updated_at, last_activity_at) VALUES (?,?,?,NULL,0,0,?,?,?,?,?)",
                [(c, practice_id, p, f"Patient {i}", TEXTS[0][:120], old, old,
                  fresh if c in active else old)
                 for i, (c, p) in enumerate(zip(conversation_ids, patient_ids, strict=True))])
            conn.executemany(
                "INSERT INTO patient_links (id, practice_id, conversation_id, token_hash,"
                " expires_at, revoked_at, created_at, reason) VALUES (?,?,?,?,?,NULL,?,?)",
                [(str(uuid.uuid4()), practice_id, c, uuid.uuid4().hex + uuid.uuid4().hex,
                  old, old, "issued") for c in conversation_ids])

            message_ids: list[str] = []

            def messages() -> Iterator[tuple[object, ...]]:
                for i in range(n):
                    mid = str(uuid.uuid4())
                    if len(message_ids) < attachments:
                        message_ids.append(mid)
                    yield (mid, practice_id, conversation_ids[i % conversations],
                           "patient" if i % 2 else "staff", TEXTS[i % len(TEXTS)],
                           str(uuid.uuid4()), "0" * 64, old, old)

            for chunk in _chunks(messages(), FILL_CHUNK):
                conn.executemany(
                    "INSERT INTO messages (id, practice_id, conversation_id, author,"
                    " author_user_id, text, idempotency_key, request_hash, created_at,"
                    " read_at) VALUES (?,?,?,?,NULL,?,?,?,?,?)", chunk)
                conn.executemany(
                    "INSERT INTO change_log (practice_id, kind, object_id, op)"
                    " VALUES (?,'message',?,'upsert')", [(practice_id, r[0]) for r in chunk])
            # One fresh message per active conversation: these stay.
            conn.executemany(
                "INSERT INTO messages (id, practice_id, conversation_id, author,"
                " author_user_id, text, idempotency_key, request_hash, created_at, read_at)"
                " VALUES (?,?,?,'staff',NULL,?,?,?,?,NULL)",
                [(str(uuid.uuid4()), practice_id, c, "Bis morgen!", str(uuid.uuid4()),
                  "0" * 64, fresh) for c in sorted(active)])

            blob_dir = data_dir / "blobs" / practice_id
            blob_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            attachment_rows = []
            for i, mid in enumerate(message_ids):
                aid = str(uuid.uuid4())
                (blob_dir / aid).write_bytes(os.urandom(256))
                attachment_rows.append((aid, practice_id, conversation_ids[i % conversations],
                                        mid, "befund.pdf", "application/pdf", 256, "0" * 64,
                                        os.urandom(40), os.urandom(8), old))
            conn.executemany(
                "INSERT INTO attachments (id, practice_id, conversation_id, message_id,"
                " filename, content_type, size, sha256, wrapped_key, nonce, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)", attachment_rows)
            inquiry_rows = [(str(uuid.uuid4()), practice_id, conversation_ids[i % conversations],
                             "prescription", '{"medications": ["Ramipril 5 mg"]}', TEXTS[0],
                             "done" if i % 3 else "new", str(uuid.uuid4()), "0" * 64, old, old)
                            for i in range(inquiries)]
            conn.executemany(
                "INSERT INTO inquiries (id, practice_id, conversation_id, type, details, text,"
                " status, assignee_user_id, idempotency_key, request_hash, created_at,"
                " updated_at) VALUES (?,?,?,?,?,?,?,NULL,?,?,?,?)", inquiry_rows)
            note_rows = [(str(uuid.uuid4()), practice_id, conversation_ids[i % conversations],
                          "Rückruf erledigt", str(uuid.uuid4()), "0" * 64, old)
                         for i in range(notes)]
            conn.executemany(
                "INSERT INTO notes (id, practice_id, conversation_id, inquiry_id,"
                " author_user_id, text, idempotency_key, request_hash, created_at)"
                " VALUES (?,?,?,NULL,NULL,?,?,?,?)", note_rows)
            conn.executemany(
                "INSERT INTO idempotency_keys (id, practice_id, kind, key, request_hash,"
                " object_id, created_at) VALUES (?,?,'inquiry.update',?,?,?,?)",
                [(str(uuid.uuid4()), practice_id, str(uuid.uuid4()), "0" * 64,
                  inquiry_rows[i % inquiries][0], old) for i in range(keys)])
            conn.executemany(
                "INSERT INTO change_log (practice_id, kind, object_id, op) VALUES (?,?,?,?)",
                [(practice_id, kind, row[0], "upsert")
                 for kind, rows in (("inquiry", inquiry_rows), ("note", note_rows))
                 for row in rows]
                + [(practice_id, "conversation", c, "upsert") for c in conversation_ids])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {"message": n, "attachment": attachments, "inquiry": inquiries, "note": notes,
            "patient_link": conversations, "conversation": conversations - len(active),
            "idempotency_key": keys, "active_conversations": len(active)}


async def _prepare(ctx: ServerContext) -> str:
    await ctx.db.prepare()
    return await admin.create_practice(ctx, "Bench-Praxis")


async def _purge(ctx: ServerContext) -> PurgeReport:
    try:
        return await run_purge(ctx, NOW)
    finally:
        await ctx.db.dispose()


def run(n: int, data_dir: Path | None = None) -> dict[str, object]:
    """Fills a fresh data dir with ``n`` expired messages (and the rest), times the purge;
    returns the figures (seconds, counts made, counts purged, rows left)."""
    with tempfile.TemporaryDirectory(prefix="pxd-purge-bench-") as tmp:
        root = data_dir or Path(tmp)
        settings = Settings(data_dir=root / "data")
        settings.ensure_data_dir()
        ctx = ServerContext.create(settings, FrozenClock(NOW))

        async def prepare() -> str:
            try:
                return await _prepare(ctx)
            finally:
                await ctx.db.dispose()

        practice_id = asyncio.run(prepare())
        fill_start = time.perf_counter()
        made = _fill(settings.sqlite_path, settings.data_dir, practice_id, n)
        fill_seconds = time.perf_counter() - fill_start

        ctx = ServerContext.create(settings, FrozenClock(NOW))
        start = time.perf_counter()
        report = asyncio.run(_purge(ctx))
        seconds = time.perf_counter() - start

        conn = sqlite3.connect(settings.sqlite_path)
        try:
            left = {table: int(conn.execute(
                        f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names
                    for table in ("messages", "attachments", "inquiries", "notes",
                                  "patient_links", "conversations", "idempotency_keys")}
            left["change_log_of_messages"] = int(conn.execute(
                "SELECT count(*) FROM change_log WHERE kind = 'message'").fetchone()[0])
        finally:
            conn.close()
        blobs_left = sum(1 for p in (settings.data_dir / "blobs").rglob("*") if p.is_file())
        return {"n": n, "seconds": round(seconds, 3), "fill_seconds": round(fill_seconds, 3),
                "rows_per_second": round(report.counts["message"] / seconds) if seconds else 0,
                "made": made, "purged": report.counts, "left": left, "blobs_left": blobs_left}


def summary(figures: dict[str, object]) -> str:
    seconds = figures["seconds"]
    assert isinstance(seconds, float | int)
    return json.dumps({"bench": "purge_server",
                       "figures": {"server_purge_seconds": seconds, "n": figures["n"],
                                   "purged": figures["purged"]},
                       "targets": {"server_purge_seconds": f"< {TARGET_SECONDS:g}"},
                       "met": seconds < TARGET_SECONDS})


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.purge_server",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="expired messages")
    args = parser.parse_args()
    figures = run(args.n)
    print(f"filled {figures['n']} expired messages in {figures['fill_seconds']} s")
    print(f"server purge: {figures['seconds']} s ({figures['rows_per_second']} messages/s)")
    print(f"purged: {figures['purged']}")
    print(f"left: {figures['left']}, blob files left: {figures['blobs_left']}")
    print(summary(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
