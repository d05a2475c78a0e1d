"""FastAPI dependencies: the request's DB session (committed at the request boundary), the
server context, and the authenticated caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.auth.service import Caller, authenticate
from backend_server.context import ServerContext
from backend_server.errors import forbidden


def get_context(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


Context = Annotated[ServerContext, Depends(get_context)]


async def get_session(ctx: Context) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed after the endpoint returns and before the
    response leaves (scope="function"), rolled back if anything raised."""
    async with ctx.db.session() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login")


async def get_caller(
    ctx: Context,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    return await authenticate(ctx, session, credentials.credentials if credentials else None)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_admin(caller: CurrentCaller) -> Caller:
    if caller.user.role != "admin":
        raise forbidden("Only an admin of the practice may do this.")
    return caller


AdminCaller = Annotated[Caller, Depends(get_admin)]
