"""Running servers on chosen settings, seeding content, and comparing whole data dirs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from backend_server.app import create_app
from backend_server.attachments.samples import lab_report_pdf
from backend_server.clock import MutableClock
from backend_server.config import Settings
from backend_server.demo import seed_demo
from backend_server.models import Base
from tests.server.attachments.helpers import API, PNG, first_attachment, staff_upload
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import new_conversation, staff_send, token_of

# In a message and inside an attachment; must never appear in an archive in plaintext.
MARKER = "XQZ-4711-KLARTEXT"
MARKED_PDF = lab_report_pdf("Erika Mustermann", [f"Befund {MARKER}"])


@asynccontextmanager
async def running(settings: Settings, clock: MutableClock | None = None,
                  ) -> AsyncIterator[Harness]:
    """The real app on ``settings`` (lifespan included), reached over ASGI."""
    clock = clock or MutableClock()
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=settings.data_dir,
                          settings=settings)


@dataclass
class Seeded:
    staff: Account
    token: str  # the patient's link token of the marked conversation
    # attachment id -> plaintext
    files: dict[str, bytes]


async def seed(server: Harness) -> Seeded:
    """The demo practice (with its files) plus a practice of our own with marked content."""
    await seed_demo(server.ctx)
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    sent = await staff_send(server, staff, conversation["id"], f"Ihr Befund: {MARKER}")
    assert sent.status_code == 201, sent.text
    files: dict[str, bytes] = {}
    for name, data in (("Befund.pdf", MARKED_PDF), ("Foto.png", PNG)):
        response = await staff_upload(server, staff, conversation["id"], name, data,
                                      text="Anbei")
        assert response.status_code == 201, response.text
        files[first_attachment(response.json())["id"]] = data
    return Seeded(staff=staff, token=token_of(conversation), files=files)


async def download(server: Harness, who: Account, attachment_id: str) -> httpx.Response:
    return await server.client.get(f"{API}/attachments/{attachment_id}", headers=who.headers)


async def all_rows(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the models know (plus the schema version), sorted."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            tables: dict[str, list[tuple[Any, ...]]] = {}
            for table in Base.metadata.sorted_tables:
                rows = (await conn.execute(select(table))).all()
                tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
            tables["alembic_version"] = [tuple(r) for r in version]
    finally:
        await engine.dispose()
    return tables


def files_under(root: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file under ``root``."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def blob_tree(data_dir: Path) -> dict[str, bytes]:
    """The finished blobs (what a backup carries; uploads in progress are not)."""
    return {name: data for name, data in files_under(data_dir / "blobs").items()
            if "/.tmp/" not in f"/{name}"}
