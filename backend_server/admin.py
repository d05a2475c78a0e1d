"""Administrative operations outside a request (CLI, demo seeding, test support).

They run with a system-scoped session (all practices visible) and commit themselves.
"""

from __future__ import annotations

from datetime import datetime

from backend_server.audit import service as audit
from backend_server.audit.chain import ChainReport
from backend_server.context import ServerContext
from backend_server.forms import service as forms
from backend_server.practices import service as practices
from backend_server.retention.erasure import reapply_erasures
from backend_server.retention.purge import PurgeReport, run_purge
from backend_server.retention.verify import DeletionLogReport, verify_deletion_log
from backend_server.users import service as users


async def create_practice(ctx: ServerContext, name: str) -> str:
    async with ctx.db.session(system=True) as session:
        practice = await practices.create_practice(session, name, now=ctx.clock.now())
        await session.commit()
    # The shipped form templates as the new practice's first forms (issue 8).
    async with ctx.db.session(practice_id=practice.id) as session:
        await forms.seed_templates(session, practice.id, now=ctx.clock.now())
        await session.commit()
    return practice.id


async def create_user(
    ctx: ServerContext,
    *,
    practice_id: str,
    email: str,
    role: str,
    password: str,
    display_name: str | None = None,
) -> str:
    async with ctx.db.session(system=True) as session:
        user = await users.create_user(
            session, practice_id=practice_id, email=email, password=password, role=role,
            display_name=display_name, now=ctx.clock.now(), actor_user_id=None)
        await session.commit()
        return user.id


async def verify_audit_log(ctx: ServerContext) -> ChainReport:
    async with ctx.db.session(system=True) as session:
        return await audit.verify(session)


async def verify_deletion_log_entries(ctx: ServerContext) -> DeletionLogReport:
    async with ctx.db.session(system=True) as session:
        return await verify_deletion_log(session)


async def purge(ctx: ServerContext, now: datetime | None, *, dry_run: bool) -> PurgeReport:
    return await run_purge(ctx, now, dry_run=dry_run)


async def after_restore(ctx: ServerContext) -> tuple[int, PurgeReport]:
    """What a restore must never bring back: erasures recorded since the backup (the key
    store's ledger) are applied again, then everything expired by now is purged."""
    erased = await reapply_erasures(ctx)
    return erased, await run_purge(ctx, ctx.clock.now(), kind="restore_purge")
