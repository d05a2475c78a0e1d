"""Rules of video consultations: the link's time window, codes, who may do what, and the
state changes the signalling hub makes (waiting, in call, ended) with their metadata.

KBV (Anlage 31b BMV-Ä): the link reaches only this practice's room and only from 30 minutes
before to 2 hours after the appointment; only a physician admits and holds the call (staff
organise); the server stores metadata only (times, roles, a quality summary)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.auth.service import Caller
from backend_server.context import ServerContext
from backend_server.conversations import service as conversations
from backend_server.db.tenancy import set_practice_scope
from backend_server.errors import ProblemError, conflict, forbidden, not_found
from backend_server.models.conversation import Conversation
from backend_server.models.video import VideoAppointment, VideoCall
from backend_server.patients.service import get_patient
from backend_server.video.invite_mail import BERLIN, staff_message
from backend_server.video.repository import CLOSED, VideoRepository

VALID_BEFORE = timedelta(minutes=30)
VALID_AFTER = timedelta(hours=2)
MAX_AHEAD = timedelta(days=31)
# No look-alikes: without 0/O, 1/I/L, 2/Z, 5/S, 8/B. 26^9 ≈ 5.4e12 codes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 9
MAX_NAME = 100
PHYSICIAN = "physician"


def link_dead() -> ProblemError:
    """One answer for unknown, foreign, expired, not yet valid, ended and cancelled links."""
    return not_found("This video link is not (or no longer) valid.")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """``abc-def ghj`` → ``ABCDEFGHJ``; None if it cannot be a code."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def link_open(appointment: VideoAppointment, now: datetime) -> bool:
    return (appointment.status not in CLOSED
            and appointment.valid_from <= now < appointment.valid_until)


def require_physician(caller: Caller) -> None:
    # One role per user: an admin is not a physician (organisation only, like staff).
    if caller.user.role != PHYSICIAN:
        raise forbidden("Only a physician may admit the patient and hold the call.")


async def _unique_code(repo: VideoRepository, now: datetime) -> str:
    for _ in range(20):
        code = new_code()
        if not await repo.valid_by_code_any_practice(code, now):
            return code
    raise ProblemError(503, "no_code", "No free code could be found; please try again.")


@dataclass(frozen=True)
class Issued:
    appointment: VideoAppointment
    token: str
    conversation: Conversation


async def _conversation_for(session: AsyncSession, ctx: ServerContext, caller: Caller,
                            patient_id: str, conversation_id: str | None,
                            now: datetime) -> Conversation:
    if conversation_id is not None:
        conversation = await conversations.get_conversation(session, conversation_id)
        if conversation.patient_id != patient_id:
            raise ProblemError(422, "validation_error",
                               "The conversation belongs to another patient.")
        return conversation
    newest = await VideoRepository(session).newest_conversation(patient_id)
    if newest is not None:
        return newest
    issued = await conversations.create_conversation(
        session, practice_id=caller.practice_id, patient_id=patient_id, now=now,
        link_ttl=timedelta(days=ctx.settings.patient_link_ttl_days),
        actor_user_id=caller.user.id)
    return issued.conversation


async def _post_invitation(session: AsyncSession, conversation: Conversation,
                           appointment: VideoAppointment, token: str, *, base_url: str,
                           caller: Caller, now: datetime) -> None:
    await conversations.post_message(
        session, conversation, author="staff", author_user_id=caller.user.id,
        text=staff_message(base_url, token, appointment.code, appointment.scheduled_at),
        idempotency_key=f"video-invite:{appointment.id}:{hash_token(token)[:16]}", now=now)


