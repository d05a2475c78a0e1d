from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.change_log import ChangeLog


class ChangeLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_changes_after(self, seq: int, limit: int) -> list[tuple[str, str, int]]:
        """(kind, object_id, last seq) of every object changed after ``seq``, once each,
        ordered by its latest change."""
        last = func.max(ChangeLog.seq).label("last")
        result = await self.session.execute(
            select(ChangeLog.kind, ChangeLog.object_id, last)
            .where(ChangeLog.seq > seq)
            .group_by(ChangeLog.kind, ChangeLog.object_id)
            .order_by(last)
            .limit(limit)
        )
        return [(row.kind, row.object_id, int(row.last)) for row in result]

    async def count_objects_after(self, seq: int) -> int:
        """How many distinct objects changed after ``seq`` (what the next pages will hold)."""
        distinct = (select(ChangeLog.kind, ChangeLog.object_id)
                    .where(ChangeLog.seq > seq)
                    .group_by(ChangeLog.kind, ChangeLog.object_id)
                    .subquery())
        result = await self.session.execute(select(func.count()).select_from(distinct))
        return int(result.scalar_one())

    async def newest_seq_all_practices(self) -> int:
        """The highest change-log position of any practice (to notice writes made by other
        processes); the caller's session must be system-scoped."""
        result = await self.session.execute(select(func.max(ChangeLog.seq)))
        return int(result.scalar_one() or 0)

    async def load(self, model: Any, ids: list[str]) -> dict[str, Any]:
        result = await self.session.execute(select(model).where(model.id.in_(ids)))
        return {obj.id: obj for obj in result.scalars()}
