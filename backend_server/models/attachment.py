from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, TenantScoped, UTCDateTime, new_id


class Attachment(TenantScoped, Base):
    """A file sent with a message. The bytes live encrypted in
    ``<data_dir>/blobs/<practice_id>/<id>``; the blob's key (wrapped by the practice key)
    lives in the key store under this id. ``filename`` is communication content: never
    logged.

    Not synced on its own: it travels inside its message's wire form.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_conversation", "conversation_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    message_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Always b"" now: the wrapped blob key moved to the key store (older versions kept it
    # here; attachments.key_migration moves such keys at start and blanks this column).
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary(64))
    # Random prefix of the per-chunk GCM nonces (see attachments.crypto).
    nonce: Mapped[bytes] = mapped_column(LargeBinary(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
