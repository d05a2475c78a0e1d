"""Every query of video consultations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.conversation import Conversation
from backend_server.models.user import User
from backend_server.models.video import VideoAppointment, VideoCall

# Appointments whose link can no longer open anything.
CLOSED = ("cancelled", "ended")


class VideoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: VideoAppointment | VideoCall) -> None:
        self.session.add(row)
        await self.session.flush()

    async def appointment(self, appointment_id: str) -> VideoAppointment | None:
        result = await self.session.execute(
            select(VideoAppointment).where(VideoAppointment.id == appointment_id))
        return result.scalar_one_or_none()

    async def by_token_hash_any_practice(self, token_hash: str) -> VideoAppointment | None:
        """Before the practice is known (the patient only has the link)."""
        result = await self.session.execute(
            select(VideoAppointment).where(or_(VideoAppointment.token_hash == token_hash,
                                               VideoAppointment.code_token_hash == token_hash))
            .execution_options(**ALL_PRACTICES))
        return result.scalar_one_or_none()

    async def valid_by_code_any_practice(self, code: str,
                                         now: datetime) -> list[VideoAppointment]:
        """Appointments with this code whose link still works (all practices: codes are
        unique among those)."""
        result = await self.session.execute(
            select(VideoAppointment).where(VideoAppointment.code == code,
                                           VideoAppointment.valid_until > now,
                                           VideoAppointment.status.not_in(CLOSED))
            .execution_options(**ALL_PRACTICES))
        return list(result.scalars())

    async def between(self, start: datetime, end: datetime) -> list[VideoAppointment]:
        result = await self.session.execute(
            select(VideoAppointment).where(VideoAppointment.scheduled_at >= start,
                                           VideoAppointment.scheduled_at < end)
            .order_by(VideoAppointment.scheduled_at, VideoAppointment.id))
        return list(result.scalars())

    async def newest_conversation(self, patient_id: str) -> Conversation | None:
        result = await self.session.execute(
            select(Conversation).where(Conversation.patient_id == patient_id)
            .order_by(Conversation.last_activity_at.desc(), Conversation.id).limit(1))
        return result.scalar_one_or_none()

    async def user(self, user_id: str) -> User | None:
        result = await self.session.execute(select(User).where(User.id == user_id))
        return result.scalar_one_or_none()

    async def call(self, call_id: str) -> VideoCall | None:
        result = await self.session.execute(select(VideoCall).where(VideoCall.id == call_id))
        return result.scalar_one_or_none()

    async def calls_of_patient(self, patient_id: str) -> list[VideoCall]:
        result = await self.session.execute(
            select(VideoCall).where(VideoCall.patient_id == patient_id)
            .order_by(VideoCall.started_at.desc(), VideoCall.id))
        return list(result.scalars())

    async def appointments_of_patient(self, patient_id: str) -> list[VideoAppointment]:
        result = await self.session.execute(
            select(VideoAppointment).where(VideoAppointment.patient_id == patient_id)
            .order_by(VideoAppointment.scheduled_at, VideoAppointment.id))
        return list(result.scalars())

    async def live_appointments(self) -> list[VideoAppointment]:
        """System scope: every practice's waiting or in-call appointments."""
        result = await self.session.execute(
            select(VideoAppointment).where(VideoAppointment.status.in_(("waiting", "in_call"))))
        return list(result.scalars())

    async def open_calls(self) -> list[VideoCall]:
        result = await self.session.execute(
            select(VideoCall).where(VideoCall.ended_at.is_(None)))
        return list(result.scalars())

    async def delete_rows(self, rows: Sequence[VideoAppointment | VideoCall]) -> None:
        """ORM deletes: each writes its sync tombstone."""
        for row in rows:
            await self.session.delete(row)
        await self.session.flush()
