from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.patient_link import PatientLink


class PatientLinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, link: PatientLink) -> None:
        self.session.add(link)
        await self.session.flush()

    async def get(self, link_id: str) -> PatientLink | None:
        result = await self.session.execute(
            select(PatientLink).where(PatientLink.id == link_id))
        return result.scalar_one_or_none()

    async def save(self, link: PatientLink) -> None:
        await self.session.flush()

    async def by_hash_any_practice(self, token_hash: str) -> PatientLink | None:
        """The patient has no account: the token alone names the link, its conversation and
        with it the practice the request is then scoped to."""
        result = await self.session.execute(
            select(PatientLink).where(PatientLink.token_hash == token_hash)
            .execution_options(**ALL_PRACTICES))
        return result.scalar_one_or_none()

    async def revoke_unrevoked(self, conversation_id: str, now: datetime) -> None:
        await self.session.execute(
            update(PatientLink)
            .where(PatientLink.conversation_id == conversation_id,
                   PatientLink.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session="fetch"))

    async def newest_unrevoked_expiry(self, conversation_id: str) -> datetime | None:
        result = await self.session.execute(
            select(PatientLink.expires_at)
            .where(PatientLink.conversation_id == conversation_id,
                   PatientLink.revoked_at.is_(None))
            .order_by(PatientLink.created_at.desc(), PatientLink.expires_at.desc()).limit(1))
        return result.scalar_one_or_none()

    async def newest(self, conversation_id: str) -> PatientLink | None:
        result = await self.session.execute(
            select(PatientLink).where(PatientLink.conversation_id == conversation_id)
            .order_by(PatientLink.created_at.desc()).limit(1))
        return result.scalar_one_or_none()

    async def last_created(self, conversation_id: str, reason: str) -> datetime | None:
        result = await self.session.execute(
            select(func.max(PatientLink.created_at))
            .where(PatientLink.conversation_id == conversation_id,
                   PatientLink.reason == reason))
        value = result.scalar_one_or_none()
        return value if isinstance(value, datetime) or value is None else None