async def create_appointment(
    session: AsyncSession, ctx: ServerContext, caller: Caller, *, patient_id: str,
    scheduled_at: datetime, conversation_id: str | None, physician_user_id: str | None,
    base_url: str,
) -> Issued:
    now = ctx.clock.now()
    if scheduled_at.tzinfo is None:
        raise ProblemError(422, "validation_error", "scheduled_at needs a time zone.")
    if scheduled_at - now > MAX_AHEAD:
        raise ProblemError(422, "too_far_ahead",
                           "A video appointment can be made at most 31 days ahead.")
    if scheduled_at + VALID_AFTER <= now:
        raise ProblemError(422, "in_the_past", "This appointment would already be over.")
    patient = await get_patient(session, patient_id)
    repo = VideoRepository(session)
    if physician_user_id is not None:
        physician = await repo.user(physician_user_id)
        if physician is None or physician.role != PHYSICIAN:
            raise ProblemError(422, "validation_error", "physician_user_id is no physician.")
    conversation = await _conversation_for(session, ctx, caller, patient.id, conversation_id,
                                           now)
    token = new_token()
    appointment = VideoAppointment(
        practice_id=caller.practice_id, patient_id=patient.id,
        conversation_id=conversation.id, physician_user_id=physician_user_id,
        scheduled_at=scheduled_at, valid_from=scheduled_at - VALID_BEFORE,
        valid_until=scheduled_at + VALID_AFTER, status="scheduled",
        code=await _unique_code(repo, now), token_hash=hash_token(token),
        created_by_user_id=caller.user.id, created_at=now, updated_at=now)
    await repo.add(appointment)
    await _post_invitation(session, conversation, appointment, token, base_url=base_url,
                           caller=caller, now=now)
    await audit.record(session, "video.create", at=now, practice_id=caller.practice_id,
                       actor_user_id=caller.user.id, object_type="video_appointment",
                       object_id=appointment.id)
    return Issued(appointment, token, conversation)


async def get_appointment(session: AsyncSession, appointment_id: str) -> VideoAppointment:
    appointment = await VideoRepository(session).appointment(appointment_id)
    if appointment is None:
        raise not_found("No such video appointment.")
    return appointment


def berlin_day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=BERLIN)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=BERLIN)
    return start, end


async def list_day(session: AsyncSession, day: date) -> list[VideoAppointment]:
    start, end = berlin_day(day)
    return await VideoRepository(session).between(start, end)


async def cancel(session: AsyncSession, caller: Caller, appointment_id: str,
                 now: datetime) -> VideoAppointment:
    appointment = await get_appointment(session, appointment_id)
    if appointment.status == "cancelled":
        return appointment
    if appointment.status == "ended":
        raise conflict("This video consultation is over already.")
    appointment.status = "cancelled"
    appointment.cancelled_at = now
    appointment.waiting_since = None
    appointment.updated_at = now
    await session.flush()
    await audit.record(session, "video.cancel", at=now, practice_id=caller.practice_id,
                       actor_user_id=caller.user.id, object_type="video_appointment",
                       object_id=appointment.id)
    return appointment


async def resend(session: AsyncSession, ctx: ServerContext, caller: Caller,
                 appointment_id: str, *, base_url: str) -> Issued:
    """A new token (the old link dies at once), posted and mailed again."""
    now = ctx.clock.now()
    appointment = await get_appointment(session, appointment_id)
    if appointment.status in CLOSED or appointment.valid_until <= now:
        raise conflict("This video appointment is cancelled, over or expired.")
    token = new_token()
    appointment.token_hash = hash_token(token)
    appointment.updated_at = now
    await session.flush()
    conversation = await _conversation_for(session, ctx, caller, appointment.patient_id,
                                           appointment.conversation_id, now)
    await _post_invitation(session, conversation, appointment, token, base_url=base_url,
                           caller=caller, now=now)
    await audit.record(session, "video.resend", at=now, practice_id=caller.practice_id,
                       actor_user_id=caller.user.id, object_type="video_appointment",
                       object_id=appointment.id)
    return Issued(appointment, token, conversation)


async def admit(session: AsyncSession, caller: Caller, appointment_id: str, *,
                patient_connected: bool, now: datetime) -> VideoCall:
    """The physician lets the waiting patient in: the call's metadata row starts here."""
    appointment = await get_appointment(session, appointment_id)  # another practice's: 404
    require_physician(caller)
    if appointment.status != "waiting" or not patient_connected \
            or not link_open(appointment, now):
        raise ProblemError(409, "not_waiting", "Nobody is waiting for this appointment.")
    appointment.status = "in_call"
    appointment.physician_user_id = caller.user.id
    appointment.waiting_since = None
    appointment.updated_at = now
    call = VideoCall(practice_id=appointment.practice_id, appointment_id=appointment.id,
                     patient_id=appointment.patient_id, physician_user_id=caller.user.id,
                     started_at=now, participants=[PHYSICIAN, "patient"], created_at=now)
    await VideoRepository(session).add(call)
    await audit.record(session, "video.admit", at=now, practice_id=caller.practice_id,
                       actor_user_id=caller.user.id, object_type="video_appointment",
                       object_id=appointment.id)
    return call


