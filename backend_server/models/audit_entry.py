from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, UTCDateTime


class AuditEntry(Base):
    """Append-only, hash-chained. Holds ids only, never content.

    Not ``TenantScoped``: the chain spans all practices, and the per-practice listing filters
    explicitly. ``prev_hash`` is unique, so two entries can never claim the same predecessor
    (the chain cannot fork even if the head row were bypassed).
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    practice_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor_user_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(36))
    # sha256 of a record kept elsewhere (a deletion log entry's payload), so the chain also
    # covers what that record says. Null for ordinary entries (and all entries before 0006).
    detail_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the newest entry. Appends move it with one UPDATE, which the
    database serializes (SQLite's writer lock, a PostgreSQL row lock held to commit), so
    concurrent appends, even from several processes, queue up instead of forking the chain.
    It also lets ``audit verify`` notice that newest entries were cut off."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
