"""Video consultations (issue 4): appointments and call metadata.

Written in parallel with 0009 (phone assistant) and chained after it when both were merged.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_appointments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("patient_id", sa.String(36),
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False),
        sa.Column("conversation_id", sa.String(36),
                  sa.ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True),
        sa.Column("physician_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("code", sa.String(9), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("code_token_hash", sa.String(64), nullable=True),
        sa.Column("patient_display_name", sa.String(200), nullable=True),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_video_appointments_token_hash"),
        sa.UniqueConstraint("code_token_hash", name="uq_video_appointments_code_token_hash"),
    )
    op.create_index("ix_video_appointments_practice_id", "video_appointments",
                    ["practice_id"])
    op.create_index("ix_video_appointments_patient_id", "video_appointments", ["patient_id"])
    op.create_index("ix_video_appointments_code", "video_appointments", ["code"])
    op.create_index("ix_video_appointments_scheduled_at", "video_appointments",
                    ["scheduled_at"])
    op.create_table(
        "video_calls",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("appointment_id", sa.String(36),
                  sa.ForeignKey("video_appointments.id", ondelete="SET NULL"), nullable=True),
        sa.Column("patient_id", sa.String(36),
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False),
        sa.Column("physician_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_video_calls_practice_id", "video_calls", ["practice_id"])
    op.create_index("ix_video_calls_appointment_id", "video_calls", ["appointment_id"])
    op.create_index("ix_video_calls_patient_id", "video_calls", ["patient_id"])
    op.create_index("ix_video_calls_created_at", "video_calls", ["created_at"])


def downgrade() -> None:
    op.drop_table("video_calls")
    op.drop_table("video_appointments")
