"""Attachment bytes in the encrypted cache (SQLCipher encrypts them at rest like any row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.cache.inbox_store import now_iso


@dataclass(frozen=True)
class AttachmentMeta:
    id: str
    message_id: str
    conversation_id: str
    filename: str
    content_type: str
    size: int
    sha256: str


def get_meta(conn: Any, attachment_id: str) -> AttachmentMeta | None:
    r = conn.execute("SELECT id, message_id, conversation_id, filename, content_type, size, "
                     "sha256 FROM attachments WHERE id = ?", (attachment_id,)).fetchone()
    return AttachmentMeta(r[0], r[1], r[2], r[3], r[4], int(r[5]), r[6]) if r else None


def store_blob(conn: Any, attachment_id: str, data: bytes) -> None:
    conn.execute("INSERT INTO attachment_blobs (attachment_id, data, stored_at) VALUES (?,?,?) "
                 "ON CONFLICT(attachment_id) DO UPDATE SET data = excluded.data, "
                 "stored_at = excluded.stored_at", (attachment_id, data, now_iso()))


def load_blob(conn: Any, attachment_id: str) -> bytes | None:
    r = conn.execute("SELECT data FROM attachment_blobs WHERE attachment_id = ?",
                     (attachment_id,)).fetchone()
    return bytes(r[0]) if r else None


def has_blob(conn: Any, attachment_id: str) -> bool:
    return conn.execute("SELECT 1 FROM attachment_blobs WHERE attachment_id = ?",
                        (attachment_id,)).fetchone() is not None
