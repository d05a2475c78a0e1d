"""Schema of the local cache, as an ordered list of steps (``PRAGMA user_version``)."""

from __future__ import annotations

from typing import Any

MIGRATIONS: list[str] = [
    # 1: the staff directory from sync, the sync cursor, small key/value facts
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        active INTEGER NOT NULL,
        updated_at TEXT
    );
    CREATE TABLE sync_state (stream TEXT PRIMARY KEY, cursor TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any) -> int:
    """Bring the schema to the newest version; each step is its own transaction."""
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"the local cache was written by a newer Praxisdesk (schema {version})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)
