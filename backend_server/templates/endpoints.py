"""Reply templates: any role reads, only admins write (403 for others)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend_server.deps import AdminCaller, Context, CurrentCaller, DbSession
from backend_server.idempotency import IdempotencyKeyHeader
from backend_server.templates import service
from backend_server.templates.schemas import TemplateCreate, TemplateOut, TemplateUpdate

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("")
async def list_templates(session: DbSession, caller: CurrentCaller) -> list[TemplateOut]:
    return [TemplateOut.model_validate(t) for t in await service.list_templates(session)]


@router.post("", status_code=201,
             responses={200: {"description": "a retry: the template the key created before"}})
async def create_template(body: TemplateCreate, idempotency_key: IdempotencyKeyHeader,
                          response: Response, ctx: Context, session: DbSession,
                          caller: AdminCaller) -> TemplateOut:
    written = await service.create_template(
        session, practice_id=caller.practice_id, title=body.title, body=body.body,
        idempotency_key=idempotency_key, now=ctx.clock.now(), actor_user_id=caller.user.id)
    if not written.created:
        response.status_code = 200
    return TemplateOut.model_validate(written.template)


@router.patch("/{template_id}")
async def update_template(template_id: str, body: TemplateUpdate,
                          idempotency_key: IdempotencyKeyHeader, ctx: Context,
                          session: DbSession, caller: AdminCaller) -> TemplateOut:
    template = await service.update_template(
        session, template_id, title=body.title, body=body.body,
        idempotency_key=idempotency_key, now=ctx.clock.now(), actor_user_id=caller.user.id)
    return TemplateOut.model_validate(template)


@router.delete("/{template_id}", status_code=204)
async def delete_template(template_id: str, idempotency_key: IdempotencyKeyHeader,
                          ctx: Context, session: DbSession, caller: AdminCaller) -> Response:
    await service.delete_template(session, template_id, practice_id=caller.practice_id,
                                  idempotency_key=idempotency_key, now=ctx.clock.now(),
                                  actor_user_id=caller.user.id)
    return Response(status_code=204)
