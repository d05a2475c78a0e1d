"""German-aware full-text search: one fold for indexed text and for queries.

The fold makes "Überweisung", "ueberweisung", "uberweisung" and "ÜBERWEISUNG" the same token:
lower-case, ß→ss, ä/ö/ü→a/o/u, the spellings ae/oe/ue→a/o/u, other diacritics removed.
Applying it to both sides means the index never has to know how a word was typed.
"""

from __future__ import annotations

import re
import unicodedata
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


def match_expressions(conn: Any, user_input: str) -> list[str] | None:
    """One MATCH expression per word, for matching each word anywhere in a conversation
    ("Müller Überweisung" finds the patient's thread about it). The last word is a prefix:
    it is expanded through the vocabulary into an OR of whole words, which FTS5 answers
    several times faster than a prefix scan. None: some word occurs nowhere."""
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
        exprs.append(" OR ".join(f'"{t}"' for t in completions))
    return exprs


CONV_SHIFT = 32


def conversation_num(conn: Any, conversation_id: str) -> int:
    """A stable small integer per conversation id (also before the conversation arrives)."""
    row = conn.execute("SELECT num FROM conversation_nums WHERE id = ?",
                       (conversation_id,)).fetchone()
    if row is not None:
        return int(row[0])
    return int(conn.execute("INSERT INTO conversation_nums (id) VALUES (?)",
                            (conversation_id,)).lastrowid)


def fts_rowid(docid: int, conversation_num: int) -> int:
    return (conversation_num << CONV_SHIFT) | docid


def index_doc(conn: Any, ref_id: str, kind: str, text: str, *, conversation_id: str) -> None:
    """(Re)index one searchable object of a conversation; idempotent."""
    num = conversation_num(conn, conversation_id)
    row = conn.execute("SELECT docid, fts_rowid FROM search_docs WHERE ref_id = ?",
                       (ref_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[1],))
        docid = int(row[0])
        rowid = fts_rowid(docid, num)
        conn.execute("UPDATE search_docs SET kind = ?, conversation_id = ?, fts_rowid = ? "
                     "WHERE docid = ?", (kind, conversation_id, rowid, docid))
    else:
        docid = int(conn.execute(
            "SELECT coalesce(max(docid), 0) + 1 FROM search_docs").fetchone()[0])
        rowid = fts_rowid(docid, num)
        conn.execute("INSERT INTO search_docs (docid, fts_rowid, ref_id, kind, conversation_id) "
                     "VALUES (?, ?, ?, ?, ?)", (docid, rowid, ref_id, kind, conversation_id))
    words = tokens(text)
    conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (rowid, " ".join(words)))
    # The vocabulary only grows (a stale word costs one failed lookup, nothing more).
    conn.executemany("INSERT OR IGNORE INTO search_terms (term) VALUES (?)",
                     [(w,) for w in set(words)])


def unindex_doc(conn: Any, ref_id: str) -> None:
    row = conn.execute("SELECT docid, fts_rowid FROM search_docs WHERE ref_id = ?",
                       (ref_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[1],))
        conn.execute("DELETE FROM search_docs WHERE docid = ?", (row[0],))
