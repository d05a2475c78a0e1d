"""Staff side of inquiries: bearer auth, scoped to the caller's practice."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from backend_server.conversations import service as conversations
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.idempotency import IdempotencyKeyHeader
from backend_server.inquiries import service
from backend_server.inquiries.schemas import (
    InquiryCreate,
    InquiryOut,
    InquiryPage,
    InquiryStatus,
    InquiryType,
    InquiryUpdate,
)

router = APIRouter(tags=["inquiries"])

RETRY: dict[int | str, dict[str, Any]] = {
    200: {"description": "a retry: what the key produced before"}}


@router.post("/conversations/{conversation_id}/inquiries", status_code=201, responses=RETRY)
async def create_inquiry(conversation_id: str, body: Annotated[InquiryCreate, Body()],
                         idempotency_key: IdempotencyKeyHeader, response: Response,
                         ctx: Context, session: DbSession,
                         caller: CurrentCaller) -> InquiryOut:
    conversation = await conversations.get_conversation(session, conversation_id)
    written = await service.create_inquiry(
        session, conversation, body, idempotency_key=idempotency_key, now=ctx.clock.now(),
        actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    return InquiryOut.model_validate(written.inquiry)


@router.get("/inquiries")
async def list_inquiries(
    session: DbSession,
    caller: CurrentCaller,
    status: InquiryStatus | None = None,
    type: InquiryType | None = None,
    assignee_user_id: Annotated[str | None, Query(max_length=36)] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> InquiryPage:
    page = await service.list_inquiries(session, status=status, type_=type,
                                        assignee_user_id=assignee_user_id, cursor=cursor,
                                        limit=limit)
    return InquiryPage(items=[InquiryOut.model_validate(i) for i in page.items],
                       cursor=page.cursor, has_more=page.has_more)


@router.get("/inquiries/{inquiry_id}")
async def get_inquiry(inquiry_id: str, session: DbSession,
                      caller: CurrentCaller) -> InquiryOut:
    return InquiryOut.model_validate(await service.get_inquiry(session, inquiry_id))


@router.patch("/inquiries/{inquiry_id}")
async def update_inquiry(inquiry_id: str, body: InquiryUpdate,
                         idempotency_key: IdempotencyKeyHeader, ctx: Context,
                         session: DbSession, caller: CurrentCaller) -> InquiryOut:
    inquiry = await service.update_inquiry(
        session, inquiry_id, body, idempotency_key=idempotency_key, now=ctx.clock.now(),
        actor_user_id=caller.user.id)
    return InquiryOut.model_validate(inquiry)
