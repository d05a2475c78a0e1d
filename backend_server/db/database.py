"""The engine and session factory of one server process."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

import backend_server.conversations.summary  # noqa: F401  (registers the summary hook)
from backend_server.config import Settings
from backend_server.db.change_tracking import COMMIT_NOTIFIER_KEY  # also registers the hooks
from backend_server.db.migrate import upgrade_to_head
from backend_server.db.tenancy import TenantSession, set_practice_scope, set_system_scope


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a committed transaction survives a power cut; health data is worth the fsync.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows are overwritten with zeros, so purged content does not linger in free
    # pages of the file (the purge then truncates the WAL, see checkpoint_wal).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# The retention purge's own connection: a page cache large enough that the random-keyed
# indexes of a big table (UUIDs) stay in memory while a batch deletes, and NORMAL sync: a
# power cut may roll back the last purge batches, which the next run simply repeats (WAL
# keeps the file consistent either way). Closed after each purge, which frees the cache.
BULK_CACHE_KIB = 512 * 1024


def _bulk_sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if settings.is_sqlite:
            settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # hide_parameters: SQL errors would otherwise carry names and e-mails into the logs.
        self.engine: AsyncEngine = create_async_engine(settings.database_url,
                                                       hide_parameters=True)
        if settings.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        # Called (on the event loop, right after commit) with the practices whose change
        # log a transaction grew; the live event hub listens here.
        self.commit_listeners: list[Callable[[frozenset[str]], None]] = []
        self._sessionmaker = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=TenantSession,
            info={COMMIT_NOTIFIER_KEY: self._changes_committed},
        )
        self._bulk: tuple[AsyncEngine, async_sessionmaker[AsyncSession]] | None = None

    def _changes_committed(self, practices: frozenset[str]) -> None:
        for listener in list(self.commit_listeners):
            listener(practices)

    async def prepare(self) -> None:
        """Brings the schema to the newest version; keeps the SQLite file owner-only even in
        a data dir someone created with looser permissions (SQLite gives its -wal and -shm
        files the same mode)."""
        await upgrade_to_head(self.engine)
        if self.settings.is_sqlite:
            os.chmod(self.settings.sqlite_path, 0o600)

    def session(self, *, practice_id: str | None = None, system: bool = False) -> AsyncSession:
        session = self._sessionmaker()
        if practice_id is not None:
            set_practice_scope(session, practice_id)
        if system:
            set_system_scope(session)
        return session

    def bulk_session(self) -> AsyncSession:
        """A system-scoped session for mass deletes (the retention purge): on SQLite from a
        separate one-connection engine with a big page cache and NORMAL sync (see
        ``_bulk_sqlite_pragmas``); elsewhere an ordinary system-scoped session."""
        if not self.settings.is_sqlite:
            return self.session(system=True)
        if self._bulk is None:
            engine = create_async_engine(self.settings.database_url, hide_parameters=True,
                                         pool_size=1, max_overflow=0)
            event.listen(engine.sync_engine, "connect", _bulk_sqlite_pragmas)
            maker = async_sessionmaker(
                engine, expire_on_commit=False, sync_session_class=TenantSession,
                info={COMMIT_NOTIFIER_KEY: self._changes_committed})
            self._bulk = (engine, maker)
        session = self._bulk[1]()
        set_system_scope(session)
        return session

    async def release_bulk(self) -> None:
        """Closes the bulk connection (and frees its page cache)."""
        bulk, self._bulk = self._bulk, None
        if bulk is not None:
            await bulk[0].dispose()

    async def checkpoint_wal(self) -> None:
        """SQLite: copies the WAL into the file and truncates it to zero bytes, so page
        images of deleted rows do not stay in the WAL. A reader holding an old snapshot
        can keep part of it; the next checkpoint finishes the job. No-op elsewhere."""
        if not self.settings.is_sqlite:
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def dispose(self) -> None:
        await self.release_bulk()
        await self.engine.dispose()
