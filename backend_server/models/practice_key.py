from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, TenantScoped, UTCDateTime


class PracticeKey(TenantScoped, Base):
    """Where older versions kept a practice's wrapped key. No longer written: practice keys
    live in the key store (``backend_server.keystore``); ``attachments.key_migration`` moves
    any remaining row there at server start and deletes it."""

    __tablename__ = "practice_keys"

    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
