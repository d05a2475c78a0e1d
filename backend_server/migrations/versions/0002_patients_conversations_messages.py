"""Secure inbox, first slice: patients, conversations (with hashed patient link tokens) and
messages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _practice_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_practice_id_practices"))


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("search_name", sa.String(200), nullable=False),
        sa.Column("dob", sa.Date(), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        _time("created_at"),
        _time("updated_at"),
        _practice_fk("patients"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
    )
    op.create_index(op.f("ix_patients_practice_id"), "patients", ["practice_id"])
    op.create_index("ix_patients_practice_search", "patients", ["practice_id", "search_name"])

    op.create_table(
        "conversations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=False),
        sa.Column("link_token_hash", sa.String(64), nullable=True),
        _time("link_expires_at", nullable=True),
        _time("link_revoked_at", nullable=True),
        sa.Column("unread_count", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _time("last_activity_at"),
        _practice_fk("conversations"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE",
                                name=op.f("fk_conversations_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("link_token_hash", name=op.f("uq_conversations_link_token_hash")),
    )
    op.create_index(op.f("ix_conversations_practice_id"), "conversations", ["practice_id"])
    op.create_index(op.f("ix_conversations_patient_id"), "conversations", ["patient_id"])
    op.create_index("ix_conversations_practice_activity", "conversations",
                    ["practice_id", "last_activity_at"])

    op.create_table(
        "messages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("author", sa.String(10), nullable=False),
        sa.Column("author_user_id", sa.String(36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        _time("created_at"),
        _practice_fk("messages"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE",
                                name=op.f("fk_messages_conversation_id_conversations")),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_messages_author_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("conversation_id", "idempotency_key",
                            name="uq_messages_conversation_id_idempotency_key"),
    )
    op.create_index(op.f("ix_messages_practice_id"), "messages", ["practice_id"])
    op.create_index("ix_messages_conversation_created", "messages",
                    ["conversation_id", "created_at"])


def downgrade() -> None:
    for table in ("messages", "conversations", "patients"):
        op.drop_table(table)
