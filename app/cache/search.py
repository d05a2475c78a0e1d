"""German-aware full-text search: one fold for indexed text and for queries.

The fold makes "Überweisung", "ueberweisung", "uberweisung" and "ÜBERWEISUNG" the same token:
lower-case, ß→ss, ä/ö/ü→a/o/u, the spellings ae/oe/ue→a/o/u, other diacritics removed.
Applying it to both sides means the index never has to know how a word was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Letters and digits, as FTS5's unicode61 tokenizer splits them (underscore separates).
_TOKEN = re.compile(r"[^\W_]+")
# A last word with more completions than this is searched as an FTS prefix instead.
MAX_EXPANSIONS = 64


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def query_words(user_input: str) -> list[str]:
    """The folded words of a search. Only letters and digits survive, so FTS syntax in the
    input (quotes, ``*``, ``NEAR``, ``OR``, column filters) is never interpreted."""
    words = tokens(user_input)
    if len(words) > 1 and len(words[-1]) == 1:
        # "sophie m": a one-letter prefix matches half the vocabulary and narrows little;
        # it counts once the next letter is typed.
        words.pop()
    return words


def fts_query(user_input: str) -> str | None:
    """One FTS5 MATCH expression: every word must occur, the last one as a prefix."""
    words = query_words(user_input)
    if not words:
        return None
    quoted = [f'"{t}"' for t in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def match_query(conn: Any, user_input: str) -> str | None:
    """The MATCH expression for a search: every word, the last one as a prefix, which is
    expanded through the vocabulary into an OR of whole words (FTS5 answers that several
    times faster than a prefix scan). None: no word, or the last one completes nowhere."""
    words = query_words(user_input)
    if not words:
        return None
    exprs = [f'"{w}"' for w in words[:-1]]
    last = words[-1]
    completions = [r[0] for r in conn.execute(
        "SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
        (last, last + "\U0010ffff", MAX_EXPANSIONS + 1))]
    if not completions:
        return None
    if len(completions) > MAX_EXPANSIONS:
        exprs.append(f'"{last}"*')
    else:
        exprs.append("(" + " OR ".join(f'"{t}"' for t in completions) + ")")
    return " AND ".join(exprs)


def conversation_num(conn: Any, conversation_id: str) -> int:
    """A stable small integer per conversation id (also before the conversation arrives);
    it is the conversation's rowid in the search index."""
    row = conn.execute("SELECT num FROM conversation_nums WHERE id = ?",
                       (conversation_id,)).fetchone()
    if row is not None:
        return int(row[0])
    return int(conn.execute("INSERT INTO conversation_nums (id) VALUES (?)",
                            (conversation_id,)).lastrowid)


# The index holds one document per conversation: the set of words that occur anywhere in
# it (messages, inquiries, notes, the patient's name). A search is then one FTS5 query
# whose doclists have at most one entry per conversation, and "every word somewhere in the
# conversation" is FTS5's own AND.

def _write_words(conn: Any, num: int, words: set[str], existed: bool) -> None:
    if existed:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (num,))
    body = " ".join(sorted(words))
    conn.execute("INSERT INTO conversation_words (num, words) VALUES (?, ?) "
                 "ON CONFLICT(num) DO UPDATE SET words = excluded.words", (num, body))
    if words:
        conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (num, body))
    # The vocabulary only grows (a stale word costs one failed lookup, nothing more).
    conn.executemany("INSERT OR IGNORE INTO search_terms (term) VALUES (?)",
                     [(w,) for w in words])


@dataclass
class _Pending:
    words: set[str]  # the document as it will be written
    existed: bool  # the index held a document for it before the batch
    changed: bool = False


# Open word batches by connection (id): a sync page adds the words of hundreds of messages
# to the same few conversations; rewriting a conversation's FTS document once per page
# instead of once per message is most of the initial sync's speed.
_BATCHES: dict[int, dict[int, _Pending]] = {}


@contextmanager
def word_batch(conn: Any) -> Iterator[None]:
    """Inside, ``add_words`` collects in memory; the documents are written once on leaving
    (in the caller's transaction). Nothing is written if the block raises (the transaction
    is rolled back anyway)."""
    if id(conn) in _BATCHES:  # nested: the outer batch writes
        yield
        return
    _BATCHES[id(conn)] = {}
    try:
        yield
        _flush(conn, list(_BATCHES[id(conn)]))
    finally:
        _BATCHES.pop(id(conn), None)


