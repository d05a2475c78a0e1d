"""Inbox, second slice: inquiries, internal notes, reply templates, read state, idempotency
keys of updates/deletes, and the conversation summary columns.

Revision ID: 0004
Revises: 0003 (chained after the attachments migration)
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _practice_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_practice_id_practices"))


def _conversation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                   ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_conversation_id_conversations"))


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(_time("read_at", nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("open_inquiries", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("patient_name", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("last_message_preview", sa.String(120), nullable=False,
                                   server_default=""))

    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assignee_user_id", sa.String(36), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _practice_fk("inquiries"),
        _conversation_fk("inquiries"),
        sa.ForeignKeyConstraint(["assignee_user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_inquiries_assignee_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiries")),
        sa.UniqueConstraint("practice_id", "idempotency_key",
                            name="uq_inquiries_practice_id_idempotency_key"),
    )
    op.create_index(op.f("ix_inquiries_practice_id"), "inquiries", ["practice_id"])
    op.create_index("ix_inquiries_practice_created", "inquiries",
                    ["practice_id", "created_at"])
    op.create_index("ix_inquiries_conversation", "inquiries", ["conversation_id"])

    op.create_table(
        "notes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("inquiry_id", sa.String(36), nullable=True),
        sa.Column("author_user_id", sa.String(36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        _time("created_at"),
        _practice_fk("notes"),
        _conversation_fk("notes"),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="SET NULL",
                                name=op.f("fk_notes_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_notes_author_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("practice_id", "idempotency_key",
                            name="uq_notes_practice_id_idempotency_key"),
    )
    op.create_index(op.f("ix_notes_practice_id"), "notes", ["practice_id"])
    op.create_index("ix_notes_conversation_created", "notes",
                    ["conversation_id", "created_at"])

    op.create_table(
        "templates",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _practice_fk("templates"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
    )
    op.create_index(op.f("ix_templates_practice_id"), "templates", ["practice_id"])

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(36), nullable=False),
        _time("created_at"),
        _practice_fk("idempotency_keys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("practice_id", "kind", "key",
                            name="uq_idempotency_keys_practice_id_kind_key"),
    )
    op.create_index(op.f("ix_idempotency_keys_practice_id"), "idempotency_keys",
                    ["practice_id"])

    _backfill()


def _backfill() -> None:
    """Existing data under the new rules: the first slice counted a conversation's patient
    messages as read once staff answered, so those get the answer's time as read_at; then
    the summary columns are computed the way the flush hook keeps them."""
    op.execute("""
        UPDATE messages SET read_at = (
            SELECT MIN(s.created_at) FROM messages s
            WHERE s.conversation_id = messages.conversation_id AND s.author = 'staff'
              AND s.created_at >= messages.created_at)
        WHERE author = 'patient'
    """)
    op.execute("""
        UPDATE conversations SET
            patient_name = COALESCE((SELECT p.name FROM patients p
                                     WHERE p.id = conversations.patient_id), ''),
            unread_count = (SELECT COUNT(*) FROM messages m
                            WHERE m.conversation_id = conversations.id
                              AND m.author = 'patient' AND m.read_at IS NULL),
            last_message_preview = COALESCE((
                SELECT SUBSTR(m.text, 1, 120) FROM messages m
                WHERE m.conversation_id = conversations.id
                ORDER BY m.created_at DESC, m.id DESC LIMIT 1), '')
    """)


def downgrade() -> None:
    for table in ("idempotency_keys", "templates", "notes", "inquiries"):
        op.drop_table(table)
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("last_message_preview")
        batch.drop_column("patient_name")
        batch.drop_column("open_inquiries")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("read_at")
