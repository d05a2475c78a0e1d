from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend_server.audit.repository import AuditRepository
from backend_server.audit.schemas import AuditEntryOut
from backend_server.deps import AdminCaller, DbSession

router = APIRouter(tags=["audit"])


@router.get("/audit")
async def list_audit(
    session: DbSession,
    caller: AdminCaller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, description="only entries with seq < before")]
    = None,
) -> list[AuditEntryOut]:
    entries = await AuditRepository(session).list_for_practice(
        caller.practice_id, limit=limit, before=before)
    return [AuditEntryOut.model_validate(e, from_attributes=True) for e in entries]
