from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.note import Note


class NoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_idempotency_key(self, key: str) -> Note | None:
        result = await self.session.execute(select(Note).where(Note.idempotency_key == key))
        return result.scalar_one_or_none()

    async def of_conversation(self, conversation_id: str) -> list[Note]:
        result = await self.session.execute(
            select(Note).where(Note.conversation_id == conversation_id)
            .order_by(Note.created_at, Note.id))
        return list(result.scalars())

    async def add(self, note: Note) -> None:
        self.session.add(note)
        await self.session.flush()
