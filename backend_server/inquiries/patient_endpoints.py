"""Patient side of inquiries: the link token is the credential; the answer carries no
assignee and nothing internal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from backend_server.conversations import service as conversations
from backend_server.conversations.patient_endpoints import Token
from backend_server.deps import Context, DbSession
from backend_server.idempotency import IdempotencyKeyHeader
from backend_server.inquiries import service
from backend_server.inquiries.schemas import InquiryCreate, PatientInquiryOut

router = APIRouter(prefix="/p", tags=["patient"])


@router.post("/{token}/inquiries", status_code=201,
             responses={200: {"description": "a retry: the inquiry the key created before"}})
async def patient_create_inquiry(token: Token, body: Annotated[InquiryCreate, Body()],
                                 idempotency_key: IdempotencyKeyHeader, response: Response,
                                 ctx: Context, session: DbSession) -> PatientInquiryOut:
    now = ctx.clock.now()
    conversation = await conversations.conversation_for_token(session, token, now=now)
    written = await service.create_inquiry(session, conversation, body,
                                           idempotency_key=idempotency_key, now=now,
                                           actor_user_id=None)
    if not written.created:
        response.status_code = 200
    return PatientInquiryOut.model_validate(written.inquiry)
