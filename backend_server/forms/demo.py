"""The demo practice gets the shipped form templates like every new practice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.context import ServerContext
from backend_server.demo import register_demo_seeder
from backend_server.forms import service


@register_demo_seeder
async def seed_demo_forms(ctx: ServerContext, session: AsyncSession, practice_id: str) -> None:
    await service.seed_templates(session, practice_id, now=ctx.clock.now())
