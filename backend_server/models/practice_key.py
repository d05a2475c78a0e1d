from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, TenantScoped, UTCDateTime


class PracticeKey(TenantScoped, Base):
    """The key that wraps the blob keys of one practice's attachments, itself wrapped by the
    server's master key (``<data_dir>/keys/master.key``), so the database alone opens
    nothing. One row per practice, made on its first upload."""

    __tablename__ = "practice_keys"

    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
