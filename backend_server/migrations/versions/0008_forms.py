"""Forms (issue 8): a practice's versioned form definitions and the forms sent to patients
(with the patient's draft and the link to the submitted result).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_definitions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("form_id", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("practice_id", "form_id", "version",
                            name="uq_form_definitions_practice_form_version"),
    )
    op.create_index("ix_form_definitions_practice_id", "form_definitions", ["practice_id"])
    op.create_table(
        "form_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practice_id", sa.String(36),
                  sa.ForeignKey("practices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("conversation_id", sa.String(36),
                  sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("form_definition_id", sa.String(36),
                  sa.ForeignKey("form_definitions.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("draft_answers", sa.JSON(), nullable=False),
        sa.Column("sent_by_user_id", sa.String(36),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("inquiry_id", sa.String(36),
                  sa.ForeignKey("inquiries.id", ondelete="SET NULL"), nullable=True),
        sa.Column("attachment_id", sa.String(36),
                  sa.ForeignKey("attachments.id", ondelete="SET NULL"), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("practice_id", "idempotency_key",
                            name="uq_form_requests_practice_id_idempotency_key"),
    )
    op.create_index("ix_form_requests_practice_id", "form_requests", ["practice_id"])
    op.create_index("ix_form_requests_conversation", "form_requests", ["conversation_id"])
    op.create_index("ix_form_requests_practice_updated", "form_requests",
                    ["practice_id", "updated_at"])
    # Deleting an inquiry or attachment (purge, erasure) nulls these: index them, see 0007.
    op.create_index("ix_form_requests_inquiry_id", "form_requests", ["inquiry_id"])
    op.create_index("ix_form_requests_attachment_id", "form_requests", ["attachment_id"])


def downgrade() -> None:
    op.drop_table("form_requests")
    op.drop_table("form_definitions")
