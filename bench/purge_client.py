"""The client's retention purge on a large encrypted cache, under a running Qt event loop.

Builds a SQLCipher cache with ``n`` expired messages (in conversations of 100, with their
search words, a few cached attachment blobs, and one active conversation in ten that keeps a
recent message), then runs ``app.cache.purge.purge`` while a QTimer ticks every 10 ms on the
GUI loop (qasync) and records the largest gap between ticks: what a user would feel as a
frozen window. Target: max stall < 100 ms.

Run: ``python -m bench.purge_client [--n N]`` (default 1,000,000). The last line is the JSON
summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.cache.database import open_cache, open_cache_sync
from app.cache.purge import PurgeReport, purge
from app.cache.search import fold

TARGETS = {"max_stall_ms": 100.0}
PER_CONVERSATION = 100
PROBE_MS = 10
WORDS = ("Guten Tag ich brauche bitte eine Überweisung Rezept Ramipril Blutdruck Termin "
         "Krankschreibung Fieber Husten Laborwerte Befund Impfung Allergie Schilddrüse "
         "Röntgen Zahnschmerzen Übelkeit Schwindel Kopfschmerzen Dank Grüße").split()
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_cache(path: Path, key: bytes, n: int) -> dict[str, Any]:
    """``n`` messages created 200+ days before NOW; every tenth conversation also has one
    message from yesterday (it must survive, with its words rebuilt)."""
    started = time.perf_counter()
    db = open_cache_sync(path, key)
    conn = db._conn
    conn.execute("PRAGMA synchronous = OFF")
    conversations = max(1, -(-n // PER_CONVERSATION))
    old = NOW - timedelta(days=200)
    recent = _ts(NOW - timedelta(days=1))
    folded = {w: fold(w) for w in WORDS}
    vocabulary: set[str] = set()
    messages: list[tuple[Any, ...]] = []
    rest: list[list[tuple[Any, ...]]] = [[] for _ in range(6)]
    conn.execute("BEGIN")
    made = 0

    def flush() -> None:
        conn.executemany("INSERT INTO messages (id, conversation_id, author, text, created_at,"
                         " has_attachments) VALUES (?,?,?,?,?,?)", messages)
        conn.executemany("INSERT INTO conversation_nums (num, id) VALUES (?,?)", rest[0])
        conn.executemany("INSERT INTO conversations (id, num, patient_id, patient_name, "
                         "created_at, last_activity_at, preview) VALUES (?,?,?,?,?,?,?)",
                         rest[1])
        conn.executemany("INSERT INTO conversation_words (num, words) VALUES (?,?)", rest[2])
        conn.executemany("INSERT INTO search_fts (rowid, body) VALUES (?,?)", rest[2])
        conn.executemany("INSERT INTO attachments (id, message_id, conversation_id, filename,"
                         " content_type, size, sha256) VALUES (?,?,?,?,?,?,?)", rest[3])
        conn.executemany("INSERT INTO attachment_blobs (attachment_id, data, stored_at) "
                         "VALUES (?,?,?)", rest[4])
        messages.clear()
        for batch in rest:
            batch.clear()

    for c in range(conversations):
        cid = str(uuid.uuid4())
        num = c + 1
        count = min(PER_CONVERSATION, n - made)
        words = {f"patient{c}", "nachname"}
        last = old
        for m in range(count):
            last = old + timedelta(minutes=m)
            text_words = [WORDS[(c + m * 7 + k) % len(WORDS)] for k in range(8)]
            words.update(folded[w] for w in text_words)
            mid = str(uuid.uuid4())
            with_file = (made + m) % 1000 == 0
            messages.append((mid, cid, "patient", " ".join(text_words), _ts(last),
                             1 if with_file else 0))
            if with_file:
                aid = str(uuid.uuid4())
                rest[3].append((aid, mid, cid, "befund.pdf", "application/pdf", 1024, "0"))
                rest[4].append((aid, os.urandom(1024), _ts(last)))
        made += count
        activity = _ts(last)
        if c % 10 == 0:
            messages.append((str(uuid.uuid4()), cid, "staff", "Termin bestätigt", recent, 0))
            words.update(("termin", "bestatigt"))
            activity = recent
        rest[0].append((num, cid))
        rest[1].append((cid, num, str(uuid.uuid4()), f"Patient{c} Nachname", _ts(old),
                        activity, ""))
        body = " ".join(sorted(words))
        rest[2].append((num, body))
        vocabulary.update(words)
        if len(messages) >= 50_000:
            flush()
    flush()
    conn.executemany("INSERT INTO search_terms (term) VALUES (?)", [(w,) for w in vocabulary])
    conn.execute("COMMIT")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"messages": made, "conversations": conversations,
            "build_s": round(time.perf_counter() - started, 1),
            "size_mb_before": round(path.stat().st_size / 2**20, 1)}


async def _purge_with_probe(path: Path, key: bytes) -> tuple[PurgeReport, float, float]:
    from ui.qt import QTimer

    db = await open_cache(path, key)
    gaps: list[float] = []
    last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append((now - last) * 1000)
        last = now

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    try:
        report = await purge(db, NOW)
        seconds = time.perf_counter() - started
    finally:
        timer.stop()
        await db.aclose()
    return report, seconds, max(gaps, default=0.0)


def _check(path: Path, key: bytes, conversations: int) -> dict[str, int]:
    db = open_cache_sync(path, key)
    conn = db._conn
    left = {table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
            for table in ("messages", "conversations", "attachments", "attachment_blobs")}
    left["stale"] = int(conn.execute(
        "SELECT count(*) FROM conversation_words WHERE stale = 1").fetchone()[0])
    left["found_old_word"] = int(conn.execute(
        "SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"zahnschmerzen\"'").fetchone()[0])
    left["expected_active"] = -(-conversations // 10)
    db.close()
    return left


def run(n: int, cache_dir: Path | None = None) -> dict[str, Any]:
    import qasync

    from ui.qt import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="praxisdesk-bench-purge-") as tmp:
        folder = cache_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path, key = folder / "cache.db", os.urandom(32)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        built = build_cache(path, key, n)
        print(f"built {built['messages']} expired messages in {built['conversations']} "
              f"conversations in {built['build_s']} s ({built['size_mb_before']} MB)")
        report, seconds, stall = asyncio.run(_purge_with_probe(path, key),
                                             loop_factory=qasync.QEventLoop)
        left = _check(path, key, built["conversations"])
        size_after = round(path.stat().st_size / 2**20, 1)
    del app
    figures: dict[str, Any] = {
        **built, "seconds": round(seconds, 2), "max_stall_ms": round(stall, 1),
        "purged_messages": report.counts["message"],
        "purged_conversations": report.counts["conversation"],
        "purged_attachment_blobs": report.counts["attachment_blob"],
        "messages_left": left["messages"], "conversations_left": left["conversations"],
        "expected_active": left["expected_active"], "stale_left": left["stale"],
        "old_word_found": left["found_old_word"], "attachments_left": left["attachments"],
        "blobs_left": left["attachment_blobs"], "size_mb_after": size_after,
    }
    print(f"purged {figures['purged_messages']} messages in {figures['seconds']} s; "
          f"largest GUI loop gap {figures['max_stall_ms']} ms; "
          f"file {built['size_mb_before']} -> {size_after} MB")
    return figures


def summary(figures: dict[str, Any]) -> str:
    met = figures["max_stall_ms"] < TARGETS["max_stall_ms"]
    return json.dumps({"bench": "purge_client", "figures": figures,
                       "targets": {k: f"< {v:g}" for k, v in TARGETS.items()}, "met": met})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="expired messages")
    args = parser.parse_args()
    figures = run(args.n)
    print(summary(figures))
    return 0 if figures["max_stall_ms"] < TARGETS["max_stall_ms"] else 1


if __name__ == "__main__":
    sys.exit(main())
