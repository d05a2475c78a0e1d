from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.form import FormDefinition, FormRequest


class FormDefinitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, definition_id: str) -> FormDefinition | None:
        result = await self.session.execute(
            select(FormDefinition).where(FormDefinition.id == definition_id))
        return result.scalar_one_or_none()

    async def listing(self, status: str | None) -> list[FormDefinition]:
        query = select(FormDefinition)
        if status is not None:
            query = query.where(FormDefinition.status == status)
        result = await self.session.execute(
            query.order_by(FormDefinition.title, FormDefinition.version.desc(),
                           FormDefinition.id))
        return list(result.scalars())

    async def versions_of(self, form_id: str) -> list[FormDefinition]:
        result = await self.session.execute(
            select(FormDefinition).where(FormDefinition.form_id == form_id)
            .order_by(FormDefinition.version))
        return list(result.scalars())

    async def max_version(self, form_id: str) -> int | None:
        result = await self.session.execute(
            select(func.max(FormDefinition.version)).where(FormDefinition.form_id == form_id))
        value = result.scalar_one_or_none()
        return int(value) if value is not None else None

    async def add(self, definition: FormDefinition) -> None:
        self.session.add(definition)
        await self.session.flush()

    async def save(self) -> None:
        await self.session.flush()


class FormRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, request_id: str) -> FormRequest | None:
        result = await self.session.execute(
            select(FormRequest).where(FormRequest.id == request_id))
        return result.scalar_one_or_none()

    async def in_conversation(self, conversation_id: str, request_id: str
                              ) -> FormRequest | None:
        result = await self.session.execute(
            select(FormRequest).where(FormRequest.id == request_id,
                                      FormRequest.conversation_id == conversation_id))
        return result.scalar_one_or_none()

    async def by_idempotency_key(self, key: str) -> FormRequest | None:
        result = await self.session.execute(
            select(FormRequest).where(FormRequest.idempotency_key == key))
        return result.scalar_one_or_none()

    async def by_attachment(self, attachment_id: str) -> FormRequest | None:
        result = await self.session.execute(
            select(FormRequest).where(FormRequest.attachment_id == attachment_id))
        return result.scalar_one_or_none()

    async def of_conversation(self, conversation_id: str, *,
                              include_cancelled: bool = True) -> list[FormRequest]:
        query = select(FormRequest).where(FormRequest.conversation_id == conversation_id)
        if not include_cancelled:
            query = query.where(FormRequest.status != "cancelled")
        result = await self.session.execute(
            query.order_by(FormRequest.created_at.desc(), FormRequest.id.desc()))
        return list(result.scalars())

    async def add(self, request: FormRequest) -> None:
        self.session.add(request)
        await self.session.flush()

    async def save(self) -> None:
        await self.session.flush()
