"""The SQLCipher file: open with a raw key, refuse anything that is not encrypted."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3

from app.cache.migrations import migrate

log = logging.getLogger(__name__)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
AUTO_VACUUM_INCREMENTAL = 2
T = TypeVar("T")


class CacheError(Exception):
    """The local cache cannot be used."""


class CacheKeyError(CacheError):
    """The key does not open this cache file (wrong key, or not a cache file at all)."""


def is_encrypted_file(path: Path) -> bool:
    """True for an existing file whose header is not plain SQLite's."""
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except FileNotFoundError:
        return False
    return len(header) == 16 and header != SQLITE_PLAIN_HEADER


def wipe_cache(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def convert_auto_vacuum(conn: Any) -> bool:
    """Switch a cache made before incremental auto-vacuum to it (once: a full VACUUM,
    outside any transaction). True when it converted."""
    if int(conn.execute("PRAGMA auto_vacuum").fetchone()[0]) == AUTO_VACUUM_INCREMENTAL:
        return False
    conn.execute(f"PRAGMA auto_vacuum = {AUTO_VACUUM_INCREMENTAL}")
    conn.execute("VACUUM")
    return True


def optimize(conn: Any) -> None:
    """Refresh the query planner's statistics (bounded work): after a large sync the inbox
    queries pick their plans from real table sizes."""
    conn.execute("PRAGMA analysis_limit = 1000")
    conn.execute("PRAGMA optimize = 0x10002")


def _open_reader(path: Path, key: bytes) -> Any:
    """A second, read-only connection for the GUI thread: with WAL it reads a consistent
    snapshot while the cache thread writes, and never waits for it."""
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA cache_size = -32000")
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(path: Path, key: bytes) -> tuple[Any, str]:
    if len(key) != KEY_BYTES:
        raise CacheKeyError("the cache key has the wrong length")
    existed = path.exists() and path.stat().st_size > 0
    if existed and not is_encrypted_file(path):
        raise CacheError(f"{path.name} is not encrypted; refusing to use it")
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        row = conn.execute("PRAGMA cipher_version").fetchone()
        cipher_version = str(row[0]) if row and row[0] else ""
        if not cipher_version:
            raise CacheError("the SQLite module in use is not SQLCipher; refusing to continue")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise CacheKeyError("the key does not open the local cache") from exc
        fresh = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        if fresh:
            # Only takes effect before the first table: purged pages can then be handed
            # back to the file system (incremental_vacuum) without a full VACUUM.
            conn.execute(f"PRAGMA auto_vacuum = {AUTO_VACUUM_INCREMENTAL}")
        conn.execute("PRAGMA secure_delete = ON")
        # Purges and large syncs touch index pages all over the file (random UUID keys);
        # SQLCipher decrypts every page read, so a bigger page cache saves most of the work.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        if not fresh:
            convert_auto_vacuum(conn)
    except BaseException:
        conn.close()
        raise
    if not is_encrypted_file(path):
        # Never keep a plaintext database around, whatever went wrong above.
        conn.close()
        wipe_cache(path)
        raise CacheError("the cache file was not encrypted; it has been removed")
    return conn, cipher_version


class CacheDB:
    """An open cache. All SQL runs on one worker thread so the event loop never blocks."""

    def __init__(self, path: Path, conn: Any, cipher_version: str,
                 executor: ThreadPoolExecutor, key: bytes = b"") -> None:
        self.path = path
        self._key = key
        self.cipher_version = cipher_version
        self._conn = conn
        self._executor = executor
        self._lock = threading.Lock()

    def run_sync(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(connection)`` in a transaction on the calling thread."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return result

    async def run(self, fn: Callable[[Any], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.run_sync, fn)

    def open_reader(self) -> Any:
        """A new read-only connection to this cache (the caller closes it)."""
        return _open_reader(self.path, self._key)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        self._executor.shutdown(wait=False)

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close_conn)
        self._executor.shutdown(wait=True)

    def _close_conn(self) -> None:
        with self._lock:
            self._conn.close()


def open_cache_sync(path: Path, key: bytes) -> CacheDB:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn, version = _connect(path, key)
    return CacheDB(path, conn, version, ThreadPoolExecutor(1, thread_name_prefix="cache"), key)


async def open_cache(path: Path, key: bytes) -> CacheDB:
    executor = ThreadPoolExecutor(1, thread_name_prefix="cache")
    loop = asyncio.get_running_loop()
    try:
        conn, version = await loop.run_in_executor(executor, _connect, path, key)
    except BaseException:
        executor.shutdown(wait=False)
        raise
    return CacheDB(path, conn, version, executor, key)
