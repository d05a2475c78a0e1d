from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, TenantScoped, UTCDateTime, new_id


class IdempotencyKey(TenantScoped, Base):
    """Remembers writes that have no row of their own to carry the key: updates and
    deletes (``inquiry.update``, ``template.*``). Creates of content rows (inquiries, notes,
    messages) keep the key on the row itself, so nothing derived from health data outlives
    the row. ``request_hash`` here covers ids, statuses and template texts only."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("practice_id", "kind", "key",
                         name="uq_idempotency_keys_practice_id_kind_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
