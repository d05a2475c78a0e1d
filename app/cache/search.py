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
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def index_doc(conn: Any, ref_id: str, kind: str, text: str, *,
              conversation_id: str | None = None, patient_id: str | None = None) -> None:
    """(Re)index one searchable object; idempotent."""
    row = conn.execute("SELECT docid FROM search_docs WHERE ref_id = ?", (ref_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
        conn.execute("UPDATE search_docs SET kind = ?, conversation_id = ?, patient_id = ? "
                     "WHERE docid = ?", (kind, conversation_id, patient_id, row[0]))
        docid = int(row[0])
    else:
        cur = conn.execute("INSERT INTO search_docs (ref_id, kind, conversation_id, patient_id) "
                           "VALUES (?, ?, ?, ?)", (ref_id, kind, conversation_id, patient_id))
        docid = int(cur.lastrowid)
    conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (docid, fold(text)))


def unindex_doc(conn: Any, ref_id: str) -> None:
    row = conn.execute("SELECT docid FROM search_docs WHERE ref_id = ?", (ref_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM search_docs WHERE docid = ?", (row[0],))
