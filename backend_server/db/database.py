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

    async def checkpoint_wal(self) -> None:
        """SQLite: copies the WAL into the file and truncates it to zero bytes, so page
        images of deleted rows do not stay in the WAL. A reader holding an old snapshot
        can keep part of it; the next checkpoint finishes the job. No-op elsewhere."""
        if not self.settings.is_sqlite:
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def dispose(self) -> None:
        await self.engine.dispose()
