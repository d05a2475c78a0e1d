"""The local cache is SQLCipher with a raw key, and never a plaintext SQLite file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from app.cache.database import (
    SQLITE_PLAIN_HEADER,
    CacheError,
    CacheKeyError,
    is_encrypted_file,
    open_cache_sync,
    wipe_cache,
)
from app.cache.migrations import MIGRATIONS
from app.cache.store import list_users, upsert_user


def _user(conn: object) -> None:
    upsert_user(conn, {"id": "u1", "email": "a@b.de", "display_name": "Anna", "role": "staff"})


def test_file_is_encrypted_and_opens_only_with_its_key(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    key = os.urandom(32)
    db = open_cache_sync(path, key)
    db.run_sync(_user)
    assert db.cipher_version  # SQLCipher, not plain SQLite
    db.close()

    header = path.read_bytes()[:16]
    assert header != SQLITE_PLAIN_HEADER
    assert is_encrypted_file(path)
    assert b"a@b.de" not in path.read_bytes()
    # The standard library's SQLite cannot read it either.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()

    with pytest.raises(CacheKeyError):
        open_cache_sync(path, os.urandom(32))

    db = open_cache_sync(path, key)
    assert [u.email for u in list_users(db)] == ["a@b.de"]
    db.close()


def test_settings_of_an_open_cache(tmp_path: Path) -> None:
    db = open_cache_sync(tmp_path / "c.db", os.urandom(32))
    conn = db._conn
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.close()


def test_plaintext_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    assert path.read_bytes()[:16] == SQLITE_PLAIN_HEADER
    with pytest.raises(CacheError):
        open_cache_sync(path, os.urandom(32))


def test_old_schema_is_migrated_and_newer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    key = os.urandom(32)
    db = open_cache_sync(path, key)
    # Pretend the file was written by a version before any table existed.
    db._conn.execute("DROP TABLE search_fts")
    tables = [r[0] for r in db._conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        db._conn.execute(f"DROP TABLE {table}")
    db._conn.execute("PRAGMA user_version = 0")
    db.close()

    db = open_cache_sync(path, key)
    db.run_sync(_user)
    assert len(list_users(db)) == 1
    # ... and every later step ran too: the inbox tables are back.
    assert db.run_sync(lambda c: c.execute("SELECT count(*) FROM conversations").fetchone()[0]) \
        == 0
    db._conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(RuntimeError, match="newer Praxisdesk"):
        open_cache_sync(path, key)


def test_wipe_removes_database_and_side_files(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    db = open_cache_sync(path, os.urandom(32))
    db.run_sync(_user)
    assert Path(f"{path}-wal").exists()
    db.close()
    wipe_cache(path)
    assert not any(tmp_path.iterdir())
