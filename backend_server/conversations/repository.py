from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.conversation import Conversation
from backend_server.models.message import Message


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: str) -> Conversation | None:
        result = await self.session.execute(
            select(Conversation).where(Conversation.id == conversation_id))
        return result.scalar_one_or_none()

    async def newest_activity_first(
        self, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Conversation]:
        query = select(Conversation)
        if before is not None:
            query = query.where(or_(Conversation.last_activity_at < before[0],
                                    and_(Conversation.last_activity_at == before[0],
                                         Conversation.id < before[1])))
        result = await self.session.execute(
            query.order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
            .limit(limit))
        return list(result.scalars())

    async def add(self, conversation: Conversation) -> None:
        self.session.add(conversation)
        await self.session.flush()

    async def save(self, conversation: Conversation) -> None:
        await self.session.flush()


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_idempotency_key(self, conversation_id: str, key: str) -> Message | None:
        result = await self.session.execute(
            select(Message).where(Message.conversation_id == conversation_id,
                                  Message.idempotency_key == key))
        return result.scalar_one_or_none()

    async def oldest_first(
        self, conversation_id: str, *, after: tuple[datetime, str] | None, limit: int | None
    ) -> list[Message]:
        query = select(Message).where(Message.conversation_id == conversation_id)
        if after is not None:
            query = query.where(or_(Message.created_at > after[0],
                                    and_(Message.created_at == after[0],
                                         Message.id > after[1])))
        query = query.order_by(Message.created_at, Message.id)
        if limit is not None:
            query = query.limit(limit)
        result = await self.session.execute(query)
        return list(result.scalars())

    async def add(self, message: Message) -> None:
        self.session.add(message)
        await self.session.flush()

    async def unread(self, conversation_id: str, *, author: str,
                     until: datetime | None = None) -> list[Message]:
        """Messages of one side that the other side has not seen yet."""
        query = select(Message).where(Message.conversation_id == conversation_id,
                                      Message.author == author, Message.read_at.is_(None))
        if until is not None:
            query = query.where(Message.created_at <= until)
        result = await self.session.execute(query)
        return list(result.scalars())
