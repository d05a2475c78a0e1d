from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
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


class LegacyKeyRepository:
    """Key material older versions kept in the database (``practice_keys`` rows and
    ``attachments.wrapped_key``), read once to move it into the key store, then removed.
    Needs a system-scope session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def practice_keys(self) -> list[tuple[str, bytes, datetime]]:
        result = await self.session.execute(
            select(PracticeKey.practice_id, PracticeKey.wrapped_key, PracticeKey.created_at))
        return [(p, bytes(w), c) for p, w, c in result.all()]

    async def wrapped_blob_keys(self, limit: int) -> list[tuple[str, str, bytes, datetime]]:
        """``(practice_id, attachment_id, wrapped_key, created_at)`` of rows still holding
        a key."""
        result = await self.session.execute(
            select(Attachment.practice_id, Attachment.id, Attachment.wrapped_key,
                   Attachment.created_at)
            .where(func.length(Attachment.wrapped_key) > 0)
            .order_by(Attachment.id).limit(limit))
        return [(p, a, bytes(w), c) for p, a, w, c in result.all()]

    async def blank_blob_keys(self, attachment_ids: list[str]) -> None:
        await self.session.execute(update(Attachment).where(Attachment.id.in_(attachment_ids))
                                   .values(wrapped_key=b""))

    async def delete_practice_keys(self, practice_ids: list[str]) -> None:
        await self.session.execute(delete(PracticeKey)
                                   .where(PracticeKey.practice_id.in_(practice_ids)))


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
