"""Patient links in their own table: a conversation may have several live links (staff
issued, one per notification e-mail). Existing link hashes move over; ``conversations``
keeps ``link_expires_at`` (the newest live link's expiry, null when none is live) and an
always-null legacy ``link_token_hash``.

Revision ID: 0005
Revises: 0002 (the integrator chains it after 0004)
Create Date: 2026-11-28
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


_conversations = sa.table(
    "conversations",
    sa.column("id", sa.String), sa.column("practice_id", sa.String),
    sa.column("link_token_hash", sa.String),
    sa.column("link_expires_at", sa.DateTime(timezone=True)),
    sa.column("link_revoked_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_links = sa.table(
    "patient_links",
    sa.column("id", sa.String), sa.column("practice_id", sa.String),
    sa.column("conversation_id", sa.String), sa.column("token_hash", sa.String),
    sa.column("expires_at", sa.DateTime(timezone=True)),
    sa.column("revoked_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("reason", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "patient_links",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _time("expires_at"),
        _time("revoked_at", nullable=True),
        _time("created_at"),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                name=op.f("fk_patient_links_practice_id_practices")),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE",
                                name=op.f("fk_patient_links_conversation_id_conversations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_patient_links_token_hash")),
    )
    op.create_index(op.f("ix_patient_links_practice_id"), "patient_links", ["practice_id"])
    op.create_index(op.f("ix_patient_links_conversation_id"), "patient_links",
                    ["conversation_id"])

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_conversations.c.id, _conversations.c.practice_id,
                  _conversations.c.link_token_hash, _conversations.c.link_expires_at,
                  _conversations.c.updated_at)
        .where(_conversations.c.link_token_hash.is_not(None))).all()
    if rows:
        # The issue time was not kept; the conversation's last change is the best guess.
        op.bulk_insert(_links, [
            {"id": str(uuid.uuid4()), "practice_id": r.practice_id, "conversation_id": r.id,
             "token_hash": r.link_token_hash, "expires_at": r.link_expires_at,
             "revoked_at": None, "created_at": r.updated_at, "reason": "issued"}
            for r in rows])
    # A revoked link kept its old expiry before; now a null expiry means "no live link".
    bind.execute(sa.update(_conversations).where(_conversations.c.link_token_hash.is_(None))
                 .values(link_expires_at=None))
    # The hashes now live in patient_links only. The column itself stays (always null):
    # SQLite cannot drop a UNIQUE column in place, and rebuilding ``conversations`` (batch
    # mode) with foreign keys on would cascade-delete every message and link.
    bind.execute(sa.update(_conversations).values(link_token_hash=None))
    op.drop_column("conversations", "link_revoked_at")  # native ALTER TABLE, no rebuild


def downgrade() -> None:
    op.add_column("conversations", _time("link_revoked_at", nullable=True))
    bind = op.get_bind()
    # Only one link fits the old columns: keep the newest live one per conversation.
    newest: dict[str, str] = {}
    for row in bind.execute(
            sa.select(_links.c.conversation_id, _links.c.token_hash)
            .where(_links.c.revoked_at.is_(None)).order_by(_links.c.created_at)):
        newest[row.conversation_id] = row.token_hash
    for conversation_id, token_hash in newest.items():
        bind.execute(sa.update(_conversations).where(_conversations.c.id == conversation_id)
                     .values(link_token_hash=token_hash))
    op.drop_table("patient_links")
