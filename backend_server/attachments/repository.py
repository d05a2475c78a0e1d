from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.attachment import Attachment
from backend_server.models.conversation import Conversation
from backend_server.models.patient import Patient
from backend_server.models.practice_key import PracticeKey


class AttachmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, attachment_id: str) -> Attachment | None:
        result = await self.session.execute(
            select(Attachment).where(Attachment.id == attachment_id))
        return result.scalar_one_or_none()

    async def get_in_conversation(self, conversation_id: str,
                                  attachment_id: str) -> Attachment | None:
        result = await self.session.execute(
            select(Attachment).where(Attachment.id == attachment_id,
                                     Attachment.conversation_id == conversation_id))
        return result.scalar_one_or_none()

    async def count(self) -> int:
        result = await self.session.execute(select(func.count()).select_from(Attachment))
        return int(result.scalar_one())


class PracticeKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, practice_id: str) -> PracticeKey | None:
        result = await self.session.execute(
            select(PracticeKey).where(PracticeKey.practice_id == practice_id))
        return result.scalar_one_or_none()

    async def add_unless_present(self, practice_id: str, wrapped_key: bytes,
                                 now: datetime) -> None:
        """Two first uploads of a practice may race: the second insert does nothing and
        both then use the row that won."""
        values = {"practice_id": practice_id, "wrapped_key": wrapped_key, "created_at": now}
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            await self.session.execute(pg_insert(PracticeKey).values(**values)
                                       .on_conflict_do_nothing(index_elements=["practice_id"]))
        else:
            await self.session.execute(sqlite_insert(PracticeKey).values(**values)
                                       .on_conflict_do_nothing(index_elements=["practice_id"]))


class DemoRepository:
    """Lookups only the demo seeder needs."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def conversation_of_patient(self, patient_name: str) -> Conversation | None:
        result = await self.session.execute(
            select(Conversation).join(Patient, Patient.id == Conversation.patient_id)
            .where(Patient.name == patient_name)
            .order_by(Conversation.created_at).limit(1))
        return result.scalar_one_or_none()
