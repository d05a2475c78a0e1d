"""Internal notes (staff only). There is deliberately no patient route here."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.idempotency import IdempotencyKeyHeader
from backend_server.notes import service
from backend_server.notes.schemas import NoteCreate, NoteOut

router = APIRouter(prefix="/conversations", tags=["notes"])


@router.post("/{conversation_id}/notes", status_code=201,
             responses={200: {"description": "a retry: the note the key created before"}})
async def create_note(conversation_id: str, body: NoteCreate,
                      idempotency_key: IdempotencyKeyHeader, response: Response, ctx: Context,
                      session: DbSession, caller: CurrentCaller) -> NoteOut:
    written = await service.create_note(
        session, conversation_id, text=body.text, inquiry_id=body.inquiry_id,
        idempotency_key=idempotency_key, now=ctx.clock.now(), actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    return NoteOut.model_validate(written.note)


@router.get("/{conversation_id}/notes")
async def list_notes(conversation_id: str, session: DbSession,
                     caller: CurrentCaller) -> list[NoteOut]:
    return [NoteOut.model_validate(n) for n in await service.list_notes(session,
                                                                         conversation_id)]
