from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.template import Template


class TemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, template_id: str) -> Template | None:
        result = await self.session.execute(select(Template).where(Template.id == template_id))
        return result.scalar_one_or_none()

    async def by_title(self) -> list[Template]:
        result = await self.session.execute(select(Template).order_by(Template.title,
                                                                      Template.id))
        return list(result.scalars())

    async def add(self, template: Template) -> None:
        self.session.add(template)
        await self.session.flush()

    async def save(self, template: Template) -> None:
        await self.session.flush()

    async def delete(self, template: Template) -> None:
        await self.session.delete(template)
        await self.session.flush()
