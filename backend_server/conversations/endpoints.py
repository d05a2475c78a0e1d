"""Staff side of conversations: bearer auth, scoped to the caller's practice."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from backend_server import idempotency
from backend_server.context import ServerContext
from backend_server.conversations import service
from backend_server.conversations.links import patient_link
from backend_server.conversations.schemas import (
    ConversationCreate,
    ConversationOut,
    ConversationPage,
    MessageCreate,
    MessageOut,
    MessagePage,
)
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.idempotency import OptionalIdempotencyKey
from backend_server.models.conversation import Conversation
from backend_server.notifications.service import notify_after_commit

router = APIRouter(prefix="/conversations", tags=["conversations"])

IdempotencyKey = Annotated[str, Header(
    alias="Idempotency-Key", min_length=1, max_length=service.MAX_IDEMPOTENCY_KEY,
    description="any unique string per message; a retry with the same key and text returns "
                "the first message instead of adding another")]


def link_ttl(ctx: ServerContext) -> timedelta:
    return timedelta(days=ctx.settings.patient_link_ttl_days)


def public_base_url(ctx: ServerContext, request: Request) -> str:
    return ctx.settings.public_url or str(request.base_url)


def conversation_out(conversation: Conversation, ctx: ServerContext,
                     link: str | None = None) -> ConversationOut:
    return ConversationOut(
        id=conversation.id, practice_id=conversation.practice_id,
        patient_id=conversation.patient_id, patient_link=link,
        link_active=service.link_active(conversation, ctx.clock.now()),
        link_expires_at=conversation.link_expires_at,
        unread_count=conversation.unread_count, created_at=conversation.created_at,
        updated_at=conversation.updated_at, last_activity_at=conversation.last_activity_at,
        patient_name=conversation.patient_name,
        last_message_preview=conversation.last_message_preview,
        open_inquiries=conversation.open_inquiries)


@router.post("", status_code=201,
             responses={200: {"description": "a retry (same Idempotency-Key): the conversation "
                                             "made before, with a fresh link"}})
async def create_conversation(body: ConversationCreate, request: Request, response: Response,
                              ctx: Context, session: DbSession, caller: CurrentCaller,
                              idempotency_key: OptionalIdempotencyKey = None) -> ConversationOut:
    fingerprint = idempotency.request_hash("conversation.create", body.patient_id)
    earlier = await idempotency.earlier_object_id(
        session, kind="conversation.create", key=idempotency_key, fingerprint=fingerprint)
    if earlier is not None:
        # The first answer (and its link, which only it carried) was lost: a new link
        # replaces it, so the patient can still be given one.
        response.status_code = 200
        reissued = await service.reissue_link(session, earlier, now=ctx.clock.now(),
                                              link_ttl=link_ttl(ctx),
                                              actor_user_id=caller.user.id)
        return conversation_out(reissued.conversation, ctx,
                                patient_link(public_base_url(ctx, request), reissued.token))
    issued = await service.create_conversation(
        session, practice_id=caller.practice_id, patient_id=body.patient_id,
        now=ctx.clock.now(), link_ttl=link_ttl(ctx), actor_user_id=caller.user.id)
    await idempotency.remember(session, practice_id=caller.practice_id,
                               kind="conversation.create", key=idempotency_key,
                               fingerprint=fingerprint, object_id=issued.conversation.id,
                               now=ctx.clock.now())
    link = patient_link(public_base_url(ctx, request), issued.token)
    notify_after_commit(request, session, practice_id=caller.practice_id,
                        conversation_id=issued.conversation.id,
                        base_url=public_base_url(ctx, request))
    return conversation_out(issued.conversation, ctx, link)


@router.get("")
async def list_conversations(
    ctx: Context,
    session: DbSession,
    caller: CurrentCaller,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConversationPage:
    page = await service.list_conversations(session, cursor=cursor, limit=limit)
    return ConversationPage(items=[conversation_out(c, ctx) for c in page.items],
                            cursor=page.cursor, has_more=page.has_more)


@router.get("/{conversation_id}")
async def get_conversation(conversation_id: str, ctx: Context, session: DbSession,
                           caller: CurrentCaller) -> ConversationOut:
    return conversation_out(await service.get_conversation(session, conversation_id), ctx)


@router.post("/{conversation_id}/link")
async def reissue_link(conversation_id: str, request: Request, ctx: Context,
                       session: DbSession, caller: CurrentCaller) -> ConversationOut:
    issued = await service.reissue_link(session, conversation_id, now=ctx.clock.now(),
                                        link_ttl=link_ttl(ctx), actor_user_id=caller.user.id)
    link = patient_link(public_base_url(ctx, request), issued.token)
    return conversation_out(issued.conversation, ctx, link)


@router.post("/{conversation_id}/link/revoke")
async def revoke_link(conversation_id: str, ctx: Context, session: DbSession,
                      caller: CurrentCaller) -> ConversationOut:
    conversation = await service.revoke_link(session, conversation_id, now=ctx.clock.now(),
                                             actor_user_id=caller.user.id)
    return conversation_out(conversation, ctx)


@router.post("/{conversation_id}/messages", status_code=201,
             responses={200: {"description": "a retry: the message the key created before"}})
async def post_message(conversation_id: str, body: MessageCreate,
                       idempotency_key: IdempotencyKey, request: Request, response: Response,
                       ctx: Context, session: DbSession, caller: CurrentCaller) -> MessageOut:
    conversation = await service.get_conversation(session, conversation_id)
    posted = await service.post_message(
        session, conversation, author="staff", author_user_id=caller.user.id,
        text=body.text, idempotency_key=idempotency_key, now=ctx.clock.now())
    if not posted.created:
        response.status_code = 200
    else:
        notify_after_commit(request, session, practice_id=caller.practice_id,
                            conversation_id=conversation.id,
                            base_url=public_base_url(ctx, request))
    return MessageOut.model_validate(posted.message)


@router.get("/{conversation_id}/messages")
async def list_messages(
    conversation_id: str,
    session: DbSession,
    caller: CurrentCaller,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> MessagePage:
    page = await service.list_messages(session, conversation_id, cursor=cursor, limit=limit)
    return MessagePage(items=[MessageOut.model_validate(m) for m in page.items],
                       cursor=page.cursor, has_more=page.has_more)
