"""Inbox reads on a large encrypted cache.

Builds a SQLCipher cache with 50,000 conversations and 500,000 messages (plus inquiries,
German texts, the search index), then measures what the GUI thread does:

- first page of the inbox: ids + rows (target < 100 ms)
- full-text search with German folding, p95 over 200 queries (target < 30 ms)
- first page (100 items) of a 2,000-message conversation (target < 50 ms)

Run: ``python -m bench.inbox_cache [--conversations N] [--messages N]``. ``build_cache`` and
``measure`` are reused by ``bench.inbox``. The last line is the JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.cache.database import open_cache_sync, optimize
from app.cache.inbox import InboxCache
from app.cache.search import tokens
from app.inbox.types import InboxFilter, InquiryStatus

TARGETS_MS = {"first_page_ms": 100.0, "search_p95_ms": 30.0, "thread_first_page_ms": 50.0}
BIG_THREAD = 2000
PAGE = 100

FIRST = ["Sabine", "Klaus", "Aylin", "Jürgen", "Günther", "Özlem", "Björn", "Käthe", "Lena",
         "Mehmet", "Anna", "Paul", "Sören", "Jörg", "Heike", "Uwe", "Dörte", "Maximilian",
         "Sophie", "Lukas", "Marie", "Jonas", "Ümit", "Bärbel", "Fritz", "Greta", "Noah"]
LAST = ["Müller", "Schäfer", "Öztürk", "Becker", "Weiß", "Groß", "Köhler", "Schröder", "Krüger",
        "Hoffmann", "Schmidt", "Fischer", "Wagner", "Bauer", "Schulz", "Jäger", "Böhm", "Lang",
        "Vogel", "Friedrich", "Günther", "Roß", "Hübner", "Kühn", "Möller", "Nußbaum"]
WORDS = ("Guten Tag ich brauche bitte eine Überweisung zum Orthopäden Rezept für Ramipril "
         "Ibuprofen Blutdruck Termin nächste Woche Donnerstag Vormittag Krankschreibung "
         "Fieber Husten Halsschmerzen Rückenschmerzen Laborwerte Befund Ergebnis Impfung "
         "Grippe Allergie Hausbesuch Physiotherapie Medikament Tabletten Salbe Blutzucker "
         "Schilddrüse Ultraschall Röntgen Kardiologe Hautarzt Augenarzt Zahnschmerzen Übelkeit "
         "Schwindel Müdigkeit Kopfschmerzen danke vielen Dank freundliche Grüße morgen heute "
         "Abholung Praxis Anmeldung Versichertenkarte Quartal Bescheinigung Arbeitgeber "
         "Kinderarzt Vorsorge Gesundheitscheck Überweisungsschein Folgerezept Dosierung").split()


def _ts(base: datetime, seconds: int) -> str:
    return (base + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _syllable_word(rng: random.Random) -> str:
    # A larger vocabulary than WORDS, so search terms hit realistically few documents.
    parts = ["ber", "ka", "lo", "mün", "ste", "rau", "fel", "dor", "wi", "gä", "tor", "sel"]
    return "".join(rng.choice(parts) for _ in range(rng.randint(2, 4)))


def build_cache(path: Path, key: bytes, conversations: int = 50_000,
                messages: int = 500_000, *, seed: int = 7) -> dict[str, Any]:
    """Fill a new cache at ``path``. The first conversation gets ``BIG_THREAD`` messages,
    the rest are spread evenly. Returns facts about what was built."""
    rng = random.Random(seed)
    db = open_cache_sync(path, key)
    base = datetime(2026, 9, 1, tzinfo=UTC)
    extra_words = [_syllable_word(rng) for _ in range(5000)]
    conv_ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(conversations)]
    big = conv_ids[0]
    rest = max(messages - BIG_THREAD, 0)
    per_conv = [rest // max(conversations - 1, 1)] * conversations
    per_conv[0] = BIG_THREAD
    for i in range(rest - sum(per_conv[1:])):
        per_conv[1 + i % max(conversations - 1, 1)] += 1
    started = time.perf_counter()
    conn = db._conn
    conn.execute("PRAGMA synchronous = OFF")
    batch_words: list[tuple[int, str]] = []
    batch_msgs: list[tuple[Any, ...]] = []
    batch_inq: list[tuple[Any, ...]] = []
    batch_conv: list[tuple[Any, ...]] = []
    batch_pat: list[tuple[Any, ...]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO patients (id, name, dob) VALUES (?,?,?)", batch_pat)
        conn.executemany("INSERT INTO conversation_nums (num, id) VALUES (?, ?)",
                         [(c[1], c[0]) for c in batch_conv])
        conn.executemany(
            "INSERT INTO conversations (id, num, patient_id, patient_name, unread_count,"
            " created_at, last_activity_at, preview, open_inquiries, open_inquiry_id,"
            " open_inquiry_type, open_inquiry_status, unanswered)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch_conv)
        conn.executemany(
            "INSERT INTO messages (id, conversation_id, author, text, created_at) "
            "VALUES (?,?,?,?,?)", batch_msgs)
        conn.executemany(
            "INSERT INTO inquiries (id, conversation_id, type, details, text, status, "
            "created_at) VALUES (?,?,?,?,?,?,?)", batch_inq)
        conn.executemany("INSERT INTO conversation_words (num, words) VALUES (?,?)",
                         batch_words)
        conn.executemany("INSERT INTO search_fts (rowid, body) VALUES (?,?)", batch_words)
        for batch in (batch_pat, batch_conv, batch_msgs, batch_inq, batch_words):
            batch.clear()

    vocabulary: set[str] = set()

    conn.execute("BEGIN")
    total_msgs = 0
    for n, cid in enumerate(conv_ids):
        pid = str(uuid.UUID(int=rng.getrandbits(128)))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        batch_pat.append((pid, name, "1970-01-01"))
        num = n + 1
        conv_words = set(tokens(name))
        t = rng.randint(0, 90 * 86400)
        last_text = ""
        last_author = "patient"
        for _ in range(per_conv[n]):
            t += rng.randint(60, 7200)
            words = [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(extra_words)
                     for _ in range(rng.randint(5, 14))]
            last_text = " ".join(words)
            last_author = rng.choice(("staff", "patient"))
            mid = str(uuid.UUID(int=rng.getrandbits(128)))
            batch_msgs.append((mid, cid, last_author, last_text, _ts(base, t)))
            conv_words.update(tokens(last_text))
            total_msgs += 1
        inquiry: tuple[str, str, str] | None = None
        if rng.random() < 0.3:
            t += 60
            iid = str(uuid.UUID(int=rng.getrandbits(128)))
            itype = rng.choice(["appointment", "prescription", "referral", "sick_note",
                                "results", "other"])
            status = rng.choice(["new", "new", "in_progress", "done"])
            text = "Bitte um " + rng.choice(WORDS)
            batch_inq.append((iid, cid, itype, "{}", text, status, _ts(base, t)))
            conv_words.update(tokens(text))
            if status != "done":
                inquiry = (iid, itype, status)
            last_text, last_author = text, "patient"
        batch_conv.append((cid, num, pid, name, rng.choice((0, 0, 1, 2)), _ts(base, 0),
                           _ts(base, t), last_text[:120], 1 if inquiry else 0,
                           inquiry[0] if inquiry else None, inquiry[1] if inquiry else None,
                           inquiry[2] if inquiry else None, 1 if inquiry else 0))
        vocabulary.update(conv_words)
        batch_words.append((num, " ".join(sorted(conv_words))))
        if len(batch_msgs) >= 20_000:
            flush()
    flush()
    conn.executemany("INSERT INTO search_terms (term) VALUES (?)", [(w,) for w in vocabulary])
    conn.execute("COMMIT")
    conn.execute("PRAGMA synchronous = NORMAL")
    optimize(conn)  # what the client does after a large sync
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    build_s = time.perf_counter() - started
    db.close()
    return {"conversations": conversations, "messages": total_msgs, "big_thread": big,
            "build_s": round(build_s, 1), "size_mb": round(path.stat().st_size / 2**20, 1)}


def _queries(rng: random.Random, count: int) -> list[str]:
    pool = ["uberweisung", "ÜBERWEISUNG", "ueberweisung", "mueller", "Müller", "schafer",
            "Öztürk", "oeztuerk", "rezept ramipril", "kopfschm", "termin donnerstag",
            "krankschreibung", "weiss", "Weiß", "Jörg Krüger", "schilddr", "Laborwerte Befund",
            "hubner", "Nussbaum", "bitte um impf", '"Rezept" OR *', "NEAR(fieber", "kühn",
            "Bärbel", "grippe husten", "sophie m"]
    return [rng.choice(pool) for _ in range(count)]


def measure(path: Path, key: bytes, big_thread: str, *, queries: int = 200,
            seed: int = 11) -> dict[str, float]:
    """Open the cache cold (new connection) and time the GUI thread's reads in ms."""
    db = open_cache_sync(path, key)
    figures: dict[str, float] = {}
    started = time.perf_counter()
    inbox = InboxCache(db.open_reader())
    ids = inbox.inbox_ids(InboxFilter(), 0, PAGE)
    rows = inbox.inbox_rows(ids)
    count = inbox.inbox_count(InboxFilter())
    figures["first_page_ms"] = (time.perf_counter() - started) * 1000
    assert len(rows) == len(ids) == min(PAGE, count)

    started = time.perf_counter()
    flt = InboxFilter(unread_only=True, status=InquiryStatus.NEW)
    ids = inbox.inbox_ids(flt, 0, PAGE)
    inbox.inbox_rows(ids)
    inbox.inbox_count(flt)
    figures["filtered_page_ms"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    inbox.inbox_ids(InboxFilter(), 20_000, PAGE)
    figures["deep_page_ms"] = (time.perf_counter() - started) * 1000

    rng = random.Random(seed)
    times: list[float] = []
    hits = 0
    for q in _queries(rng, queries):
        # Each query from scratch: no memo from an identical previous query.
        inbox._memo = None
        inbox._search_memo = None
        t0 = time.perf_counter()
        flt = InboxFilter(search=q)
        found = inbox.inbox_ids(flt, 0, PAGE)
        inbox.inbox_rows(found)
        inbox.inbox_count(flt)
        times.append((time.perf_counter() - t0) * 1000)
        hits += len(found)
    times.sort()
    figures["search_p50_ms"] = statistics.median(times)
    figures["search_p95_ms"] = times[int(len(times) * 0.95) - 1]
    figures["search_max_ms"] = times[-1]
    figures["search_avg_hits"] = hits / max(len(times), 1)

    started = time.perf_counter()
    n = inbox.thread_count(big_thread)
    items = inbox.thread_items(big_thread, 0, PAGE)
    figures["thread_first_page_ms"] = (time.perf_counter() - started) * 1000
    assert n >= BIG_THREAD
    assert len(items) == PAGE
    started = time.perf_counter()
    inbox.thread_items(big_thread, n - PAGE, PAGE)
    figures["thread_last_page_ms"] = (time.perf_counter() - started) * 1000
    inbox.close()
    db.close()
    return {k: round(v, 2) for k, v in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", metavar="DIR",
                        help="build the cache once in DIR and reuse it on later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path, facts_path = folder / "cache.db", folder / "facts.json"
        if args.keep and path.exists() and facts_path.exists():
            facts = json.loads(facts_path.read_text())
            key = bytes.fromhex(facts.pop("key"))
            print(f"reusing {path}")
        else:
            key = os.urandom(32)
            print(f"building cache: {args.conversations} conversations, "
                  f"{args.messages} messages")
            facts = build_cache(path, key, args.conversations, args.messages)
            if args.keep:  # a throwaway benchmark cache: its key may sit next to it
                facts_path.write_text(json.dumps({**facts, "key": key.hex()}))
        print(f"built in {facts['build_s']} s, {facts['size_mb']} MB (encrypted)")
        figures = measure(path, key, str(facts["big_thread"]), queries=args.queries)
    for name, value in figures.items():
        print(f"{name:24} {value}")
    met = all(figures[k] <= bound for k, bound in TARGETS_MS.items())
    figures_out: dict[str, Any] = {**figures, "build_s": facts["build_s"],
                                   "conversations": facts["conversations"],
                                   "messages": facts["messages"]}
    print(json.dumps({"bench": "inbox_cache", "figures": figures_out,
                      "targets": {k: f"<= {v:g}" for k, v in TARGETS_MS.items()},
                      "met": met}))


if __name__ == "__main__":
    main()
