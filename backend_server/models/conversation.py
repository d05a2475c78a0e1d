from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id


class Conversation(TenantScoped, Synced, Base):
    """A thread between the practice and one patient.

    The patient's links live in ``patient_links`` (token hashes only). ``link_expires_at``
    mirrors the newest live link's expiry (null once all are revoked), so the wire form and
    sync need no second table.
    """

    __tablename__ = "conversations"
    __sync_kind__ = "conversation"
    __table_args__ = (
        Index("ix_conversations_practice_activity", "practice_id", "last_activity_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Unused since migration 0005 (hashes live in patient_links) and always null; kept
    # because SQLite can only drop this UNIQUE column by rebuilding the table, which would
    # cascade-delete the conversation's messages.
    legacy_link_token_hash: Mapped[str | None] = mapped_column(
        "link_token_hash", String(64), unique=True, default=None)
    # Kept up to date by the flush hook in conversations/summary.py (the sync serializer
    # is synchronous and must not query): patient messages with read_at null, inquiries
    # not done, the patient's name, and the start of the newest message/inquiry text.
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    open_inquiries: Mapped[int] = mapped_column(Integer, default=0)
    patient_name: Mapped[str] = mapped_column(String(200), default="")
    last_message_preview: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime())
