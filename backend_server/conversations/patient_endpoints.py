"""Patient side: no account, the link token in the path is the only credential. Every
answer is scoped to the token's conversation; nothing internal (staff ids, e-mails,
patient record) is returned. Rate limiting: backend_server.ratelimit (all /p/ paths)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from backend_server.conversations import service
from backend_server.conversations.endpoints import IdempotencyKey
from backend_server.conversations.schemas import (
    MessageCreate,
    PatientConversationOut,
    PatientMessageOut,
)
from backend_server.deps import Context, DbSession
from backend_server.inquiries import service as inquiries
from backend_server.inquiries.schemas import PatientInquiryOut

router = APIRouter(prefix="/p", tags=["patient"])

Token = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/{token}/conversation")
async def patient_conversation(token: Token, ctx: Context,
                               session: DbSession) -> PatientConversationOut:
    view = await service.patient_view(session, token, now=ctx.clock.now())
    return PatientConversationOut(
        practice_name=view.practice.name, link_expires_at=view.link_expires_at,
        messages=[PatientMessageOut.model_validate(m) for m in view.messages],
        # Inquiries only: internal notes and assignees never reach a /p/ answer.
        inquiries=[PatientInquiryOut.model_validate(i) for i in
                   await inquiries.of_conversation(session, view.conversation.id)])


@router.post("/{token}/messages", status_code=201,
             responses={200: {"description": "a retry: the message the key created before"}})
async def patient_post_message(token: Token, body: MessageCreate,
                               idempotency_key: IdempotencyKey, response: Response,
                               ctx: Context, session: DbSession) -> PatientMessageOut:
    now = ctx.clock.now()
    conversation = await service.conversation_for_token(session, token, now=now)
    posted = await service.post_message(
        session, conversation, author="patient", author_user_id=None, text=body.text,
        idempotency_key=idempotency_key, now=now)
    if not posted.created:
        response.status_code = 200
    return PatientMessageOut.model_validate(posted.message)
