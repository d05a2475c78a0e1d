"""Attachments of messages (metadata and wrapped keys; the bytes live encrypted on disk) and
the per-practice keys that wrap their keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_keys",
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                name=op.f("fk_practice_keys_practice_id_practices")),
        sa.PrimaryKeyConstraint("practice_id", name=op.f("pk_practice_keys")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(64), nullable=False),
        sa.Column("nonce", sa.LargeBinary(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                name=op.f("fk_attachments_practice_id_practices")),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE",
                                name=op.f("fk_attachments_conversation_id_conversations")),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE",
                                name=op.f("fk_attachments_message_id_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_practice_id"), "attachments", ["practice_id"])
    op.create_index(op.f("ix_attachments_message_id"), "attachments", ["message_id"])
    op.create_index("ix_attachments_conversation", "attachments", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("attachments")
    op.drop_table("practice_keys")
