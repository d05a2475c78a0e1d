from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

ROLES = ("admin", "physician", "staff")


class User(TenantScoped, Synced, Base):
    __tablename__ = "users"
    __sync_kind__ = "user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    # Stored lower-cased; unique across all practices because login is by e-mail alone.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    # Last accepted TOTP time step: a code is accepted once only.
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def totp_enabled(self) -> bool:
        return self.totp_secret is not None
