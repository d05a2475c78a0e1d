from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.sync.schemas import ChangesOut
from backend_server.sync.service import changes_since

router = APIRouter(prefix="/sync", tags=["sync"])


@router.get("/changes")
async def changes(
    ctx: Context,
    session: DbSession,
    caller: CurrentCaller,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
) -> ChangesOut:
    return await changes_since(session, cursor, limit or ctx.settings.sync_page_size)
