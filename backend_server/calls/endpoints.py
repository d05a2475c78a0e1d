"""Staff side of the phone assistant's queue: bearer auth, any role, scoped to the caller's
practice (another practice's call answers 404)."""

from __future__ import annotations

from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Body, Query, Response

from backend_server.calls import service
from backend_server.calls.schemas import (
    CallInquiryCreate,
    CallInquiryOut,
    CallOut,
    CallUpdate,
    call_out,
)
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.errors import ProblemError
from backend_server.idempotency import OptionalIdempotencyKey

router = APIRouter(tags=["calls"])


@router.get("/calls")
async def list_calls(
    session: DbSession, caller: CurrentCaller,
    status: Literal["open", "done", "all"] = "all",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[CallOut]:
    return [call_out(c) for c in await service.list_calls(session, status=status, limit=limit)]


@router.get("/calls/{call_id}")
async def get_call(call_id: str, session: DbSession, caller: CurrentCaller) -> CallOut:
    return call_out(await service.get_call(session, call_id))


@router.patch("/calls/{call_id}")
async def update_call(call_id: str, body: CallUpdate, ctx: Context, session: DbSession,
                      caller: CurrentCaller,
                      idempotency_key: OptionalIdempotencyKey = None) -> CallOut:
    call = await service.update_call(session, call_id, body, idempotency_key=idempotency_key,
                                     now=ctx.clock.now(), actor_user_id=caller.user.id)
    return call_out(call)


@router.get("/calls/{call_id}/recording",
            responses={200: {"content": {"audio/wav": {}}, "description": "16-bit PCM WAV"}})
async def get_recording(call_id: str, ctx: Context, session: DbSession,
                        caller: CurrentCaller) -> Response:
    data = await service.read_recording(session, ctx, call_id, actor_user_id=caller.user.id,
                                        now=ctx.clock.now())
    # PyAV and numpy load on the first recording, not with the server (start-up time).
    from backend_server.assistant.audio import AudioDecodeError, to_wav_pcm16

    try:
        # PyAV decodes whatever the telephony system delivered (μ-law, MP3 ...).
        wav = await anyio.to_thread.run_sync(to_wav_pcm16, data)
    except AudioDecodeError:
        raise ProblemError(422, "recording_unreadable",
                           "The recording cannot be decoded.") from None
    return Response(wav, media_type="audio/wav",
                    headers={"Cache-Control": "no-store", "Content-Disposition": "inline"})


@router.post("/calls/{call_id}/inquiry")
async def take_over(call_id: str, ctx: Context, session: DbSession, caller: CurrentCaller,
                    body: Annotated[CallInquiryCreate | None, Body()] = None,
                    idempotency_key: OptionalIdempotencyKey = None) -> CallInquiryOut:
    done = await service.take_over(session, ctx, call_id, body or CallInquiryCreate(),
                                   now=ctx.clock.now(), actor_user_id=caller.user.id)
    return CallInquiryOut(inquiry_id=done.inquiry_id, patient_id=done.patient_id,
                          conversation_id=done.conversation_id)
