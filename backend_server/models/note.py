from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id


class Note(TenantScoped, Synced, Base):
    """An internal note of the practice on a conversation (optionally on one inquiry).

    Staff only: no patient answer ever reads this table. ``text`` is content, never logged.
    """

    __tablename__ = "notes"
    __sync_kind__ = "note"
    __table_args__ = (
        UniqueConstraint("practice_id", "idempotency_key",
                         name="uq_notes_practice_id_idempotency_key"),
        Index("ix_notes_conversation_created", "conversation_id", "created_at"),
        # Deleting an inquiry nulls its notes' inquiry_id (purge, erasure): found by index.
        Index("ix_notes_inquiry_id", "inquiry_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    inquiry_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("inquiries.id", ondelete="SET NULL"), default=None
    )
    author_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text())
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
