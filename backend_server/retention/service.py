"""Reading and changing a practice's retention periods (only ever shorter than the
contract's ceilings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.models.retention_policy import MAX_CONTENT_DAYS, MAX_VIDEO_DAYS
from backend_server.retention.policy import (
    Periods,
    checked_periods,
    periods_by_practice,
    policy_row,
)
from backend_server.retention.schemas import RetentionOut


def _out(periods: Periods) -> RetentionOut:
    return RetentionOut(content_days=periods.content_days, video_days=periods.video_days,
                        max_content_days=MAX_CONTENT_DAYS, max_video_days=MAX_VIDEO_DAYS)


async def current(session: AsyncSession, practice_id: str) -> RetentionOut:
    """The practice's periods (the ceilings until an admin shortened them); writes nothing.
    The session is scoped to the practice."""
    return _out((await periods_by_practice(session)).get(practice_id, Periods()))


async def update(session: AsyncSession, practice_id: str, *, content_days: int,
                 video_days: int, now: datetime, actor_user_id: str) -> tuple[RetentionOut,
                                                                              bool]:
    """Stores new periods (422 naming the field if one is longer than allowed or < 1);
    returns them and whether either got shorter (the purge should run at once then)."""
    periods = checked_periods(content_days, video_days)
    row = await policy_row(session, practice_id, now)
    shorter = content_days < row.content_days or video_days < row.video_days
    if (row.content_days, row.video_days) != (content_days, video_days):
        row.content_days = content_days
        row.video_days = video_days
        row.updated_at = now
        await session.flush()
    await audit.record(session, "retention.update", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="retention_policy",
                       object_id=row.id)
    return _out(periods), shorter
