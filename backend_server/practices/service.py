from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.errors import ProblemError, not_found
from backend_server.models.practice import Practice
from backend_server.practices.repository import PracticeRepository


async def create_practice(
    session: AsyncSession, name: str, *, now: datetime, actor_user_id: str | None = None
) -> Practice:
    name = name.strip()
    if not name or len(name) > 200:
        raise ProblemError(422, "validation_error", "A practice needs a name of 1-200 chars.",
                           errors=[{"loc": ["name"], "msg": "1 to 200 characters"}])
    practice = Practice(name=name, created_at=now)
    await PracticeRepository(session).add(practice)
    await audit.record(session, "practice.create", at=now, practice_id=practice.id,
                       actor_user_id=actor_user_id, object_type="practice",
                       object_id=practice.id)
    return practice


async def get_practice(session: AsyncSession, practice_id: str) -> Practice:
    practice = await PracticeRepository(session).get(practice_id)
    if practice is None:
        raise not_found("No such practice.")
    return practice
