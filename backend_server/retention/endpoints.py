from __future__ import annotations

from fastapi import APIRouter, Request

from backend_server.db.after_commit import after_commit
from backend_server.deps import AdminCaller, Context, CurrentCaller, DbSession
from backend_server.retention import service
from backend_server.retention.schemas import RetentionOut, RetentionUpdate

router = APIRouter(prefix="/practice", tags=["retention"])


@router.get("/retention")
async def get_retention(session: DbSession, caller: CurrentCaller) -> RetentionOut:
    """How long this practice keeps communication content and video metadata (days)."""
    return await service.current(session, caller.practice_id)


@router.put("/retention")
async def put_retention(body: RetentionUpdate, request: Request, ctx: Context,
                        session: DbSession, caller: AdminCaller) -> RetentionOut:
    """Admin only. Periods may only be shortened below the contract's ceilings
    (`max_content_days`, `max_video_days`); a longer one answers 422 naming the field."""
    out, shorter = await service.update(
        session, caller.practice_id, content_days=body.content_days,
        video_days=body.video_days, now=ctx.clock.now(), actor_user_id=caller.user.id)
    if shorter:
        scheduler = getattr(request.app.state, "purge_scheduler", None)
        if scheduler is not None:
            # Once committed, so the run reads the new periods.
            after_commit(session, scheduler.wake)
    return out
