"""Encrypted backup and restore of a server: database and attachment blobs in one archive.

The database is copied online (SQLite's backup API while the server runs, or ``pg_dump``
when PostgreSQL is configured), the blobs are taken as they are (already encrypted), and
the whole is sealed with the backup key (see ``backup_archive``). The key store and the
master key stay out: a key shredded after a backup also makes that backup's copy of the
blob unreadable.

A restore verifies the whole archive into a private staging directory before it changes
anything. It refuses while a server is running, refuses a database that holds data without
``force``, and even with ``force`` keeps the old database file and blob directory beside the
new ones.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from backend_server import __version__
from backend_server.attachments.storage import BLOBS_DIR
from backend_server.backup_archive import ARCHIVE_VERSION as FORMAT_VERSION
from backend_server.backup_archive import (
    DB_PG_MEMBER,
    DB_SQLITE_MEMBER,
    MANIFEST_FORMAT,
    ArchiveError,
    ArchiveWriter,
    Cancelled,
    is_blob_member,
    load_backup_key,
    read_archive,
)
from backend_server.config import Settings
from backend_server.db.migrate import alembic_config
from backend_server.server_lock import server_running

REQUIRED_TABLES = {"alembic_version", "practices", "users", "audit_log", "change_log"}
SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE_HINT = ("Attachments whose keys were shredded since the backup stay unreadable; "
                "every server start re-applies recorded erasures and purges expired "
                "content too.")


class BackupError(Exception):
    """A backup or restore refused to run; the message says why, nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    revision: str
    practices: int
    users: int
    audit_entries: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    revision: str
    blobs: int
    info: BackupInfo | None  # SQLite only: what the snapshot holds


@dataclass(frozen=True)
class RestoreResult:
    created_at: str
    revision: str
    blobs: int
    info: BackupInfo | None
    kept_database: Path | None
    kept_blobs: Path | None


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


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


def _run_tool(args: list[str], what: str) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        # The last line names the problem (connection, version); it holds no row data.
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {last}")


STALE_WORK_SECONDS = 24 * 3600


def _private_dir(parent: Path, prefix: str) -> Path:
    """A fresh 0700 working directory; those a killed backup or restore left behind (they
    may hold a plaintext database snapshot) are removed once a day old."""
    cutoff = time.time() - STALE_WORK_SECONDS
    for old in parent.glob(f".{prefix}-*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
    path = parent / f".{prefix}-{secrets.token_hex(6)}"
    path.mkdir(mode=0o700)
    return path


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- backup -----------------------------------------------------------------------------

def backup(settings: Settings, dest: Path, *, now: datetime | None = None,
           cancelled: Callable[[], bool] | None = None) -> BackupResult:
    """Writes the encrypted archive to ``dest`` (via ``dest.partial``, 0600)."""
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose a new file name")
    moment = now or datetime.now(UTC)
    try:
        key = load_backup_key(settings.effective_keys_dir, create=True)
    except ArchiveError as exc:
        raise BackupError(str(exc)) from None
    if settings.is_sqlite and not settings.sqlite_path.exists():
        raise BackupError(f"there is no database at {settings.sqlite_path}")
    settings.ensure_data_dir()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # The plaintext database snapshot stays inside the data dir, never beside the archive.
    work = _private_dir(settings.data_dir, "backup")
    partial = dest.with_name(dest.name + ".partial")
    try:
        info: BackupInfo | None = None
        if settings.is_sqlite:
            snapshot = work / "praxisdesk.sqlite3"
            _sqlite_copy(settings.sqlite_path, snapshot)
            info = inspect_sqlite_backup(snapshot)
            revision, db_member, db_kind = info.revision, DB_SQLITE_MEMBER, "sqlite"
        else:
            snapshot = work / "praxisdesk.pgdump"
            _run_tool(["pg_dump", "--format=custom", f"--file={snapshot}",
                       _pg_url(settings)], "pg_dump")
            revision, db_member, db_kind = _head_revision(), DB_PG_MEMBER, "postgresql"
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{partial} exists: another backup to this file is running "
                              "(or died; then delete it)") from None
        with os.fdopen(fd, "wb") as out:
            writer = ArchiveWriter(out, key, mtime=moment.timestamp(), cancelled=cancelled)
            try:
                with open(snapshot, "rb") as fh:
                    writer.add_file(db_member, fh)
                blobs = _add_blobs(writer, settings.data_dir / BLOBS_DIR)
                writer.close({"format": MANIFEST_FORMAT, "version": FORMAT_VERSION,
                              "created_at": moment.astimezone(UTC).isoformat(),
                              "revision": revision, "database": db_kind,
                              "server_version": __version__})
            except BaseException:
                writer.abort()
                raise
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except Cancelled:
        raise BackupError("the backup was stopped before it was complete") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupResult(path=dest, revision=revision, blobs=blobs, info=info)


