"""Telephony: a practice's settings, the Twilio webhooks' effects (a call per CallSid, its
recording's download job) and the generic upload.

The Twilio auth token is sealed with AES-256-GCM under the practice key (the one that wraps
the attachment keys), the practice id as associated data; the upload API key is kept only
as its sha256. Neither ever reaches a log or the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.attachments.service import practice_key
from backend_server.audit import service as audit
from backend_server.calls import jobs
from backend_server.calls.repository import CallRepository, JobRepository, SettingsRepository
from backend_server.context import ServerContext
from backend_server.models.call import Call, TelephonySettings

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_GREETING = ("Guten Tag, Sie sind mit der Praxis verbunden. Leider können wir Ihren "
                    "Anruf gerade nicht persönlich entgegennehmen.")
UPLOAD_KEY_PREFIX = "pxdk_"
_TOKEN_AAD = b"praxisdesk twilio token v1:"
_NONCE_BYTES = 12


def upload_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_upload_key() -> str:
    return UPLOAD_KEY_PREFIX + secrets.token_urlsafe(32)


async def seal_token(ctx: ServerContext, practice_id: str, token: str, now: datetime) -> bytes:
    key = await practice_key(ctx, practice_id, now=now, create=True)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, token.encode("utf-8"),
                                       _TOKEN_AAD + practice_id.encode("ascii"))


async def open_token(ctx: ServerContext, practice_id: str, sealed: bytes,
                     now: datetime) -> str | None:
    key = await practice_key(ctx, practice_id, now=now, create=False)
    try:
        plain = AESGCM(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:],
                                    _TOKEN_AAD + practice_id.encode("ascii"))
    except (InvalidTag, ValueError):
        return None
    return plain.decode("utf-8")


async def settings_row(session: AsyncSession, practice_id: str,
                       now: datetime) -> TelephonySettings:
    """The practice's settings, made with defaults on first use."""
    repo = SettingsRepository(session)
    row = await repo.get(practice_id)
    if row is None:
        row = TelephonySettings(practice_id=practice_id, enabled=False,
                                greeting=DEFAULT_GREETING, twilio_token_sealed=None,
                                twilio_account_sid=None, upload_key_sha256=None,
                                forward_number=None, opening_hours={},
                                max_recording_seconds=120, updated_at=now)
        await repo.add(row)
    return row


async def twilio_credentials(ctx: ServerContext, practice_id: str) -> str | None:
    """The practice's Twilio auth token (for the signature check and downloads)."""
    async with ctx.db.session(practice_id=practice_id) as session:
        row = await SettingsRepository(session).get(practice_id)
    if row is None or row.twilio_token_sealed is None:
        return None
    return await open_token(ctx, practice_id, row.twilio_token_sealed, ctx.clock.now())


def is_open(opening_hours: dict[str, Any], moment: datetime) -> bool:
    """Whether ``moment`` lies in the opening hours (Europe/Berlin wall-clock time)."""
    local = moment.astimezone(BERLIN)
    spans = opening_hours.get(WEEKDAYS[local.weekday()]) or []
    now_text = local.strftime("%H:%M")
    return any(isinstance(span, (list, tuple)) and len(span) == 2
               and str(span[0]) <= now_text < str(span[1]) for span in spans)


@dataclass(frozen=True)
class WebhookCall:
    call: Call
    created: bool


async def call_for_sid(session: AsyncSession, practice_id: str, call_sid: str, *,
                       from_number: str | None, to_number: str | None,
                       now: datetime) -> WebhookCall:
    """The call of this CallSid, made on its first voice webhook (From/To come from there
    and nowhere else)."""
    repo = CallRepository(session)
    existing = await repo.by_external_id(call_sid)
    if existing is not None:
        return WebhookCall(existing, created=False)
    call = Call(practice_id=practice_id, source="twilio", external_id=call_sid,
                from_number=from_number or None, to_number=to_number or None,
                started_at=now, duration_seconds=None, status="new", processing="pending",
                category=None, urgent=False, urgent_reasons=[], transcript=None,
                created_at=now, updated_at=now)
    await repo.add(call)
    await audit.record(session, "call.create", at=now, practice_id=practice_id,
                       object_type="call", object_id=call.id)
    return WebhookCall(call, created=True)


async def recording_arrived(session: AsyncSession, call: Call, *, status: str, url: str,
                            account_sid: str, duration: int | None, now: datetime) -> bool:
    """The recording-status callback: a completed recording gets its download job (once:
    a replayed callback finds the job and changes nothing). Returns whether it queued."""
    if await JobRepository(session).get(call.id, "download") is not None:
        return False
    if status != "completed" or not url:
        if call.processing == "pending" and call.recording_nonce is None:
            call.processing = "failed"  # "absent"/"failed": nothing will ever arrive
            call.updated_at = now
        return False
    if duration is not None:
        call.duration_seconds = duration
    call.updated_at = now
    await jobs.enqueue(session, call, "download", now=now,
                       payload={"url": url, "account_sid": account_sid})
    return True
