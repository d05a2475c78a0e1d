"""Read marks. Staff reading a conversation marks the patient's messages read for the whole
practice; the patient's page reports which staff messages it has shown. The conversation's
``unread_count`` follows through the summary flush hook (conversations/summary.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.conversations import service as conversations
from backend_server.conversations.repository import MessageRepository
from backend_server.models.conversation import Conversation


async def staff_read(session: AsyncSession, conversation_id: str, *, now: datetime,
                     actor_user_id: str) -> Conversation:
    conversation = await conversations.get_conversation(session, conversation_id)
    for message in await MessageRepository(session).unread(conversation.id, author="patient"):
        message.read_at = now
    await session.flush()
    await audit.record(session, "conversation.read", at=now,
                       practice_id=conversation.practice_id, actor_user_id=actor_user_id,
                       object_type="conversation", object_id=conversation.id)
    return conversation


async def patient_read(session: AsyncSession, token: str, *, now: datetime) -> None:
    """Marks the staff messages written up to now: those are what the page has shown."""
    conversation = await conversations.conversation_for_token(session, token, now=now)
    for message in await MessageRepository(session).unread(conversation.id, author="staff",
                                                           until=now):
        message.read_at = now
    await session.flush()
