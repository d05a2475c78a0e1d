"""The phone assistant's review queue: reading and editing calls, their recordings, and
taking a call over into the inbox as an inquiry.

Nothing here logs content: transcripts, caller names, numbers and dates of birth never reach
a log; the audit log records ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server import idempotency
from backend_server.audit import service as audit
from backend_server.calls import recording
from backend_server.calls.repository import CallLinkRepository, CallRepository
from backend_server.calls.schemas import CallInquiryCreate, CallUpdate
from backend_server.context import ServerContext
from backend_server.conversations import service as conversations
from backend_server.errors import ProblemError, not_found
from backend_server.models.call import Call
from backend_server.models.inquiry import Inquiry
from backend_server.patients import service as patients
from backend_server.users.repository import UserRepository

# Call categories that are also inquiry types; the rest (emergency, other) become "other".
INQUIRY_TYPES_FROM_CATEGORY = frozenset({"appointment", "prescription", "referral",
                                         "sick_note", "results"})
MAX_INQUIRY_TEXT = 2_000  # as for inquiries made by hand (inquiries.schemas.MAX_TEXT)


def _invalid(field: str, msg: str) -> ProblemError:
    return ProblemError(422, "validation_error", msg,
                        errors=[{"loc": ["body", field], "msg": msg}])


async def get_call(session: AsyncSession, call_id: str) -> Call:
    call = await CallRepository(session).get(call_id)
    if call is None:
        raise not_found("No such call.")
    return call


async def list_calls(session: AsyncSession, *, status: str, limit: int) -> list[Call]:
    return await CallRepository(session).queue(status=status, limit=limit)


async def update_call(session: AsyncSession, call_id: str, change: CallUpdate, *,
                      idempotency_key: str | None, now: datetime, actor_user_id: str) -> Call:
    call = await get_call(session, call_id)
    fields = change.model_dump(include=change.model_fields_set)
    fingerprint = idempotency.request_hash("call.update", call.id, fields)
    if await idempotency.earlier_object_id(session, kind="call.update", key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return call
    if "assignee_user_id" in fields and change.assignee_user_id is not None:
        assignee = await UserRepository(session).get(change.assignee_user_id)
        if assignee is None or not assignee.active:
            raise _invalid("assignee_user_id",
                           "the assignee must be an active user of this practice")
    values: dict[str, object] = {k: v for k, v in fields.items() if k != "caller"}
    if change.caller is not None:
        given = change.caller.model_fields_set
        for wire, column in (("name", "caller_name"), ("dob", "caller_dob"),
                             ("phone", "callback_number")):
            if wire in given:
                values[column] = getattr(change.caller, wire)
    changed = False
    for name, value in values.items():
        if getattr(call, name) != value:
            setattr(call, name, value)
            changed = True
    if changed:
        call.updated_at = now
    await session.flush()
    await idempotency.remember(session, practice_id=call.practice_id, kind="call.update",
                               key=idempotency_key, fingerprint=fingerprint,
                               object_id=call.id, now=now)
    await audit.record(session, "call.update", at=now, practice_id=call.practice_id,
                       actor_user_id=actor_user_id, object_type="call", object_id=call.id)
    return call


async def read_recording(session: AsyncSession, ctx: ServerContext, call_id: str, *,
                         actor_user_id: str, now: datetime) -> bytes:
    """The decrypted recording as stored; 404 when there is none (or it was purged)."""
    call = await get_call(session, call_id)
    try:
        data = await recording.read(ctx, call.practice_id, call.id, call.recording_nonce,
                                    now=now)
    except recording.RecordingMissing:
        raise not_found("This call has no recording.") from None
    await audit.record(session, "call.recording.download", at=now,
                       practice_id=call.practice_id, actor_user_id=actor_user_id,
                       object_type="call", object_id=call.id)
    return data


@dataclass(frozen=True)
class TakenOver:
    inquiry_id: str
    patient_id: str
    conversation_id: str


def _inquiry_details(call: Call) -> dict[str, object]:
    # The inquiry types' strict details (a medication list, a sick-note period ...) cannot
    # be filled reliably from speech: the transcript is the inquiry's text, and the details
    # say where it came from (and, for appointments, the wished time frame as heard).
    details: dict[str, object] = {"source": "call", "call_id": call.id}
    if call.category == "appointment" and call.wished_time:
        details["wished_time"] = call.wished_time
    return details


async def take_over(session: AsyncSession, ctx: ServerContext, call_id: str,
                    body: CallInquiryCreate, *, now: datetime,
                    actor_user_id: str) -> TakenOver:
    """"Als Anfrage übernehmen": one inquiry per call, whoever asks how often."""
    call = await get_call(session, call_id)
    links = CallLinkRepository(session)
    key = f"call:{call.id}"
    earlier = await links.inquiry_by_key(key)
    if earlier is not None:
        conversation = await conversations.get_conversation(session, earlier.conversation_id)
        return TakenOver(earlier.id, conversation.patient_id, conversation.id)
    if call.processing not in ("ready", "failed"):
        # A failed analysis can still be taken over: staff heard the recording themselves.
        raise ProblemError(409, "call_not_ready",
                           "The call is not analysed yet; try again once it is.")
    if body.patient_id is not None:
        patient = await patients.get_patient(session, body.patient_id)
    else:
        if not call.caller_name or not call.caller_dob:
            raise _invalid("patient_id", "the call names no caller with a date of birth; "
                                         "choose the patient")
        dob = date.fromisoformat(call.caller_dob)
        found = await links.patients_named(patients.search_key(call.caller_name), dob)
        if found:
            patient = found[0]
        else:
            patient = await patients.create_patient(
                session, practice_id=call.practice_id, name=call.caller_name, dob=dob,
                email=None, phone=call.callback_number or call.from_number, now=now,
                actor_user_id=actor_user_id)
    conversation = await links.newest_conversation(patient.id) or (
        await conversations.create_conversation(
            session, practice_id=call.practice_id, patient_id=patient.id, now=now,
            link_ttl=timedelta(days=ctx.settings.patient_link_ttl_days),
            actor_user_id=actor_user_id)).conversation
    inquiry_type = call.category if call.category in INQUIRY_TYPES_FROM_CATEGORY else "other"
    details = _inquiry_details(call)
    text = (call.transcript or "")[:MAX_INQUIRY_TEXT]
    inquiry = Inquiry(practice_id=call.practice_id, conversation_id=conversation.id,
                      type=inquiry_type, details=details, text=text, status="new",
                      assignee_user_id=call.assignee_user_id, idempotency_key=key,
                      request_hash=idempotency.request_hash("call.inquiry", call.id),
                      created_at=now, updated_at=now)
    await links.add_inquiry(inquiry)
    conversation.last_activity_at = max(conversation.last_activity_at, now)
    conversation.updated_at = now
    call.inquiry_id = inquiry.id
    call.patient_id = patient.id
    if call.status == "new":
        call.status = "in_progress"
    call.updated_at = now
    await session.flush()
    await audit.record(session, "inquiry.create", at=now, practice_id=call.practice_id,
                       actor_user_id=actor_user_id, object_type="inquiry",
                       object_id=inquiry.id)
    await audit.record(session, "call.inquiry", at=now, practice_id=call.practice_id,
                       actor_user_id=actor_user_id, object_type="call", object_id=call.id)
    return TakenOver(inquiry.id, patient.id, conversation.id)
