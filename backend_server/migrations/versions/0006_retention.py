"""Retention: per-practice periods (synced), the deletion log, detail hashes in the audit
chain, and an index that lets the purge drop change-log rows of purged objects.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "retention_policies",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("practice_id", sa.String(36), nullable=False),
        sa.Column("content_days", sa.Integer(), nullable=False),
        sa.Column("video_days", sa.Integer(), nullable=False),
        _time("updated_at"),
        _time("last_purge_at", nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE",
                                name="fk_retention_policies_practice_id_practices"),
        sa.PrimaryKeyConstraint("id", name="pk_retention_policies"),
    )
    op.create_index("ix_retention_policies_practice_id", "retention_policies", ["practice_id"])
    op.create_table(
        "deletion_log",
        sa.Column("id", sa.String(36), nullable=False),
        _time("at"),
        sa.Column("practice_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor_user_id", sa.String(36), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("ids", sa.JSON(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deletion_log"),
    )
    op.create_index("ix_deletion_log_practice_at", "deletion_log", ["practice_id", "at"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("detail_hash", sa.String(64), nullable=True))
    op.create_index("ix_change_log_object_id", "change_log", ["object_id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_object_id", table_name="change_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("detail_hash")
    op.drop_index("ix_deletion_log_practice_at", table_name="deletion_log")
    op.drop_table("deletion_log")
    op.drop_index("ix_retention_policies_practice_id", table_name="retention_policies")
    op.drop_table("retention_policies")
