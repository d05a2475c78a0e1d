from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

FORM_DEFINITION_STATUSES = ("active", "archived")
FORM_REQUEST_STATUSES = ("sent", "submitted", "cancelled")


class FormDefinition(TenantScoped, Synced, Base):
    """One version of a practice's form (``backend_server.forms.definition``).

    Practice configuration, not communication content: not purged. A version that was ever
    sent is never changed; editing makes the next version (same ``form_id``), and the older
    one is archived.
    """

    __tablename__ = "form_definitions"
    __sync_kind__ = "form_definition"
    __table_args__ = (
        UniqueConstraint("practice_id", "form_id", "version",
                         name="uq_form_definitions_practice_form_version"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    # The slug shared by all versions (FormDefinition.id inside the definition JSON).
    form_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON())
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_by_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FormRequest(TenantScoped, Synced, Base):
    """A form sent to a patient in a conversation, the patient's draft, and the link to the
    submitted result (an inquiry of type ``form`` plus its sealed PDF as an attachment).

    ``draft_answers`` is communication content: never logged, purged with the conversation.
    """

    __tablename__ = "form_requests"
    __sync_kind__ = "form_request"
    __table_args__ = (
        Index("ix_form_requests_conversation", "conversation_id"),
        Index("ix_form_requests_practice_updated", "practice_id", "updated_at"),
        UniqueConstraint("practice_id", "idempotency_key",
                         name="uq_form_requests_practice_id_idempotency_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    form_definition_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("form_definitions.id", ondelete="RESTRICT")
    )
    status: Mapped[str] = mapped_column(String(20), default="sent")
    draft_answers: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    sent_by_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    inquiry_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("inquiries.id", ondelete="SET NULL"), default=None
    )
    attachment_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("attachments.id", ondelete="SET NULL"), default=None
    )
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Loaded with every request (its title, form id and version belong to the wire shape,
    # also in the synchronous sync serialiser).
    form_definition: Mapped[FormDefinition] = relationship(lazy="selectin")
