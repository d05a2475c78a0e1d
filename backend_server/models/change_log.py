from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, TenantScoped


class ChangeLog(TenantScoped, Base):
    """One row per create/update/delete of a synced entity; the sync cursor is ``seq``."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_practice_seq", "practice_id", "seq"),
        # The purge drops the rows of purged objects by id.
        Index("ix_change_log_object_id", "object_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    practice_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
