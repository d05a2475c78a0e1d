"""Staff side of forms: any role reads and sends; only admins define forms (403 otherwise)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from backend_server.conversations import service as conversations
from backend_server.conversations.endpoints import public_base_url
from backend_server.deps import AdminCaller, Context, CurrentCaller, DbSession
from backend_server.forms import service
from backend_server.forms.schemas import (
    FormCreate,
    FormDefinitionOut,
    FormRequestCreate,
    FormRequestOut,
    FormStatus,
    FormStatusUpdate,
    FormTemplateOut,
    SealStatusOut,
)
from backend_server.idempotency import IdempotencyKeyHeader
from backend_server.notifications.service import notify_after_commit

router = APIRouter(tags=["forms"])

RETRY: dict[int | str, dict[str, Any]] = {
    200: {"description": "a retry: what the key produced before"}}


@router.get("/forms")
async def list_forms(session: DbSession, caller: CurrentCaller,
                     status: FormStatus | None = None) -> list[FormDefinitionOut]:
    return [FormDefinitionOut.model_validate(d)
            for d in await service.list_definitions(session, status)]


@router.get("/forms/templates")
async def shipped_templates(caller: CurrentCaller) -> list[FormTemplateOut]:
    return [FormTemplateOut(form_id=t.id, title=t.title, definition=t.model_dump(mode="json"))
            for t in service.shipped_templates()]


@router.post("/forms", status_code=201, responses=RETRY)
async def create_form(body: FormCreate, idempotency_key: IdempotencyKeyHeader,
                      response: Response, ctx: Context, session: DbSession,
                      caller: AdminCaller) -> FormDefinitionOut:
    written = await service.create_form(
        session, practice_id=caller.practice_id, raw=body.definition,
        idempotency_key=idempotency_key, now=ctx.clock.now(), actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    return FormDefinitionOut.model_validate(written.definition)


@router.post("/forms/{definition_id}/versions", status_code=201, responses=RETRY)
async def new_form_version(definition_id: str, body: FormCreate,
                           idempotency_key: IdempotencyKeyHeader, response: Response,
                           ctx: Context, session: DbSession,
                           caller: AdminCaller) -> FormDefinitionOut:
    written = await service.new_form_version(
        session, definition_id, raw=body.definition, idempotency_key=idempotency_key,
        now=ctx.clock.now(), actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    return FormDefinitionOut.model_validate(written.definition)


@router.patch("/forms/{definition_id}")
async def set_form_status(definition_id: str, body: FormStatusUpdate,
                          idempotency_key: IdempotencyKeyHeader, ctx: Context,
                          session: DbSession, caller: AdminCaller) -> FormDefinitionOut:
    row = await service.set_form_status(
        session, definition_id, status=body.status, idempotency_key=idempotency_key,
        now=ctx.clock.now(), actor_user_id=caller.user.id)
    return FormDefinitionOut.model_validate(row)


@router.post("/conversations/{conversation_id}/form-requests", status_code=201,
             responses=RETRY)
async def send_form(conversation_id: str, body: FormRequestCreate, request: Request,
                    idempotency_key: IdempotencyKeyHeader, response: Response, ctx: Context,
                    session: DbSession, caller: CurrentCaller) -> FormRequestOut:
    conversation = await conversations.get_conversation(session, conversation_id)
    written = await service.send_form(
        session, conversation, body.form_definition_id, idempotency_key=idempotency_key,
        now=ctx.clock.now(), actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    else:
        notify_after_commit(request, session, practice_id=caller.practice_id,
                            conversation_id=conversation.id,
                            base_url=public_base_url(ctx, request))
    return FormRequestOut.of(written.request)


@router.post("/form-requests/{request_id}/cancel")
async def cancel_form_request(request_id: str, idempotency_key: IdempotencyKeyHeader,
                              ctx: Context, session: DbSession,
                              caller: CurrentCaller) -> FormRequestOut:
    request = await service.cancel_request(session, request_id,
                                           idempotency_key=idempotency_key,
                                           now=ctx.clock.now(), actor_user_id=caller.user.id)
    return FormRequestOut.of(request)


@router.get("/form-requests")
async def list_form_requests(conversation_id: str, session: DbSession,
                             caller: CurrentCaller) -> list[FormRequestOut]:
    return [FormRequestOut.of(r) for r in await service.list_requests(session, conversation_id)]


@router.get("/attachments/{attachment_id}/seal")
async def attachment_seal(attachment_id: str, ctx: Context, session: DbSession,
                          caller: CurrentCaller) -> SealStatusOut:
    return await service.seal_status(session, ctx, attachment_id,
                                     actor_user_id=caller.user.id)
