"""Read marks from both sides. Both writes are idempotent by nature (marking read twice
changes nothing), so an ``Idempotency-Key`` is accepted but not required."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from backend_server.conversations.endpoints import conversation_out
from backend_server.conversations.patient_endpoints import Token
from backend_server.conversations.schemas import ConversationOut
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.idempotency import MAX_KEY
from backend_server.read_state import service

router = APIRouter(tags=["read state"])

OptionalKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=MAX_KEY,
    description="optional: marking read is idempotent by itself")]


@router.post("/conversations/{conversation_id}/read")
async def staff_read(conversation_id: str, ctx: Context, session: DbSession,
                     caller: CurrentCaller, idempotency_key: OptionalKey = None
                     ) -> ConversationOut:
    conversation = await service.staff_read(session, conversation_id, now=ctx.clock.now(),
                                            actor_user_id=caller.user.id)
    return conversation_out(conversation, ctx)


@router.post("/p/{token}/read", status_code=204, tags=["patient"])
async def patient_read(token: Token, ctx: Context, session: DbSession,
                       idempotency_key: OptionalKey = None) -> Response:
    await service.patient_read(session, token, now=ctx.clock.now())
    return Response(status_code=204)
