from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

if TYPE_CHECKING:
    from backend_server.models.attachment import Attachment

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
    # Loaded with every message (one extra query per batch): each wire form carries them.
    attachments: Mapped[list[Attachment]] = relationship(
        lazy="selectin", order_by="Attachment.created_at", passive_deletes=True)


@event.listens_for(Message, "init")
def _no_attachments_yet(target: Message, args: Any, kwargs: dict[str, Any]) -> None:
    # A new message starts with an empty, already loaded list: reading it after the flush
    # would otherwise trigger a lazy load, which async sessions cannot do.
    kwargs.setdefault("attachments", [])
