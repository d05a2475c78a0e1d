"""Telephony routes: Twilio's voice webhooks (no bearer: the ``X-Twilio-Signature`` is the
authentication), the generic upload (``X-Api-Key``), and the admin settings.

A practice without telephony set up (no settings, disabled, or no Twilio token) answers 404
on its webhooks, like an unknown practice, so the URL reveals nothing.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy.exc import IntegrityError

from backend_server.attachments.storage import BlobWriter
from backend_server.attachments.upload_form import form_invalid as invalid
from backend_server.audit import service as audit
from backend_server.calls import jobs, recording
from backend_server.calls.repository import CallRepository, SettingsRepository
from backend_server.context import ServerContext
from backend_server.deps import AdminCaller, Context, DbSession
from backend_server.errors import ProblemError, not_authenticated, not_found
from backend_server.models.base import new_id
from backend_server.models.call import Call, TelephonySettings
from backend_server.telephony import service, twiml
from backend_server.telephony.schemas import (
    TelephonySettingsIn,
    TelephonySettingsOut,
    UploadAccepted,
    UploadKeyOut,
    WebhookUrls,
)
from backend_server.telephony.signature import signature_valid
from backend_server.telephony.upload import check_declared_length, read_audio_upload

log = logging.getLogger("backend_server.telephony")

router = APIRouter(tags=["telephony"])

API_PREFIX = "/api/v1"
MAX_WEBHOOK_BYTES = 64 * 1024
XML = "application/xml"


def _base_url(ctx: ServerContext, request: Request) -> str:
    return (ctx.settings.public_url or str(request.base_url)).rstrip("/")


def _signed_url(ctx: ServerContext, request: Request) -> str:
    """The URL Twilio signed: the public URL when one is configured, else the request's."""
    if not ctx.settings.public_url:
        return str(request.url)
    query = f"?{request.url.query}" if request.url.query else ""
    return ctx.settings.public_url.rstrip("/") + request.url.path + query


def _hook_url(ctx: ServerContext, request: Request, practice_id: str, hook: str) -> str:
    return f"{_base_url(ctx, request)}{API_PREFIX}/telephony/twilio/{practice_id}/{hook}"


def _no_telephony() -> ProblemError:
    return not_found("Telephony is not set up for this practice.")


async def _verified(ctx: ServerContext, request: Request, practice_id: str,
                    hook: str) -> tuple[dict[str, str], TelephonySettings]:
    """The webhook's form parameters, once its signature proved that Twilio sent them."""
    try:
        practice_id = str(uuid.UUID(practice_id))
    except ValueError:
        raise _no_telephony() from None
    async with ctx.db.session(practice_id=practice_id) as session:
        row = await SettingsRepository(session).get(practice_id)
    if row is None or not row.enabled or row.twilio_token_sealed is None:
        raise _no_telephony()
    token = await service.open_token(ctx, practice_id, row.twilio_token_sealed,
                                     ctx.clock.now())
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_WEBHOOK_BYTES:
        raise ProblemError(413, "payload_too_large", "The webhook body is too large.")
    form = await request.form()
    params = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    if token is None or not signature_valid(token, _signed_url(ctx, request), params,
                                            request.headers.get("X-Twilio-Signature")):
        now = ctx.clock.now()
        async with ctx.db.session(practice_id=practice_id) as session:
            await audit.record(session, "telephony.signature_rejected", at=now,
                               practice_id=practice_id, object_type="telephony",
                               object_id=practice_id)
            await session.commit()
        log.warning("refused a Twilio %s webhook for practice %s: bad or missing signature",
                    hook, practice_id)
        raise ProblemError(403, "signature_invalid",
                           "The request's X-Twilio-Signature is missing or wrong.")
    return dict(params), row


@router.post("/telephony/twilio/{practice_id}/voice",
             responses={200: {"content": {XML: {}}, "description": "TwiML"}})
async def twilio_voice(practice_id: str, request: Request, ctx: Context) -> Response:
    params, row = await _verified(ctx, request, practice_id, "voice")
    call_sid = params.get("CallSid", "")
    if not call_sid:
        raise invalid("CallSid", "field required")
    now = ctx.clock.now()
    async with ctx.db.session(practice_id=row.practice_id) as session:
        await service.call_for_sid(session, row.practice_id, call_sid,
                                   from_number=params.get("From"), to_number=params.get("To"),
                                   now=now)
        await session.commit()
    offer = bool(row.forward_number) and service.is_open(row.opening_hours, now)
    body = twiml.voice(
        greeting=row.greeting or service.DEFAULT_GREETING,
        gather_url=_hook_url(ctx, request, row.practice_id, "gather") if offer else None,
        max_length=row.max_recording_seconds,
        action_url=_hook_url(ctx, request, row.practice_id, "recorded"),
        status_url=_hook_url(ctx, request, row.practice_id, "recording-status"))
    return Response(body, media_type=XML)


