"""An index on ``notes.inquiry_id``: deleting an inquiry sets its notes' ``inquiry_id`` to
null (ON DELETE SET NULL), which without it scanned every note of the database per deleted
inquiry — slow when the purge or an erasure removes many inquiries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notes_inquiry_id", "notes", ["inquiry_id"])


def downgrade() -> None:
    op.drop_index("ix_notes_inquiry_id", table_name="notes")
