"""Attachment routes: uploads as a message (staff and patient) and downloads.

The upload body is read as a stream by the service (see ``upload_form``), so the routes
take the raw request; the form is described for OpenAPI by hand.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from backend_server.attachments import service
from backend_server.attachments.schemas import UPLOAD_REQUEST_BODY
from backend_server.conversations import service as conversations
from backend_server.conversations.endpoints import IdempotencyKey, public_base_url
from backend_server.conversations.patient_endpoints import Token
from backend_server.conversations.schemas import MessageOut, PatientMessageOut
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.notifications.service import notify_after_commit

router = APIRouter(tags=["attachments"])
patient_router = APIRouter(prefix="/p", tags=["patient"])

_UPLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "a retry: the message the key created before"},
    409: {"description": "the Idempotency-Key was used for other content"},
    413: {"description": "attachment_too_large"},
    415: {"description": "unsupported_media_type (type judged from the bytes)"},
    422: {"description": "invalid_filename, or validation_error"},
}
_DOWNLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "the file's bytes", "content": {"application/octet-stream": {}}},
}


def _content_disposition(filename: str) -> str:
    # A plain ASCII fallback for old clients, and the exact name as RFC 5987 filename*.
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_"
                       for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(opened: service.OpenedAttachment) -> StreamingResponse:
    attachment = opened.attachment
    headers = {
        "Content-Length": str(attachment.size),
        "Content-Disposition": _content_disposition(attachment.filename),
        "X-Content-SHA256": attachment.sha256,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "sandbox",
    }
    # Reading and decrypting run in a worker thread, chunk by chunk.
    return StreamingResponse(iterate_in_threadpool(opened.chunks),
                             media_type=attachment.content_type, headers=headers)


@router.post("/conversations/{conversation_id}/messages/upload", status_code=201,
             responses=_UPLOAD_RESPONSES,
             openapi_extra={"requestBody": UPLOAD_REQUEST_BODY})
async def upload_message(conversation_id: str, request: Request,
                         idempotency_key: IdempotencyKey, response: Response, ctx: Context,
                         session: DbSession, caller: CurrentCaller) -> MessageOut:
    """A message with one file (multipart: `file`, optional `text`)."""
    conversation = await conversations.get_conversation(session, conversation_id)
    posted = await service.upload_message(
        session, ctx, conversation, author="staff", author_user_id=caller.user.id,
        idempotency_key=idempotency_key, body=request.stream(),
        content_type=request.headers.get("content-type"),
        content_length=request.headers.get("content-length"))
    if not posted.created:
        response.status_code = 200
    else:
        notify_after_commit(request, session, practice_id=caller.practice_id,
                            conversation_id=conversation.id,
                            base_url=public_base_url(ctx, request))
    return MessageOut.model_validate(posted.message)


@router.get("/attachments/{attachment_id}", response_class=StreamingResponse,
            responses=_DOWNLOAD_RESPONSES)
async def download_attachment(attachment_id: str, ctx: Context, session: DbSession,
                              caller: CurrentCaller) -> StreamingResponse:
    opened = await service.open_for_staff(session, ctx, attachment_id,
                                          actor_user_id=caller.user.id, now=ctx.clock.now())
    return _download(opened)


@patient_router.post("/{token}/messages/upload", status_code=201,
                     responses=_UPLOAD_RESPONSES,
                     openapi_extra={"requestBody": UPLOAD_REQUEST_BODY})
async def patient_upload_message(token: Token, request: Request,
                                 idempotency_key: IdempotencyKey, response: Response,
                                 ctx: Context, session: DbSession) -> PatientMessageOut:
    conversation = await conversations.conversation_for_token(session, token,
                                                              now=ctx.clock.now())
    posted = await service.upload_message(
        session, ctx, conversation, author="patient", author_user_id=None,
        idempotency_key=idempotency_key, body=request.stream(),
        content_type=request.headers.get("content-type"),
        content_length=request.headers.get("content-length"))
    if not posted.created:
        response.status_code = 200
    return PatientMessageOut.model_validate(posted.message)


@patient_router.get("/{token}/attachments/{attachment_id}", response_class=StreamingResponse,
                    responses=_DOWNLOAD_RESPONSES)
async def patient_download_attachment(token: Token, attachment_id: str, ctx: Context,
                                      session: DbSession) -> StreamingResponse:
    opened = await service.open_for_patient(session, ctx, token, attachment_id,
                                            now=ctx.clock.now())
    return _download(opened)
