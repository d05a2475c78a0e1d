from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.inquiry import Inquiry


class InquiryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, inquiry_id: str) -> Inquiry | None:
        result = await self.session.execute(select(Inquiry).where(Inquiry.id == inquiry_id))
        return result.scalar_one_or_none()

    async def by_idempotency_key(self, key: str) -> Inquiry | None:
        result = await self.session.execute(
            select(Inquiry).where(Inquiry.idempotency_key == key))
        return result.scalar_one_or_none()

    async def of_conversation(self, conversation_id: str) -> list[Inquiry]:
        result = await self.session.execute(
            select(Inquiry).where(Inquiry.conversation_id == conversation_id)
            .order_by(Inquiry.created_at, Inquiry.id))
        return list(result.scalars())

    async def newest_first(
        self, *, status: str | None, type_: str | None, assignee_user_id: str | None,
        before: tuple[datetime, str] | None, limit: int,
    ) -> list[Inquiry]:
        query = select(Inquiry)
        if status is not None:
            query = query.where(Inquiry.status == status)
        if type_ is not None:
            query = query.where(Inquiry.type == type_)
        if assignee_user_id is not None:
            query = query.where(Inquiry.assignee_user_id == assignee_user_id)
        if before is not None:
            query = query.where(or_(Inquiry.created_at < before[0],
                                    and_(Inquiry.created_at == before[0],
                                         Inquiry.id < before[1])))
        result = await self.session.execute(
            query.order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(limit))
        return list(result.scalars())

    async def add(self, inquiry: Inquiry) -> None:
        self.session.add(inquiry)
        await self.session.flush()

    async def save(self, inquiry: Inquiry) -> None:
        await self.session.flush()
