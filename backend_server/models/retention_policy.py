from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime

# The contract's ceilings: a practice may shorten them, never lengthen them.
MAX_CONTENT_DAYS = 105
MAX_VIDEO_DAYS = 90


class RetentionPolicy(TenantScoped, Synced, Base):
    """How long one practice keeps communication content and video metadata.

    ``id`` equals ``practice_id`` (one row per practice, made on first use) so that it can
    travel through sync like every other entity; clients purge their caches with the same
    periods. ``last_purge_at`` moves on every purge that removed something, so the change
    reaches clients at once and they purge too.
    """

    __tablename__ = "retention_policies"
    __sync_kind__ = "retention_policy"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    content_days: Mapped[int] = mapped_column(Integer, default=MAX_CONTENT_DAYS)
    video_days: Mapped[int] = mapped_column(Integer, default=MAX_VIDEO_DAYS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_purge_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
