"""Backup and restore of the server database.

SQLite uses the online backup API (a consistent copy while the server runs); PostgreSQL uses
``pg_dump``/``pg_restore``. A restore never destroys the current database: it refuses while a
server is running, refuses a non-empty database without ``force``, and even with ``force``
keeps the old file next to the new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory

from backend_server.config import Settings
from backend_server.db.migrate import alembic_config
from backend_server.server_lock import server_running

REQUIRED_TABLES = {"alembic_version", "practices", "users", "audit_log", "change_log"}
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore refused to run; the message says why, nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    revision: str
    practices: int
    users: int
    audit_entries: int


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def inspect_sqlite_backup(path: Path) -> BackupInfo:
    """Checks that ``path`` is an intact Praxisdesk database; raises BackupError if not."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{path} is damaged (integrity check failed)")
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not REQUIRED_TABLES <= tables:
                raise BackupError(f"{path} is not a Praxisdesk database")
            revision_row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = [conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                      for table in ("practices", "users", "audit_log")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}") from exc
    if revision_row is None or revision_row[0] not in _known_revisions():
        raise BackupError(f"{path} comes from an unknown (newer?) Praxisdesk version")
    return BackupInfo(revision=revision_row[0], practices=counts[0], users=counts[1],
                      audit_entries=counts[2])


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A single self-contained file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _pg_url(settings: Settings) -> str:
    return settings.database_url.replace("+asyncpg", "")


def backup(settings: Settings, dest: Path) -> BackupInfo | None:
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose a new file name")
    if not settings.is_sqlite:
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed")
        subprocess.run(["pg_dump", "--format=custom", f"--file={dest}", _pg_url(settings)],
                       check=True)
        return None
    db_path = settings.sqlite_path
    if not db_path.exists():
        raise BackupError(f"there is no database at {db_path}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    try:
        _sqlite_copy(db_path, partial)
        os.chmod(partial, 0o600)
        info = inspect_sqlite_backup(partial)
        os.replace(partial, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return info


def _is_empty(db_path: Path) -> bool:
    if not db_path.exists():
        return True
    conn = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "practices" not in tables:
            return True
        return bool(conn.execute("SELECT count(*) FROM practices").fetchone()[0] == 0)
    finally:
        conn.close()


def restore(settings: Settings, source: Path, *, force: bool) -> tuple[BackupInfo | None,
                                                                       Path | None]:
    """Returns what was restored and where the replaced database was kept (if any)."""
    if server_running(settings.data_dir):
        raise BackupError("a server is running on this data directory; stop it first")
    if not settings.is_sqlite:
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed")
        listing = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True,
                                 text=True, check=False)
        if listing.returncode != 0 or "audit_log" not in listing.stdout:
            raise BackupError(f"{source} is not a Praxisdesk PostgreSQL dump")
        if not force:
            raise BackupError("restoring into PostgreSQL replaces its data; add --force")
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                        f"--dbname={_pg_url(settings)}", str(source)], check=True)
        return None, None

    info = inspect_sqlite_backup(source)
    db_path = settings.sqlite_path
    if not _is_empty(db_path) and not force:
        raise BackupError(f"the database at {db_path} holds data; add --force to replace it "
                          "(the current file is kept as a .pre-restore copy)")
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    incoming = db_path.with_name(db_path.name + ".restoring")
    _sqlite_copy(source, incoming)
    os.chmod(incoming, 0o600)
    kept: Path | None = None
    if db_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = db_path.with_name(f"{db_path.name}.pre-restore-{stamp}")
        _sqlite_copy(db_path, kept)  # folds the old -wal into the kept copy
        os.chmod(kept, 0o600)
    for suffix in ("-wal", "-shm", "-journal"):
        # A stale WAL of the old database must never be replayed onto the restored one.
        with contextlib.suppress(FileNotFoundError):
            Path(str(db_path) + suffix).unlink()
    os.replace(incoming, db_path)
    return info, kept
