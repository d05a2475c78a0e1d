"""Issuing, revoking and resolving patient links.

A conversation may have several live links: staff issue one (which revokes all older ones),
and every notification e-mail carries a fresh one while older links keep working until they
expire. ``Conversation.link_expires_at`` mirrors the newest live link's expiry.
Nothing here logs: tokens must never reach a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.conversations.links import hash_link_token, new_link_token
from backend_server.conversations.repository import ConversationRepository
from backend_server.db.tenancy import set_practice_scope
from backend_server.errors import ProblemError, not_found
from backend_server.models.conversation import Conversation
from backend_server.models.patient_link import PatientLink
from backend_server.patient_links.repository import PatientLinkRepository


@dataclass(frozen=True)
class LiveLink:
    link: PatientLink
    conversation: Conversation


def link_dead() -> ProblemError:
    # Unknown, expired and revoked links answer alike, so a guesser learns nothing.
    return not_found("This link is not valid (any more). Ask the practice for a new one.")


def link_active(conversation: Conversation, now: datetime) -> bool:
    return conversation.link_expires_at is not None and conversation.link_expires_at > now


async def _refresh_mirror(session: AsyncSession, conversation: Conversation,
                          now: datetime) -> None:
    conversation.link_expires_at = await PatientLinkRepository(
        session).newest_unrevoked_expiry(conversation.id)
    conversation.updated_at = now
    await ConversationRepository(session).save(conversation)


async def issue(
    session: AsyncSession, conversation: Conversation, *, now: datetime, ttl: timedelta,
    reason: str, revoke_older: bool,
) -> tuple[str, PatientLink]:
    """A new link and its token, which only the caller ever sees."""
    links = PatientLinkRepository(session)
    if revoke_older:
        await links.revoke_unrevoked(conversation.id, now)
    token = new_link_token()
    link = PatientLink(
        practice_id=conversation.practice_id, conversation_id=conversation.id,
        token_hash=hash_link_token(token), expires_at=now + ttl, created_at=now,
        reason=reason)
    await links.add(link)
    await _refresh_mirror(session, conversation, now)
    return token, link


async def issue_link(
    session: AsyncSession, conversation: Conversation, *, now: datetime, ttl: timedelta,
    reason: str, revoke_older: bool,
) -> str:
    token, _ = await issue(session, conversation, now=now, ttl=ttl, reason=reason,
                           revoke_older=revoke_older)
    return token


async def revoke_all(session: AsyncSession, conversation: Conversation, *,
                     now: datetime) -> None:
    await PatientLinkRepository(session).revoke_unrevoked(conversation.id, now)
    await _refresh_mirror(session, conversation, now)


async def resolve(session: AsyncSession, token: str, *, now: datetime) -> LiveLink:
    """The live link behind a token and its conversation; scopes the session to the
    conversation's practice. Dead links raise the same 404 as unknown ones."""
    link = await PatientLinkRepository(session).by_hash_any_practice(hash_link_token(token))
    if link is None or link.revoked_at is not None or link.expires_at <= now:
        raise link_dead()
    set_practice_scope(session, link.practice_id)
    conversation = await ConversationRepository(session).get(link.conversation_id)
    if conversation is None:
        raise link_dead()
    return LiveLink(link, conversation)


async def newest_link(session: AsyncSession, conversation_id: str) -> PatientLink | None:
    return await PatientLinkRepository(session).newest(conversation_id)


async def last_notification_at(session: AsyncSession, conversation_id: str) -> datetime | None:
    return await PatientLinkRepository(session).last_created(conversation_id, "notification")


async def revoke_link(session: AsyncSession, link_id: str, *, now: datetime) -> None:
    """Revokes one link (e.g. one whose notification e-mail could not be sent)."""
    repository = PatientLinkRepository(session)
    link = await repository.get(link_id)
    if link is None or link.revoked_at is not None:
        return
    link.revoked_at = now
    await repository.save(link)
    conversation = await ConversationRepository(session).get(link.conversation_id)
    if conversation is not None:
        await _refresh_mirror(session, conversation, now)