def _flush(conn: Any, nums: list[int]) -> None:
    batch = _BATCHES.get(id(conn))
    if batch is None:
        return
    for num in nums:
        pending = batch.pop(num, None)
        if pending is not None and pending.changed:
            _write_words(conn, num, pending.words, pending.existed)


def _flush_conversation(conn: Any, conversation_id: str) -> None:
    """Write a conversation's pending words before it is rebuilt or dropped directly."""
    batch = _BATCHES.get(id(conn))
    if not batch:
        return
    row = conn.execute("SELECT num FROM conversation_nums WHERE id = ?",
                       (conversation_id,)).fetchone()
    if row is not None:
        _flush(conn, [int(row[0])])


def add_words(conn: Any, conversation_id: str, text: str) -> None:
    """Make the words of ``text`` findable in this conversation; idempotent and cheap when
    nothing is new (the usual case for a re-applied page)."""
    words = set(tokens(text))
    if not words:
        return
    num = conversation_num(conn, conversation_id)
    batch = _BATCHES.get(id(conn))
    pending = batch.get(num) if batch is not None else None
    if pending is None:
        row = conn.execute("SELECT words FROM conversation_words WHERE num = ?",
                           (num,)).fetchone()
        existing = set(row[0].split()) if row else set()
        pending = _Pending(existing, row is not None and bool(existing))
        if batch is not None:
            batch[num] = pending
    if words <= pending.words:
        return
    pending.words |= words
    pending.changed = True
    if batch is None:
        _write_words(conn, num, pending.words, pending.existed)


def mark_stale(conn: Any, conversation_id: str) -> None:
    """Something was removed from the conversation: rebuild its words (once per page)."""
    _flush_conversation(conn, conversation_id)  # the row to mark must exist
    conn.execute("UPDATE conversation_words SET stale = 1 WHERE num = "
                 "(SELECT num FROM conversation_nums WHERE id = ?)", (conversation_id,))


def is_stale(conn: Any, conversation_id: str) -> bool:
    row = conn.execute("SELECT w.stale FROM conversation_words w JOIN conversation_nums n "
                       "ON n.num = w.num WHERE n.id = ?", (conversation_id,)).fetchone()
    return bool(row and row[0])


def set_words(conn: Any, conversation_id: str, texts: list[str]) -> None:
    _flush_conversation(conn, conversation_id)
    num = conversation_num(conn, conversation_id)
    row = conn.execute("SELECT words FROM conversation_words WHERE num = ?", (num,)).fetchone()
    words: set[str] = set()
    for text in texts:
        words.update(tokens(text))
    _write_words(conn, num, words, row is not None and bool(row[0]))
    conn.execute("UPDATE conversation_words SET stale = 0 WHERE num = ?", (num,))


def drop_words(conn: Any, conversation_id: str) -> None:
    _flush_conversation(conn, conversation_id)
    row = conn.execute("SELECT num FROM conversation_nums WHERE id = ?",
                       (conversation_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM conversation_words WHERE num = ?", (row[0],))


def stale_conversations(conn: Any, limit: int) -> list[str]:
    """Ids of conversations whose words must be rebuilt (something was removed)."""
    return [r[0] for r in conn.execute(
        "SELECT n.id FROM conversation_words w INDEXED BY conversation_words_stale "
        "JOIN conversation_nums n ON n.num = w.num WHERE w.stale = 1 LIMIT ?", (limit,))]


def prune_terms(conn: Any, after: str, limit: int) -> tuple[int, str | None]:
    """Forget vocabulary words that no document holds any more (a purge must not leave the
    words of deleted messages behind), for up to ``limit`` terms after ``after``.
    Returns (words removed, the last term looked at, or None when the end was reached)."""
    terms = [r[0] for r in conn.execute(
        "SELECT term FROM search_terms WHERE term > ? ORDER BY term LIMIT ?", (after, limit))]
    gone = [(t,) for t in terms if conn.execute(
        "SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1", (f'"{t}"',)
    ).fetchone() is None]
    conn.executemany("DELETE FROM search_terms WHERE term = ?", gone)
    return len(gone), (terms[-1] if len(terms) == limit else None)
