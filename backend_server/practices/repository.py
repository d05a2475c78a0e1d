from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.practice import Practice


class PracticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, practice_id: str) -> Practice | None:
        return await self.session.get(Practice, practice_id)

    async def by_name(self, name: str) -> Practice | None:
        result = await self.session.execute(select(Practice).where(Practice.name == name))
        return result.scalars().first()

    async def count(self) -> int:
        result = await self.session.execute(select(func.count()).select_from(Practice))
        return int(result.scalar_one())

    async def add(self, practice: Practice) -> None:
        self.session.add(practice)
        await self.session.flush()
