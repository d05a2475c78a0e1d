"""Video consultations (issue 4): the appointment a patient joins, and the metadata of each
call. No media and no SDP is ever stored: only times, roles and a quality summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

VIDEO_STATUSES = ("scheduled", "waiting", "in_call", "ended", "cancelled")


class VideoAppointment(TenantScoped, Synced, Base):
    """One appointment. The link token is kept only as its sha256; the 9-character code is
    unique among the appointments whose link is still valid (checked when it is made)."""

    __tablename__ = "video_appointments"
    __sync_kind__ = "video_appointment"
    __table_args__ = (Index("ix_video_appointments_code", "code"),
                      Index("ix_video_appointments_scheduled_at", "scheduled_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("conversations.id", ondelete="SET NULL"), default=None)
    physician_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(9))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A join by code gets its own token, so the e-mailed link keeps working beside it.
    code_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    patient_display_name: Mapped[str | None] = mapped_column(String(200), default=None)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class VideoCall(TenantScoped, Synced, Base):
    """Metadata of one call (admit to hang-up): for the history and billing, purged 90
    days after ``created_at``."""

    __tablename__ = "video_calls"
    __sync_kind__ = "video_call"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("video_appointments.id", ondelete="SET NULL"), index=True,
        default=None)
    patient_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    physician_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    duration_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    # Roles only, e.g. ["physician", "patient"]; never names.
    participants: Mapped[list[str]] = mapped_column(JSON())
    quality: Mapped[dict[str, Any] | None] = mapped_column(JSON(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
