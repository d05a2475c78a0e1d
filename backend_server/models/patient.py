from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id


class Patient(TenantScoped, Synced, Base):
    """A patient of one practice. Name, date of birth and contact data are health data:
    they never appear in logs or audit entries, only the id does."""

    __tablename__ = "patients"
    __sync_kind__ = "patient"
    __table_args__ = (Index("ix_patients_practice_search", "practice_id", "search_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # casefold()ed name: SQLite's lower()/LIKE only fold ASCII, so "Özdemir" would not match
    # "özdemir" without it.
    search_name: Mapped[str] = mapped_column(String(200))
    dob: Mapped[date] = mapped_column(Date())
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
