"""A practice's retention periods: the contract's ceilings, shortened per practice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.errors import ProblemError
from backend_server.models.retention_policy import (
    MAX_CONTENT_DAYS,
    MAX_VIDEO_DAYS,
    RetentionPolicy,
)
from backend_server.sync.registry import register_sync_kind


@dataclass(frozen=True)
class Periods:
    content_days: int = MAX_CONTENT_DAYS
    video_days: int = MAX_VIDEO_DAYS

    def content_cutoff(self, now: datetime) -> datetime:
        """Content created before this moment is expired."""
        return now - timedelta(days=self.content_days)

    def video_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.video_days)


def checked_periods(content_days: int, video_days: int) -> Periods:
    """Refuses longer-than-contract or non-positive periods with a 422 naming the field."""
    errors = []
    if not 1 <= content_days <= MAX_CONTENT_DAYS:
        errors.append({"loc": ["body", "content_days"],
                       "msg": f"must be between 1 and {MAX_CONTENT_DAYS} days"})
    if not 1 <= video_days <= MAX_VIDEO_DAYS:
        errors.append({"loc": ["body", "video_days"],
                       "msg": f"must be between 1 and {MAX_VIDEO_DAYS} days"})
    if errors:
        raise ProblemError(422, "validation_error",
                           "Retention periods may only be shortened.", errors=errors)
    return Periods(content_days, video_days)


async def periods_by_practice(session: AsyncSession) -> dict[str, Periods]:
    """Every practice's stored periods (practices without a row use the ceilings).
    The caller's session must be system-scoped or scoped to one practice."""
    rows = (await session.execute(select(RetentionPolicy))).scalars()
    return {r.practice_id: Periods(min(r.content_days, MAX_CONTENT_DAYS),
                                   min(r.video_days, MAX_VIDEO_DAYS)) for r in rows}


async def policy_row(session: AsyncSession, practice_id: str, now: datetime) -> RetentionPolicy:
    """The practice's row, made with the ceilings on first use (session scoped to it)."""
    row = (await session.execute(
        select(RetentionPolicy).where(RetentionPolicy.practice_id == practice_id)
    )).scalar_one_or_none()
    if row is None:
        row = RetentionPolicy(id=practice_id, practice_id=practice_id,
                              content_days=MAX_CONTENT_DAYS, video_days=MAX_VIDEO_DAYS,
                              updated_at=now)
        session.add(row)
        await session.flush()
    return row


def serialize_policy(row: RetentionPolicy) -> dict[str, object]:
    return {
        "id": row.id,
        "content_days": min(row.content_days, MAX_CONTENT_DAYS),
        "video_days": min(row.video_days, MAX_VIDEO_DAYS),
        "updated_at": row.updated_at.isoformat(),
        "last_purge_at": row.last_purge_at.isoformat() if row.last_purge_at else None,
    }


register_sync_kind(RetentionPolicy, serialize_policy)
