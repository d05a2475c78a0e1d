from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

AUTHORS = ("staff", "patient")


class Message(TenantScoped, Synced, Base):
    """One message in a conversation. ``text`` is communication content: never logged.

    ``(conversation_id, idempotency_key)`` is unique so a retried send cannot create a
    second message; ``request_hash`` tells a retry apart from a different message that
    reuses the key.
    """

    __tablename__ = "messages"
    __sync_kind__ = "message"
    __table_args__ = (
        UniqueConstraint("conversation_id", "idempotency_key",
                         name="uq_messages_conversation_id_idempotency_key"),
        Index("ix_messages_conversation_created", "conversation_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    author: Mapped[str] = mapped_column(String(10))
    author_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text())
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Patient message: when staff marked the conversation read (or answered); staff
    # message: when the patient's page reported it seen.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
