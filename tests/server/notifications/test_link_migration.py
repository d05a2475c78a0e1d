"""Migration 0005 moves the link hashes of existing conversations into patient_links: a
patient's link from before the upgrade keeps working, a revoked one stays dead."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import Connection, text

from backend_server.app import create_app
from backend_server.clock import MutableClock
from backend_server.config import Settings
from backend_server.db.database import Database
from backend_server.db.migrate import alembic_config

NOW = "2026-11-20 10:00:00.000000"
EXPIRES = "2099-01-01 00:00:00.000000"


def _to(revision: str) -> object:
    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)
    return run


async def test_existing_links_survive_the_upgrade(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url="")
    live_token, revoked_token = "live-token-" + "x" * 32, "revoked-token-" + "y" * 32
    db = Database(settings)
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_to("0002"))  # type: ignore[arg-type]
            await connection.execute(text(
                "INSERT INTO practices (id, name, created_at) VALUES ('p1', 'Praxis Alt', :now)"),
                {"now": NOW})
            await connection.execute(text(
                "INSERT INTO patients (id, practice_id, name, search_name, dob, created_at, "
                "updated_at) VALUES ('pa1', 'p1', 'A', 'a', '1970-01-01', :now, :now)"),
                {"now": NOW})
            for cid, token_hash, revoked in (
                    ("c1", hashlib.sha256(live_token.encode()).hexdigest(), None),
                    ("c2", None, NOW)):
                await connection.execute(text(
                    "INSERT INTO conversations (id, practice_id, patient_id, link_token_hash, "
                    "link_expires_at, link_revoked_at, unread_count, created_at, updated_at, "
                    "last_activity_at) VALUES (:id, 'p1', 'pa1', :hash, :exp, :rev, 0, :now, "
                    ":now, :now)"),
                    {"id": cid, "hash": token_hash, "exp": EXPIRES, "rev": revoked, "now": NOW})
            await connection.execute(text(
                "INSERT INTO messages (id, practice_id, conversation_id, author, text, "
                "idempotency_key, request_hash, created_at) VALUES ('m1', 'p1', 'c1', "
                "'patient', 'Guten Tag', 'k', 'h', :now)"), {"now": NOW})
    finally:
        await db.dispose()

    app = create_app(settings, clock=MutableClock())  # starts by migrating to the head
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            opened = await client.get(f"/api/v1/p/{live_token}/conversation")
            assert opened.status_code == 200
            assert opened.json()["practice_name"] == "Praxis Alt"
            assert opened.json()["link_expires_at"].startswith("2099-01-01")
            # No message was lost on the way (a table rebuild would cascade-delete them).
            assert [m["text"] for m in opened.json()["messages"]] == ["Guten Tag"]
            gone = await client.get(f"/api/v1/p/{revoked_token}/conversation")
            assert gone.status_code == 404
        async with app.state.ctx.db.engine.connect() as connection:
            rows = (await connection.execute(text(
                "SELECT conversation_id, reason, revoked_at FROM patient_links"))).all()
            assert [tuple(r) for r in rows] == [("c1", "issued", None)]
            mirrored = dict((await connection.execute(text(
                "SELECT id, link_expires_at FROM conversations"))).all())
            hashes = (await connection.execute(text(
                "SELECT count(*) FROM conversations WHERE link_token_hash IS NOT NULL"))).scalar()
            assert hashes == 0  # the hashes live in patient_links only
            assert mirrored["c2"] is None  # revoked before: no live link now
            assert mirrored["c1"] is not None