def _add_blobs(writer: ArchiveWriter, root: Path) -> int:
    """Every finished blob (``.tmp`` uploads in progress are not). A blob purged while the
    backup runs is simply left out; its key is shredded anyway."""
    if not root.is_dir():
        return 0
    count = 0
    for practice_dir in sorted(root.iterdir()):
        if not practice_dir.is_dir():
            continue
        for path in sorted(practice_dir.iterdir()):
            name = f"{BLOBS_DIR}/{practice_dir.name}/{path.name}"
            if not is_blob_member(name) or not path.is_file():
                continue
            try:
                fh = open(path, "rb")
            except FileNotFoundError:
                continue
            with fh:
                writer.add_file(name, fh)
            count += 1
    return count


# --- restore ----------------------------------------------------------------------------

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


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def restore(settings: Settings, source: Path, *, force: bool) -> RestoreResult:
    """Restores database and blobs from ``source``; the keys dir must be the live one."""
    data_dir = settings.data_dir
    if server_running(data_dir):
        raise BackupError("a server is running on this data directory; stop it first")
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    try:
        key = load_backup_key(settings.effective_keys_dir, create=False)
    except ArchiveError as exc:
        raise BackupError(str(exc)) from None
    if settings.is_sqlite:
        if not _is_empty(settings.sqlite_path) and not force:
            raise BackupError(
                f"the database at {settings.sqlite_path} holds data; add --force to replace "
                "it (the current file and blobs are kept as .pre-restore copies)")
    elif not force:
        raise BackupError("restoring into PostgreSQL replaces its data; add --force")

    created = not data_dir.exists()
    settings.ensure_data_dir()
    staging = _private_dir(data_dir, "restore")
    try:
        try:
            manifest = read_archive(source, key, staging)
        except ArchiveError as exc:
            raise BackupError(f"{exc}; nothing was changed") from None
        return _install(settings, staging, manifest, source)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                data_dir.rmdir()  # only if the failed restore left it empty


def _install(settings: Settings, staging: Path, manifest: dict[str, Any],
             source: Path) -> RestoreResult:
    info: BackupInfo | None = None
    kind = manifest.get("database")
    if settings.is_sqlite != (kind == "sqlite"):
        raise BackupError(f"{source} holds a {kind} database but this server is configured "
                          f"for {'SQLite' if settings.is_sqlite else 'PostgreSQL'}; "
                          "nothing was changed")
    if settings.is_sqlite:
        info = inspect_sqlite_backup(staging / DB_SQLITE_MEMBER)
    else:
        _run_tool(["pg_restore", "--list", str(staging / DB_PG_MEMBER)], "reading the dump")
        if manifest.get("revision") not in _known_revisions():
            raise BackupError(f"{source} comes from an unknown (newer?) Praxisdesk version")

    # Everything verified: from here on the data dir changes. The database goes first: a
    # failing pg_restore rolls back (one transaction) before any file was moved.
    kept_db: Path | None = None
    if settings.is_sqlite:
        kept_db = _install_sqlite(settings.sqlite_path, staging / DB_SQLITE_MEMBER)
    else:
        _run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                   "--single-transaction", f"--dbname={_pg_url(settings)}",
                   str(staging / DB_PG_MEMBER)], "pg_restore")
    kept_blobs = _install_blobs(settings.data_dir, staging / BLOBS_DIR)
    blobs = sum(1 for m in manifest["members"] if is_blob_member(m["name"]))
    return RestoreResult(created_at=str(manifest.get("created_at")),
                         revision=str(manifest.get("revision")), blobs=blobs, info=info,
                         kept_database=kept_db, kept_blobs=kept_blobs)


def _install_blobs(data_dir: Path, incoming: Path) -> Path | None:
    target = data_dir / BLOBS_DIR
    kept: Path | None = None
    if target.exists():
        if any(target.iterdir()):
            kept = data_dir / f"{BLOBS_DIR}.pre-restore-{_stamp()}"
            os.replace(target, kept)
        else:
            target.rmdir()
    if not incoming.exists():
        incoming.mkdir(mode=0o700)
    os.replace(incoming, target)
    _fsync_dir(data_dir)
    return kept


def _install_sqlite(db_path: Path, incoming: Path) -> Path | None:
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept: Path | None = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.pre-restore-{_stamp()}")
        _sqlite_copy(db_path, kept)  # folds the old -wal into the kept copy
        os.chmod(kept, 0o600)
    for suffix in ("-wal", "-shm", "-journal"):
        # A stale WAL of the old database must never be replayed onto the restored one.
        with contextlib.suppress(FileNotFoundError):
            Path(str(db_path) + suffix).unlink()
    if incoming.parent.parent.stat().st_dev == db_path.parent.stat().st_dev:
        os.replace(incoming, db_path)
    else:  # database_url points at a file outside the data dir, on another file system
        staged = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(incoming, staged)
        os.chmod(staged, 0o600)
        os.replace(staged, db_path)
    _fsync_dir(db_path.parent)
    return kept
