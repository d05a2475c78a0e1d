"""Queries on the cache: the staff directory and the sync cursor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.cache.database import CacheDB


@dataclass(frozen=True)
class CachedUser:
    id: str
    email: str
    display_name: str
    role: str
    active: bool


def upsert_user(conn: Any, data: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO users (id, email, display_name, role, active, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET email=excluded.email, "
        "display_name=excluded.display_name, role=excluded.role, active=excluded.active, "
        "updated_at=excluded.updated_at",
        (data["id"], data.get("email", ""), data.get("display_name") or "",
         data.get("role", ""), 1 if data.get("active", True) else 0, data.get("updated_at")),
    )


def delete_user(conn: Any, user_id: str) -> None:
    conn.execute("DELETE FROM users WHERE id = ?", (user_id,))


def list_users(db: CacheDB) -> list[CachedUser]:
    def query(conn: Any) -> list[CachedUser]:
        rows = conn.execute(
            "SELECT id, email, display_name, role, active FROM users "
            "ORDER BY display_name COLLATE NOCASE, email"
        ).fetchall()
        return [CachedUser(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    return db.run_sync(query)


def get_cursor(conn: Any, stream: str = "changes") -> str:
    row = conn.execute("SELECT cursor FROM sync_state WHERE stream = ?", (stream,)).fetchone()
    return str(row[0]) if row else ""


def set_cursor(conn: Any, cursor: str, stream: str = "changes") -> None:
    conn.execute(
        "INSERT INTO sync_state (stream, cursor) VALUES (?, ?) "
        "ON CONFLICT(stream) DO UPDATE SET cursor = excluded.cursor",
        (stream, cursor),
    )
