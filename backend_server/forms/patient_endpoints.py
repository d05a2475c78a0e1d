"""Patient side of forms: the link token is the credential (same token rules and rate
limits as every /p/ route). Drafts and answers are health data: never logged."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from backend_server.conversations import service as conversations
from backend_server.conversations.patient_endpoints import Token
from backend_server.deps import Context, DbSession
from backend_server.errors import ProblemError
from backend_server.forms import service
from backend_server.forms.schemas import (
    AnswersIn,
    PatientFormOut,
    PatientFormSummary,
    SubmittedOut,
    patient_summary,
)
from backend_server.idempotency import IdempotencyKeyHeader

router = APIRouter(prefix="/p", tags=["patient"])

_ANSWERS_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {
        "type": "object", "required": ["answers"],
        "properties": {"answers": {"type": "object"}}}}}}}


async def _answers(request: Request, *, code: str) -> dict[str, Any]:
    """``{"answers": {...}}`` read with a size cap (the body is counted as it arrives, so a
    huge draft is refused before it is held in memory)."""
    limit = service.DRAFT_MAX_BYTES

    def too_large() -> ProblemError:
        return ProblemError(413, code, f"The form data is larger than {limit // 1024} KiB.")

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise too_large()
    try:
        return AnswersIn.model_validate(json.loads(data)).answers
    except (ValueError, ValidationError) as exc:
        errors = (exc.errors(include_url=False, include_input=False)
                  if isinstance(exc, ValidationError)
                  else [{"loc": ["body"], "msg": "the body is not valid JSON"}])
        raise ProblemError(422, "validation_error", "The request body is not valid.",
                           errors=json.loads(json.dumps(errors, default=str))) from None


@router.get("/{token}/forms")
async def patient_forms(token: Token, ctx: Context,
                        session: DbSession) -> list[PatientFormSummary]:
    conversation = await conversations.conversation_for_token(session, token,
                                                              now=ctx.clock.now())
    return [patient_summary(r) for r in await service.patient_requests(session, conversation)]


@router.get("/{token}/forms/{request_id}")
async def patient_form(token: Token, request_id: str, ctx: Context,
                       session: DbSession) -> PatientFormOut:
    conversation = await conversations.conversation_for_token(session, token,
                                                              now=ctx.clock.now())
    request = await service.patient_request(session, conversation, request_id)
    return PatientFormOut(id=request.id, title=request.form_definition.title,
                          status=request.status,
                          definition=request.form_definition.definition,
                          draft_answers=request.draft_answers or {},
                          submitted_at=request.submitted_at)


@router.put("/{token}/forms/{request_id}/draft", status_code=204,
            openapi_extra=_ANSWERS_BODY,
            responses={409: {"description": "form_submitted"},
                       413: {"description": "draft_too_large (over 256 KiB)"}})
async def patient_save_draft(token: Token, request_id: str, request: Request, ctx: Context,
                             session: DbSession) -> Response:
    now = ctx.clock.now()
    conversation = await conversations.conversation_for_token(session, token, now=now)
    # The request must exist before the body is read: no point in reading it otherwise.
    await service.patient_request(session, conversation, request_id)
    answers = await _answers(request, code="draft_too_large")
    await service.save_draft(session, conversation, request_id, answers, now=now)
    return Response(status_code=204)


@router.post("/{token}/forms/{request_id}/submit", status_code=201,
             openapi_extra=_ANSWERS_BODY,
             responses={200: {"description": "a retry: what the key produced before"},
                        409: {"description": "form_submitted"},
                        413: {"description": "form_too_large (over 256 KiB)"},
                        422: {"description": "form_invalid, with errors per field"}})
async def patient_submit(token: Token, request_id: str, request: Request,
                         idempotency_key: IdempotencyKeyHeader, response: Response,
                         ctx: Context, session: DbSession) -> SubmittedOut:
    conversation = await conversations.conversation_for_token(session, token,
                                                              now=ctx.clock.now())
    await service.patient_request(session, conversation, request_id)
    answers = await _answers(request, code="form_too_large")
    written = await service.submit(session, ctx, conversation, request_id, answers,
                                   idempotency_key=idempotency_key)
    if not written.created:
        response.status_code = 200
    req = written.request
    return SubmittedOut(id=req.id, status=req.status,
                        submitted_at=req.submitted_at, attachment_id=req.attachment_id)
