from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id


class Template(TenantScoped, Synced, Base):
    """A reply text the practice reuses ("Ihr Rezept liegt zur Abholung bereit")."""

    __tablename__ = "templates"
    __sync_kind__ = "template"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
