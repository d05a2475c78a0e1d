from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

# "form": made only by a patient submitting a form (never by POST /inquiries).
INQUIRY_TYPES = ("appointment", "prescription", "referral", "sick_note", "results", "other",
                 "form")
INQUIRY_STATUSES = ("new", "in_progress", "done")


class Inquiry(TenantScoped, Synced, Base):
    """A structured request in a conversation (prescription, appointment, ...).

    ``details`` and ``text`` are communication content: never logged, purged with the
    conversation's messages. The idempotency key lives on the row (not in a side table) so
    that the hash of the request, which is derived from health data, goes with the row.
    """

    __tablename__ = "inquiries"
    __sync_kind__ = "inquiry"
    __table_args__ = (
        UniqueConstraint("practice_id", "idempotency_key",
                         name="uq_inquiries_practice_id_idempotency_key"),
        Index("ix_inquiries_practice_created", "practice_id", "created_at"),
        Index("ix_inquiries_conversation", "conversation_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    type: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(JSON())
    text: Mapped[str] = mapped_column(Text(), default="")
    status: Mapped[str] = mapped_column(String(20), default="new")
    assignee_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
