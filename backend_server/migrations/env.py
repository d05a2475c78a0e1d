"""Alembic environment: always runs on a connection handed in by backend_server.db.migrate."""

from __future__ import annotations

from alembic import context

import backend_server.models  # noqa: F401  (registers all tables)
from backend_server.models.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through backend_server.db.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