@router.post("/telephony/twilio/{practice_id}/gather",
             responses={200: {"content": {XML: {}}, "description": "TwiML"}})
async def twilio_gather(practice_id: str, request: Request, ctx: Context) -> Response:
    params, row = await _verified(ctx, request, practice_id, "gather")
    record = {"max_length": row.max_recording_seconds,
              "action_url": _hook_url(ctx, request, row.practice_id, "recorded"),
              "status_url": _hook_url(ctx, request, row.practice_id, "recording-status")}
    if (params.get("Digits") == "1" and row.forward_number
            and service.is_open(row.opening_hours, ctx.clock.now())):
        return Response(twiml.dial(row.forward_number), media_type=XML)
    return Response(twiml.record_only(**record), media_type=XML)  # type: ignore[arg-type]


@router.post("/telephony/twilio/{practice_id}/recorded",
             responses={200: {"content": {XML: {}}, "description": "TwiML"}})
async def twilio_recorded(practice_id: str, request: Request, ctx: Context) -> Response:
    await _verified(ctx, request, practice_id, "recorded")
    return Response(twiml.goodbye(), media_type=XML)


@router.post("/telephony/twilio/{practice_id}/recording-status", status_code=204)
async def twilio_recording_status(practice_id: str, request: Request,
                                  ctx: Context) -> Response:
    params, row = await _verified(ctx, request, practice_id, "recording-status")
    call_sid = params.get("CallSid", "")
    now = ctx.clock.now()
    duration_text = params.get("RecordingDuration", "")
    duration = int(duration_text) if duration_text.isdigit() else None
    async with ctx.db.session(practice_id=row.practice_id) as session:
        call = await CallRepository(session).by_external_id(call_sid) if call_sid else None
        if call is None:
            # Only the voice webhook makes calls (it alone carries From/To).
            raise not_found("No call with this CallSid.")
        await service.recording_arrived(
            session, call, status=params.get("RecordingStatus", "completed"),
            url=params.get("RecordingUrl", ""), account_sid=params.get("AccountSid", ""),
            duration=duration, now=now)
        await session.commit()
    return Response(status_code=204)


# --- generic upload -------------------------------------------------------------------------

@router.post("/telephony/upload", status_code=202)
async def upload_recording(
    request: Request, ctx: Context,
    api_key: Annotated[str | None, Header(alias="X-Api-Key", max_length=200)] = None,
) -> UploadAccepted:
    """For SIP gateways and other telephony systems: multipart ``file`` (audio) with
    ``caller``, optional ``started_at`` (ISO 8601 with zone) and ``external_id`` (a
    retry with the same id answers the same call)."""
    if not api_key:
        raise not_authenticated("Send the practice's upload key in X-Api-Key.")
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        row = await SettingsRepository(session).by_upload_key_hash(
            service.upload_key_hash(api_key))
        if row is None:
            await audit.record(session, "telephony.upload_key_rejected", at=now,
                               practice_id=None, object_type="telephony")
            await session.commit()
            log.warning("refused a recording upload: unknown API key")
            raise ProblemError(403, "upload_key_invalid", "This upload key is not valid.")
        practice_id = row.practice_id
    limit = ctx.settings.telephony_upload_max_bytes
    check_declared_length(request.headers.get("content-length"), limit)
    call_id = new_id()
    holder: list[recording.StagedRecording] = []

    def open_writer() -> BlobWriter:
        staged = recording.stage(ctx, practice_id, call_id)
        holder.append(staged)
        return staged.writer

    upload = await read_audio_upload(request.stream(), request.headers.get("content-type"),
                                     limit=limit, open_writer=open_writer)
    staged = holder[0]
    try:
        started_at = _started_at(upload.fields.get("started_at"), now)
        external_id = upload.fields.get("external_id") or f"upload:{call_id}"
        async with ctx.db.session(practice_id=practice_id) as session:
            repo = CallRepository(session)
            earlier = await repo.by_external_id(external_id)
            if earlier is not None:
                staged.abort(ctx)  # a retry: the first upload's recording counts
                return UploadAccepted(call_id=earlier.id)
            await staged.store_key(ctx, now)
            call = Call(id=call_id, practice_id=practice_id, source="upload",
                        external_id=external_id, from_number=upload.fields.get("caller") or None,
                        to_number=None, started_at=started_at, duration_seconds=None,
                        status="new", processing="pending", category=None, urgent=False,
                        urgent_reasons=[], transcript=None, recording_nonce=staged.nonce,
                        recording_size=staged.size, created_at=now, updated_at=now)
            await repo.add(call)
            await jobs.enqueue(session, call, "process", now=now)
            await audit.record(session, "call.create", at=now, practice_id=practice_id,
                               object_type="call", object_id=call.id)
            staged.writer.publish()
            await session.commit()
    except IntegrityError:
        staged.abort(ctx)
        raise ProblemError(409, "conflict", "This external_id is being uploaded already.") \
            from None
    except BaseException:
        staged.abort(ctx)
        raise
    return UploadAccepted(call_id=call_id)


