from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, UTCDateTime, new_id

# purge: the retention job; erasure: one patient (Art. 17); practice_delete: end of contract;
# restore_purge: the purge that runs right after a restore.
DELETION_KINDS = ("purge", "erasure", "practice_delete", "restore_purge")


class DeletionLog(Base):
    """One row per purge or erasure: when, what kind, counts and ids; never content.

    Outside the purge (nothing deletes these rows, not even a practice deletion) and
    covered by the audit chain: its audit entry carries ``payload_sha256`` as detail hash.
    Not ``TenantScoped``: the purge job writes it for all practices at once; per-practice
    listings filter explicitly.
    """

    __tablename__ = "deletion_log"
    __table_args__ = (Index("ix_deletion_log_practice_at", "practice_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    practice_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[str | None] = mapped_column(String(36), default=None)
    # {"message": 12, "attachment": 2, ...}
    counts: Mapped[dict[str, int]] = mapped_column(JSON())
    # {"patient": ["<id>"], "conversation": [...], ...}; may be capped for huge purges
    # (``ids_truncated`` in counts says so), counts are always exact.
    ids: Mapped[dict[str, Any]] = mapped_column(JSON())
    payload_sha256: Mapped[str] = mapped_column(String(64))
