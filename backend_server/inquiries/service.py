"""Inquiries: structured requests (prescription, appointment, ...) in a conversation, from
the patient's page or entered by staff. Nothing here logs: details and texts are health
data; the audit log records ids only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server import idempotency
from backend_server.audit import service as audit
from backend_server.errors import ProblemError, conflict, not_found
from backend_server.inquiries.repository import InquiryRepository
from backend_server.inquiries.schemas import AnyInquiryCreate, InquiryUpdate, details_json
from backend_server.models.conversation import Conversation
from backend_server.models.inquiry import Inquiry
from backend_server.patients.paging import Page, cursor_time, decode_cursor, encode_cursor
from backend_server.users.repository import UserRepository


@dataclass(frozen=True)
class Written:
    inquiry: Inquiry
    created: bool  # False: a retry; the object the key produced before is returned


def _invalid(field: str, msg: str) -> ProblemError:
    return ProblemError(422, "validation_error", msg,
                        errors=[{"loc": ["body", field], "msg": msg}])


async def create_inquiry(
    session: AsyncSession, conversation: Conversation, body: AnyInquiryCreate, *,
    idempotency_key: str, now: datetime, actor_user_id: str | None,
) -> Written:
    """Adds an inquiry once per key (keys are unique per practice for inquiry creates,
    staff and patient alike); the same key with another request answers 409."""
    details = details_json(body)
    fingerprint = idempotency.request_hash("inquiry.create", conversation.id, body.type,
                                           details, body.text)
    repo = InquiryRepository(session)
    earlier = await repo.by_idempotency_key(idempotency_key)
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            raise conflict("This Idempotency-Key was already used for a different request.")
        return Written(earlier, created=False)
    inquiry = Inquiry(practice_id=conversation.practice_id, conversation_id=conversation.id,
                      type=body.type, details=details, text=body.text, status="new",
                      assignee_user_id=None, idempotency_key=idempotency_key,
                      request_hash=fingerprint, created_at=now, updated_at=now)
    await repo.add(inquiry)
    conversation.last_activity_at = max(conversation.last_activity_at, now)
    conversation.updated_at = now
    await session.flush()
    await audit.record(session, "inquiry.create", at=now, practice_id=conversation.practice_id,
                       actor_user_id=actor_user_id, object_type="inquiry",
                       object_id=inquiry.id)
    return Written(inquiry, created=True)


async def get_inquiry(session: AsyncSession, inquiry_id: str) -> Inquiry:
    inquiry = await InquiryRepository(session).get(inquiry_id)
    if inquiry is None:
        raise not_found("No such inquiry.")
    return inquiry


async def of_conversation(session: AsyncSession, conversation_id: str) -> list[Inquiry]:
    return await InquiryRepository(session).of_conversation(conversation_id)


async def list_inquiries(
    session: AsyncSession, *, status: str | None, type_: str | None,
    assignee_user_id: str | None, cursor: str | None, limit: int,
) -> Page[Inquiry]:
    key = decode_cursor(cursor, 2)
    before = (cursor_time(key[0]), key[1]) if key else None
    rows = await InquiryRepository(session).newest_first(
        status=status, type_=type_, assignee_user_id=assignee_user_id, before=before,
        limit=limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (encode_cursor([rows[-1].created_at.isoformat(), rows[-1].id])
                   if rows else cursor)
    return Page(items=rows, cursor=next_cursor, has_more=has_more)


async def update_inquiry(
    session: AsyncSession, inquiry_id: str, change: InquiryUpdate, *, idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> Inquiry:
    """Any status may follow any other (reopening a done inquiry is allowed). The assignee
    must be an active user of the practice; null clears it. A retry of the same request
    answers the inquiry as it is now and changes nothing."""
    inquiry = await get_inquiry(session, inquiry_id)
    fields = change.model_dump(include=change.model_fields_set)
    fingerprint = idempotency.request_hash("inquiry.update", inquiry.id, fields)
    if await idempotency.earlier_object_id(session, kind="inquiry.update",
                                           key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return inquiry
    if "assignee_user_id" in fields and change.assignee_user_id is not None:
        assignee = await UserRepository(session).get(change.assignee_user_id)
        if assignee is None or not assignee.active:
            raise _invalid("assignee_user_id", "the assignee must be an active user of "
                                               "this practice")
    changed = False
    for name, value in fields.items():
        if getattr(inquiry, name) != value:
            setattr(inquiry, name, value)
            changed = True
    if changed:
        inquiry.updated_at = now
    await InquiryRepository(session).save(inquiry)
    await idempotency.remember(session, practice_id=inquiry.practice_id, kind="inquiry.update",
                               key=idempotency_key, fingerprint=fingerprint,
                               object_id=inquiry.id, now=now)
    await audit.record(session, "inquiry.update", at=now, practice_id=inquiry.practice_id,
                       actor_user_id=actor_user_id, object_type="inquiry",
                       object_id=inquiry.id)
    return inquiry
