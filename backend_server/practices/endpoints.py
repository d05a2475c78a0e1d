from __future__ import annotations

from fastapi import APIRouter

from backend_server.deps import CurrentCaller, DbSession
from backend_server.practices.schemas import PracticeOut
from backend_server.practices.service import get_practice

router = APIRouter(prefix="/practices", tags=["practices"])


@router.get("/current")
async def current_practice(session: DbSession, caller: CurrentCaller) -> PracticeOut:
    return PracticeOut.model_validate(await get_practice(session, caller.practice_id))
