from __future__ import annotations

from fastapi import APIRouter, Response

from backend_server.deps import AdminCaller, Context, DbSession
from backend_server.devices import service
from backend_server.devices.schemas import PracticeSessionOut

router = APIRouter(prefix="/practice/sessions", tags=["devices"])


@router.get("")
async def list_practice_sessions(ctx: Context, session: DbSession,
                                 caller: AdminCaller) -> list[PracticeSessionOut]:
    """Live login sessions of every user of the practice, newest use first."""
    return [PracticeSessionOut(
        id=row.session.id, user_id=row.user.id, user_email=row.user.email,
        user_display_name=row.user.display_name, device_name=row.session.device_name,
        created_at=row.session.created_at, last_used_at=row.session.last_used_at,
        current=row.session.id == caller.session_id)
        for row in await service.live_sessions(ctx, session)]


@router.delete("/{session_id}", status_code=204)
async def revoke_practice_session(session_id: str, ctx: Context, session: DbSession,
                                  caller: AdminCaller) -> Response:
    """Ends the session: its next call (and refresh) is refused with 401."""
    await service.revoke(ctx, session, caller, session_id)
    return Response(status_code=204)
