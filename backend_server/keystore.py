"""The key store: practice keys, per-blob keys and the erasure ledger, in
``<keys_dir>/keystore.sqlite3`` beside the master key, outside the database and outside
backups.

Crypto-shredding happens here: deleting a blob's key makes the blob unreadable everywhere,
including in backup archives, which hold only ciphertext. ``secure_delete`` overwrites the
freed pages, and the WAL is truncated after every shred so no old page lingers in it.
The erasure ledger (ids and times only) outlives restores: after a restore the ledger's
erasures are applied again, so a backup older than an erasure cannot bring a patient back.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEYSTORE_FILENAME = "keystore.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS practice_keys (
    practice_id TEXT PRIMARY KEY,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob_keys (
    blob_id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS blob_keys_practice ON blob_keys (practice_id);
CREATE TABLE IF NOT EXISTS erasures (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Erasure:
    practice_id: str
    object_kind: str  # "patient" or "practice"
    object_id: str
    at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class KeyStore:
    """Thread-safe; every method is a short transaction (call from a worker thread in
    async code when many keys move at once)."""

    def __init__(self, keys_dir: Path) -> None:
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = keys_dir / KEYSTORE_FILENAME
        if not self.path.exists():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                     timeout=30)
        self._conn.execute("PRAGMA secure_delete = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self._conn.executemany(sql, rows)
                changed = cur.rowcount
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return max(changed, 0)

    def _truncate_wal(self) -> None:
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- practice keys -----------------------------------------------------------------------

    def get_practice_key(self, practice_id: str) -> bytes | None:
        with self._lock:
            row = self._conn.execute("SELECT wrapped_key FROM practice_keys WHERE practice_id=?",
                                     (practice_id,)).fetchone()
        return bytes(row[0]) if row else None

    def put_practice_key(self, practice_id: str, wrapped: bytes, at: datetime) -> bool:
        """False if the practice already has a key (the caller must use that one)."""
        return self._write("INSERT OR IGNORE INTO practice_keys VALUES (?,?,?)",
                           [(practice_id, wrapped, _iso(at))]) == 1

    # --- blob keys ---------------------------------------------------------------------------

    def put_blob_key(self, practice_id: str, blob_id: str, wrapped: bytes,
                     at: datetime) -> None:
        self._write("INSERT OR REPLACE INTO blob_keys VALUES (?,?,?,?)",
                    [(blob_id, practice_id, wrapped, _iso(at))])

    def add_missing_blob_keys(self, rows: Iterable[tuple[str, str, bytes, datetime]]) -> int:
        """``(practice_id, blob_id, wrapped, at)`` rows in one transaction; a blob that
        already has a key keeps it (moving keys out of the database may run again after a
        crash). Returns how many were added."""
        return self._write("INSERT OR IGNORE INTO blob_keys VALUES (?,?,?,?)",
                           ((b, p, w, _iso(a)) for p, b, w, a in rows))

    def get_blob_key(self, blob_id: str) -> bytes | None:
        with self._lock:
            row = self._conn.execute("SELECT wrapped_key FROM blob_keys WHERE blob_id=?",
                                     (blob_id,)).fetchone()
        return bytes(row[0]) if row else None

    def blob_ids(self, practice_id: str | None = None) -> set[str]:
        with self._lock:
            if practice_id is None:
                rows = self._conn.execute("SELECT blob_id FROM blob_keys")
            else:
                rows = self._conn.execute("SELECT blob_id FROM blob_keys WHERE practice_id=?",
                                          (practice_id,))
            return {str(r[0]) for r in rows}

    def shred_blob_keys(self, blob_ids: Iterable[str]) -> int:
        """Destroys these blobs' keys; returns how many existed."""
        count = self._write("DELETE FROM blob_keys WHERE blob_id=?", ((b,) for b in blob_ids))
        if count:
            self._truncate_wal()
        return count

    def shred_practice(self, practice_id: str) -> int:
        """Destroys the practice key and every blob key of the practice."""
        count = self._write("DELETE FROM blob_keys WHERE practice_id=?", [(practice_id,)])
        count += self._write("DELETE FROM practice_keys WHERE practice_id=?", [(practice_id,)])
        self._truncate_wal()
        return count

    # --- erasure ledger ----------------------------------------------------------------------

    def record_erasure(self, practice_id: str, object_kind: str, object_id: str,
                       at: datetime) -> None:
        self._write("INSERT INTO erasures (practice_id, object_kind, object_id, at) "
                    "VALUES (?,?,?,?)", [(practice_id, object_kind, object_id, _iso(at))])

    def erasures(self) -> list[Erasure]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT practice_id, object_kind, object_id, at FROM erasures ORDER BY seq"
            ).fetchall()
        return [Erasure(str(p), str(k), str(o), datetime.fromisoformat(str(a)))
                for p, k, o, a in rows]