async def calls_of_patient(session: AsyncSession, patient_id: str) -> list[VideoCall]:
    patient = await get_patient(session, patient_id)
    return await VideoRepository(session).calls_of_patient(patient.id)


# --- patient side ------------------------------------------------------------------------

async def resolve_token(session: AsyncSession, token: str, now: datetime) -> VideoAppointment:
    """The appointment a live link opens; scopes the session to its practice."""
    if not token or len(token) > 200:
        raise link_dead()
    appointment = await VideoRepository(session).by_token_hash_any_practice(hash_token(token))
    if appointment is None or not link_open(appointment, now):
        raise link_dead()
    set_practice_scope(session, appointment.practice_id)
    return appointment


async def token_for_code(session: AsyncSession, code_text: str, now: datetime) -> str | None:
    """Join by code: a fresh token for the appointment, kept beside the e-mailed link's (a
    later code join replaces the earlier code token)."""
    code = normalize_code(code_text)
    if code is None:
        return None
    found = [a for a in await VideoRepository(session).valid_by_code_any_practice(code, now)
             if link_open(a, now)]
    if len(found) != 1:
        return None
    appointment = found[0]
    set_practice_scope(session, appointment.practice_id)
    token = new_token()
    appointment.code_token_hash = hash_token(token)
    await session.flush()
    return token


def clean_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())
    return name if 0 < len(name) <= MAX_NAME else None


# --- state changes made by the signalling hub (each its own short transaction) ------------

async def mark_waiting(ctx: ServerContext, practice_id: str, appointment_id: str,
                       name: str) -> bool:
    now = ctx.clock.now()
    async with ctx.db.session(practice_id=practice_id) as session:
        appointment = await VideoRepository(session).appointment(appointment_id)
        if appointment is None or not link_open(appointment, now):
            return False
        appointment.status = "waiting"
        appointment.patient_display_name = name
        appointment.waiting_since = now
        appointment.updated_at = now
        await session.commit()
    return True


async def set_status(ctx: ServerContext, practice_id: str, appointment_id: str,
                     status: str) -> None:
    """After a peer left or hung up: ``scheduled`` (patient gone), ``waiting`` (physician
    gone, patient still there) or ``ended``. A cancelled appointment stays cancelled."""
    now = ctx.clock.now()
    async with ctx.db.session(practice_id=practice_id) as session:
        appointment = await VideoRepository(session).appointment(appointment_id)
        if appointment is None or appointment.status in CLOSED:
            return
        appointment.status = status
        appointment.waiting_since = now if status == "waiting" else None
        appointment.updated_at = now
        await session.commit()


async def end_call(ctx: ServerContext, practice_id: str, call_id: str) -> None:
    now = ctx.clock.now()
    async with ctx.db.session(practice_id=practice_id) as session:
        call = await VideoRepository(session).call(call_id)
        if call is None or call.ended_at is not None:
            return
        call.ended_at = now
        call.duration_seconds = max(0, int((now - call.started_at).total_seconds()))
        await session.commit()


QUALITY_KEYS = ("rtt_ms_median", "loss_pct_max", "bitrate_kbps_median",
                "send_resolution_min")


def quality_summary(frame: dict[str, Any]) -> dict[str, Any]:
    """Only the contract's keys, only numbers (or a short resolution string)."""
    summary: dict[str, Any] = {}
    for key in QUALITY_KEYS:
        value = frame.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            summary[key] = value
        elif key == "send_resolution_min" and isinstance(value, str) and len(value) <= 20:
            summary[key] = value
    return summary


async def store_quality(ctx: ServerContext, practice_id: str, call_id: str,
                        summary: dict[str, Any]) -> None:
    async with ctx.db.session(practice_id=practice_id) as session:
        call = await VideoRepository(session).call(call_id)
        if call is None:
            return
        call.quality = summary
        await session.commit()


async def reset_rooms(ctx: ServerContext) -> int:
    """At server start no signalling socket exists: whoever was waiting or in a call is
    gone (their page reconnects and waits again). Open calls get their end now."""
    now = ctx.clock.now()
    async with ctx.db.session(system=True) as session:
        repo = VideoRepository(session)
        stale = await repo.live_appointments()
        for appointment in stale:
            appointment.status = "scheduled"
            appointment.waiting_since = None
            appointment.updated_at = now
        for call in await repo.open_calls():
            call.ended_at = now
            call.duration_seconds = max(0, int((now - call.started_at).total_seconds()))
        await session.commit()
    return len(stale)
