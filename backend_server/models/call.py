"""The phone assistant's calls, their persistent job queue and each practice's telephony
settings (issue 5).

Everything a caller said or that was extracted from it (transcript, name, date of birth,
numbers, wished time) is communication content: never logged, purged after the practice's
content period like messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id

CALL_SOURCES = ("twilio", "upload", "demo")
CALL_STATUSES = ("new", "in_progress", "done")
CALL_PROCESSING = ("pending", "processing", "ready", "failed")
JOB_KINDS = ("download", "process")
# pending: waiting (maybe for its next attempt); done and failed are final.
JOB_STATES = ("pending", "done", "failed")


class Call(TenantScoped, Synced, Base):
    """One recorded call. The recording is an encrypted blob
    ``<data_dir>/blobs/<practice_id>/<id>`` whose key lives in the key store under this id
    (like attachments); ``recording_nonce`` is null while there is none."""

    __tablename__ = "calls"
    __sync_kind__ = "call"
    __table_args__ = (
        # A replayed webhook or upload never makes a second call.
        UniqueConstraint("practice_id", "external_id", name="uq_calls_practice_external"),
        Index("ix_calls_practice_created", "practice_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    from_number: Mapped[str | None] = mapped_column(String(50), default=None)
    to_number: Mapped[str | None] = mapped_column(String(50), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(20), default="new")
    processing: Mapped[str] = mapped_column(String(20), default="pending")
    category: Mapped[str | None] = mapped_column(String(20), default=None)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_reasons: Mapped[list[str]] = mapped_column(JSON(), default=list)
    transcript: Mapped[str | None] = mapped_column(Text(), default=None)
    caller_name: Mapped[str | None] = mapped_column(String(200), default=None)
    caller_dob: Mapped[str | None] = mapped_column(String(10), default=None)
    callback_number: Mapped[str | None] = mapped_column(String(50), default=None)
    wished_time: Mapped[str | None] = mapped_column(String(200), default=None)
    assignee_user_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    recording_nonce: Mapped[bytes | None] = mapped_column(LargeBinary(16), default=None)
    recording_size: Mapped[int | None] = mapped_column(Integer, default=None)
    patient_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("patients.id", ondelete="SET NULL"), default=None, index=True
    )
    inquiry_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("inquiries.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CallJob(TenantScoped, Base):
    """One step of a call's processing in the persistent queue. A worker takes a due job by
    setting ``locked_until`` (its lease); a job whose worker died is taken again once the
    lease has passed. Completion is conditional on the job not being done already, so no
    job's result is applied twice. ``payload`` holds what the step needs (the recording's
    URL and account id for a download), never content."""

    __tablename__ = "call_jobs"
    __table_args__ = (
        UniqueConstraint("call_id", "kind", name="uq_call_jobs_call_kind"),
        Index("ix_call_jobs_due", "state", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("calls.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The exception's type name of the last failure (never its message: it may quote data).
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class TelephonySettings(TenantScoped, Base):
    """One row per practice. The Twilio auth token is stored encrypted under the practice
    key; of the upload API key only its sha256 is kept."""

    __tablename__ = "telephony_settings"

    practice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    greeting: Mapped[str] = mapped_column(Text(), default="")
    twilio_token_sealed: Mapped[bytes | None] = mapped_column(LargeBinary(256), default=None)
    twilio_account_sid: Mapped[str | None] = mapped_column(String(64), default=None)
    upload_key_sha256: Mapped[str | None] = mapped_column(String(64), default=None,
                                                          unique=True)
    forward_number: Mapped[str | None] = mapped_column(String(50), default=None)
    # {"mon": [["08:00", "12:00"], ["14:00", "18:00"]], ...} in Europe/Berlin time.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    max_recording_seconds: Mapped[int] = mapped_column(Integer, default=120)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
