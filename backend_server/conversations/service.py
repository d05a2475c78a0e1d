"""Conversations, their patient links, and messages from both sides.

Nothing here logs: texts, names and tokens must never reach a log, and ids alone add
nothing the audit log does not already hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.conversations.repository import ConversationRepository, MessageRepository
from backend_server.errors import ProblemError, conflict, not_found
from backend_server.models.attachment import Attachment
from backend_server.models.conversation import Conversation
from backend_server.models.message import Message
from backend_server.models.practice import Practice
from backend_server.patient_links import service as patient_links
from backend_server.patients.paging import Page, cursor_time, decode_cursor, encode_cursor
from backend_server.patients.service import get_patient
from backend_server.practices.service import get_practice

MAX_IDEMPOTENCY_KEY = 200


@dataclass(frozen=True)
class IssuedLink:
    conversation: Conversation
    token: str


@dataclass(frozen=True)
class PostedMessage:
    message: Message
    created: bool  # False: a retry of an earlier request; the earlier message is returned


@dataclass(frozen=True)
class PatientView:
    conversation: Conversation
    practice: Practice
    messages: list[Message]
    link_expires_at: datetime  # of the link the patient came with


# Links live in backend_server.patient_links; kept here for callers of this module.
link_active = patient_links.link_active


async def create_conversation(
    session: AsyncSession, *, practice_id: str, patient_id: str, now: datetime,
    link_ttl: timedelta, actor_user_id: str | None,
) -> IssuedLink:
    patient = await get_patient(session, patient_id)
    conversation = Conversation(practice_id=practice_id, patient_id=patient.id,
                                unread_count=0, created_at=now, updated_at=now,
                                last_activity_at=now)
    await ConversationRepository(session).add(conversation)
    token = await patient_links.issue_link(session, conversation, now=now, ttl=link_ttl,
                                           reason="issued", revoke_older=True)
    await audit.record(session, "conversation.create", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="conversation",
                       object_id=conversation.id)
    await audit.record(session, "conversation.link.issue", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="conversation",
                       object_id=conversation.id)
    return IssuedLink(conversation, token)


async def get_conversation(session: AsyncSession, conversation_id: str) -> Conversation:
    conversation = await ConversationRepository(session).get(conversation_id)
    if conversation is None:
        raise not_found("No such conversation.")
    return conversation


async def list_conversations(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> Page[Conversation]:
    key = decode_cursor(cursor, 2)
    before = (cursor_time(key[0]), key[1]) if key else None
    rows = await ConversationRepository(session).newest_activity_first(before=before,
                                                                       limit=limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (encode_cursor([rows[-1].last_activity_at.isoformat(), rows[-1].id])
                   if rows else cursor)
    return Page(items=rows, cursor=next_cursor, has_more=has_more)


async def reissue_link(
    session: AsyncSession, conversation_id: str, *, now: datetime, link_ttl: timedelta,
    actor_user_id: str,
) -> IssuedLink:
    """A new link; all earlier ones stop working at once."""
    conversation = await get_conversation(session, conversation_id)
    token = await patient_links.issue_link(session, conversation, now=now, ttl=link_ttl,
                                           reason="issued", revoke_older=True)
    await audit.record(session, "conversation.link.issue", at=now,
                       practice_id=conversation.practice_id, actor_user_id=actor_user_id,
                       object_type="conversation", object_id=conversation.id)
    return IssuedLink(conversation, token)


async def revoke_link(
    session: AsyncSession, conversation_id: str, *, now: datetime, actor_user_id: str
) -> Conversation:
    conversation = await get_conversation(session, conversation_id)
    await patient_links.revoke_all(session, conversation, now=now)
    await audit.record(session, "conversation.link.revoke", at=now,
                       practice_id=conversation.practice_id, actor_user_id=actor_user_id,
                       object_type="conversation", object_id=conversation.id)
    return conversation


def _request_hash(author: str, text: str, attachments: Sequence[Attachment] = ()) -> str:
    # File names cannot hold a newline, so the parts cannot run into each other.
    files = "".join(f"\nfile:{a.filename}\n{a.sha256}" for a in attachments)
    return hashlib.sha256(f"{author}\n{text}{files}".encode()).hexdigest()


def _check_text(text: str, *, has_attachments: bool = False) -> None:
    if not text.strip() and not has_attachments:
        raise ProblemError(422, "validation_error", "The message is empty.",
                           errors=[{"loc": ["body", "text"], "msg": "the message is empty"}])


async def post_message(
    session: AsyncSession, conversation: Conversation, *, author: str,
    author_user_id: str | None, text: str, idempotency_key: str, now: datetime,
    attachments: Sequence[Attachment] = (),
) -> PostedMessage:
    """Adds a message once per idempotency key: a retry with the same text (and files) gets
    the message it created before; other content under a used key is refused with 409.
    ``text`` may be empty only when the message carries attachments."""
    _check_text(text, has_attachments=bool(attachments))
    messages = MessageRepository(session)
    request_hash = _request_hash(author, text, attachments)
    earlier = await messages.by_idempotency_key(conversation.id, idempotency_key)
    if earlier is not None:
        if earlier.request_hash != request_hash:
            raise conflict("This Idempotency-Key was already used for a different message.")
        return PostedMessage(earlier, created=False)
    message = Message(practice_id=conversation.practice_id, conversation_id=conversation.id,
                      author=author, author_user_id=author_user_id, text=text,
                      idempotency_key=idempotency_key, request_hash=request_hash,
                      created_at=now, attachments=list(attachments))
    await messages.add(message)
    # max(): demo content may be added with times before the newest message.
    conversation.last_activity_at = max(conversation.last_activity_at, now)
    conversation.updated_at = now
    if author == "staff":
        # Answering counts as having read what the patient wrote. unread_count itself is
        # kept by the summary flush hook (conversations/summary.py).
        for unread in await messages.unread(conversation.id, author="patient"):
            unread.read_at = now
    await ConversationRepository(session).save(conversation)
    return PostedMessage(message, created=True)


async def list_messages(
    session: AsyncSession, conversation_id: str, *, cursor: str | None, limit: int
) -> Page[Message]:
    conversation = await get_conversation(session, conversation_id)
    key = decode_cursor(cursor, 2)
    after = (cursor_time(key[0]), key[1]) if key else None
    rows = await MessageRepository(session).oldest_first(conversation.id, after=after,
                                                         limit=limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1].created_at.isoformat(), rows[-1].id]) if rows \
        else cursor
    return Page(items=rows, cursor=next_cursor, has_more=has_more)


async def conversation_for_token(
    session: AsyncSession, token: str, *, now: datetime
) -> Conversation:
    """The conversation a live patient link opens; scopes the session to its practice."""
    return (await patient_links.resolve(session, token, now=now)).conversation


async def patient_view(session: AsyncSession, token: str, *, now: datetime) -> PatientView:
    live = await patient_links.resolve(session, token, now=now)
    conversation = live.conversation
    practice = await get_practice(session, conversation.practice_id)
    messages = await MessageRepository(session).oldest_first(conversation.id, after=None,
                                                             limit=None)
    return PatientView(conversation, practice, messages, live.link.expires_at)