def _started_at(text: str | None, now: datetime) -> datetime:
    if not text:
        return now
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid("started_at", "expected an ISO 8601 date-time with a time zone") \
            from None
    if moment.tzinfo is None:
        raise invalid("started_at", "expected an ISO 8601 date-time with a time zone")
    return moment.astimezone(UTC)


# --- admin settings ------------------------------------------------------------------------

def _settings_out(ctx: ServerContext, request: Request,
                  row: TelephonySettings) -> TelephonySettingsOut:
    base = _base_url(ctx, request)
    return TelephonySettingsOut(
        enabled=row.enabled, greeting=row.greeting, twilio_account_sid=row.twilio_account_sid,
        has_twilio_token=row.twilio_token_sealed is not None,
        has_upload_key=row.upload_key_sha256 is not None, forward_number=row.forward_number,
        opening_hours=row.opening_hours, max_recording_seconds=row.max_recording_seconds,
        webhooks=WebhookUrls(
            voice=_hook_url(ctx, request, row.practice_id, "voice"),
            recording_status=_hook_url(ctx, request, row.practice_id, "recording-status"),
            upload=f"{base}{API_PREFIX}/telephony/upload"))


@router.get("/telephony/settings")
async def get_settings(request: Request, ctx: Context, session: DbSession,
                       caller: AdminCaller) -> TelephonySettingsOut:
    row = await service.settings_row(session, caller.user.practice_id, ctx.clock.now())
    return _settings_out(ctx, request, row)


@router.put("/telephony/settings")
async def put_settings(body: TelephonySettingsIn, request: Request, ctx: Context,
                       session: DbSession, caller: AdminCaller) -> TelephonySettingsOut:
    now = ctx.clock.now()
    practice_id = caller.user.practice_id
    row = await service.settings_row(session, practice_id, now)
    row.enabled = body.enabled
    row.greeting = body.greeting.strip()
    row.twilio_account_sid = body.twilio_account_sid
    if "twilio_auth_token" in body.model_fields_set:
        row.twilio_token_sealed = (
            await service.seal_token(ctx, practice_id, body.twilio_auth_token, now)
            if body.twilio_auth_token else None)
    row.forward_number = body.forward_number
    row.opening_hours = body.opening_hours
    row.max_recording_seconds = body.max_recording_seconds
    row.updated_at = now
    await session.flush()
    await audit.record(session, "telephony.settings.update", at=now, practice_id=practice_id,
                       actor_user_id=caller.user.id, object_type="telephony",
                       object_id=practice_id)
    return _settings_out(ctx, request, row)


@router.post("/telephony/upload-key")
async def new_upload_key(ctx: Context, session: DbSession,
                         caller: AdminCaller) -> UploadKeyOut:
    """A new key (the previous one stops working); shown this once, stored as sha256."""
    now = ctx.clock.now()
    practice_id = caller.user.practice_id
    row = await service.settings_row(session, practice_id, now)
    key = service.new_upload_key()
    row.upload_key_sha256 = service.upload_key_hash(key)
    row.updated_at = now
    await session.flush()
    await audit.record(session, "telephony.upload_key.issue", at=now, practice_id=practice_id,
                       actor_user_id=caller.user.id, object_type="telephony",
                       object_id=practice_id)
    return UploadKeyOut(api_key=key)
