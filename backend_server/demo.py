"""The demo practice (``serve --demo``) and the hook later features use to add demo content.

Demo passwords are fixed and printed on purpose: this is a demo data dir, never a practice's.
Seeding is idempotent: running ``serve --demo`` again finds the practice and adds nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.context import ServerContext
from backend_server.practices import service as practices
from backend_server.practices.repository import PracticeRepository
from backend_server.users import service as users
from backend_server.users.repository import UserRepository

DEMO_PRACTICE_NAME = "Hausarztpraxis Dr. Demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    display_name: str


DEMO_LOGINS = (
    DemoLogin("praxis@demo.praxisdesk.de", "demo-admin-2024", "admin", "Dr. Anna Schneider"),
    DemoLogin("arzt@demo.praxisdesk.de", "demo-arzt-2024", "physician", "Dr. Jonas Weber"),
    DemoLogin("empfang@demo.praxisdesk.de", "demo-empfang-2024", "staff", "Lena Hoffmann"),
    DemoLogin("empfang2@demo.praxisdesk.de", "demo-empfang2-2024", "staff", "Mehmet Yilmaz"),
)

DemoSeeder = Callable[[ServerContext, AsyncSession, str], Awaitable[None]]
"""Called with the server context, a session scoped to the demo practice, and its id. Must be
idempotent itself (it runs on every ``serve --demo``)."""

_seeders: list[DemoSeeder] = []


def register_demo_seeder(fn: DemoSeeder) -> DemoSeeder:
    """Adds demo content after the practice and users exist; usable as a decorator."""
    if fn not in _seeders:
        _seeders.append(fn)
    return fn


async def seed_demo(ctx: ServerContext) -> tuple[str, tuple[DemoLogin, ...]]:
    now = ctx.clock.now()
    async with ctx.db.session(system=True) as session:
        practice = await PracticeRepository(session).by_name(DEMO_PRACTICE_NAME)
        if practice is None:
            practice = await practices.create_practice(session, DEMO_PRACTICE_NAME, now=now)
        repo = UserRepository(session)
        for login in DEMO_LOGINS:
            if await repo.by_email_any_practice(login.email) is None:
                await users.create_user(
                    session, practice_id=practice.id, email=login.email,
                    password=login.password, role=login.role,
                    display_name=login.display_name, now=now, actor_user_id=None)
        await session.commit()
        practice_id = practice.id
    for seeder in _seeders:
        async with ctx.db.session(practice_id=practice_id) as session:
            await seeder(ctx, session, practice_id)
            await session.commit()
    return practice_id, DEMO_LOGINS
