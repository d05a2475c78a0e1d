"""Listing and revoking the login sessions of all users of the caller's practice (admins).

The rule for "live" is the one of a user's own session list (auth.service.active_sessions):
not revoked and used within the refresh-token lifetime. A revoked session's tokens stop
working at once: every bearer call and refresh checks ``revoked_at`` (auth.service).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.auth.repository import AuthSessionRepository
from backend_server.auth.service import Caller
from backend_server.context import ServerContext
from backend_server.errors import not_found
from backend_server.models.auth_session import AuthSession
from backend_server.models.user import User


@dataclass(frozen=True)
class PracticeSession:
    session: AuthSession
    user: User


async def live_sessions(ctx: ServerContext, session: AsyncSession) -> list[PracticeSession]:
    cutoff = ctx.clock.now() - ctx.refresh_ttl
    rows = await AuthSessionRepository(session).live_in_practice(used_after=cutoff)
    return [PracticeSession(s, u) for s, u in rows]


async def revoke(ctx: ServerContext, session: AsyncSession, caller: Caller,
                 session_id: str) -> None:
    """Ends any session of the practice (also the admin's own); revoking twice is fine."""
    auth_session = await AuthSessionRepository(session).get(session_id)
    if auth_session is None:
        raise not_found("No such session.")
    now = ctx.clock.now()
    if auth_session.revoked_at is None:
        auth_session.revoked_at = now
    await audit.record(session, "auth.session.revoke_admin", at=now,
                       practice_id=caller.practice_id, actor_user_id=caller.user.id,
                       object_type="auth_session", object_id=session_id)
