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
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fts_query(user_input: str) -> str | None:
    """An FTS5 MATCH expression: every term must occur, the last one as a prefix.

    Terms are reduced to word characters and quoted, so FTS syntax in the input (quotes,
    ``*``, ``NEAR``, ``OR``, column filters) is taken literally, never interpreted.
    """
    terms = [t for t in _TOKEN.findall(fold(user_input)) if t.strip("_")]
    if len(terms) > 1 and len(terms[-1]) == 1:
        # "sophie m": a one-letter prefix matches half the vocabulary and narrows little;
        # it counts once the next letter is typed.
        terms.pop()
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


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


def fts_terms(user_input: str) -> list[str]:
    """One quoted MATCH term per word (the last one a prefix), for matching each word
    anywhere in a conversation: "Müller Überweisung" finds the patient's thread about it."""
    query = fts_query(user_input)
    return query.split(" ") if query else []


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
    conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (rowid, fold(text)))


def unindex_doc(conn: Any, ref_id: str) -> None:
    row = conn.execute("SELECT docid, fts_rowid FROM search_docs WHERE ref_id = ?",
                       (ref_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[1],))
        conn.execute("DELETE FROM search_docs WHERE docid = ?", (row[0],))
