"""Phone assistant (issue 5): calls, their persistent job queue, telephony settings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("from_number", sa.String(50), nullable=True),
        sa.Column("to_number", sa.String(50), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("processing", sa.String(20), nullable=False),
        sa.Column("category", sa.String(20), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("urgent_reasons", sa.JSON(), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("caller_name", sa.String(200), nullable=True),
        sa.Column("caller_dob", sa.String(10), nullable=True),
        sa.Column("callback_number", sa.String(50), nullable=True),
        sa.Column("wished_time", sa.String(200), nullable=True),
        sa.Column("assignee_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("recording_nonce", sa.LargeBinary(16), nullable=True),
        sa.Column("recording_size", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.String(36),
                  sa.ForeignKey("patients.id", ondelete="SET NULL"), nullable=True),
        sa.Column("inquiry_id", sa.String(36),
                  sa.ForeignKey("inquiries.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("practice_id", "external_id", name="uq_calls_practice_external"),
    )
    op.create_index("ix_calls_practice_id", "calls", ["practice_id"])
    op.create_index("ix_calls_practice_created", "calls", ["practice_id", "created_at"])
    # Deleting a patient or inquiry nulls these: index them (see 0007).
    op.create_index("ix_calls_patient_id", "calls", ["patient_id"])
    op.create_index("ix_calls_inquiry_id", "calls", ["inquiry_id"])
    op.create_table(
        "call_jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("call_id", sa.String(36),
                  sa.ForeignKey("calls.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("call_id", "kind", name="uq_call_jobs_call_kind"),
    )
    op.create_index("ix_call_jobs_practice_id", "call_jobs", ["practice_id"])
    op.create_index("ix_call_jobs_call_id", "call_jobs", ["call_id"])
    op.create_index("ix_call_jobs_due", "call_jobs", ["state", "next_attempt_at"])
    op.create_table(
        "telephony_settings",
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("greeting", sa.Text(), nullable=False),
        sa.Column("twilio_token_sealed", sa.LargeBinary(256), nullable=True),
        sa.Column("twilio_account_sid", sa.String(64), nullable=True),
        sa.Column("upload_key_sha256", sa.String(64), nullable=True),
        sa.Column("forward_number", sa.String(50), nullable=True),
        sa.Column("opening_hours", sa.JSON(), nullable=False),
        sa.Column("max_recording_seconds", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("upload_key_sha256",
                            name="uq_telephony_settings_upload_key_sha256"),
    )


def downgrade() -> None:
    op.drop_table("telephony_settings")
    op.drop_table("call_jobs")
    op.drop_table("calls")
