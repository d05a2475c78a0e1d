"""Forms of a practice: versioned definitions (admins), requests sent into a conversation
(staff), the patient's draft and submission, and the seal check of a submitted PDF.

A submission becomes an ordinary patient message carrying the sealed PDF as attachment plus
an inquiry of type ``form``; so storage, sync, purge, erasure and export of the result are
those of messages and inquiries. Nothing here logs: answers, drafts and names are health
data; the audit log gets ids and the document's SHA-256 only.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server import idempotency
from backend_server.attachments import service as attachments
from backend_server.attachments.repository import AttachmentRepository
from backend_server.audit import service as audit
from backend_server.context import ServerContext
from backend_server.conversations import service as conversations
from backend_server.conversations.service import PostedMessage
from backend_server.errors import ProblemError, conflict, not_found
from backend_server.forms.answers import clean_answers, validate_answers, visible_field_ids
from backend_server.forms.definition import FormDefinition as Definition
from backend_server.forms.pdf import answer_text, render_form_pdf
from backend_server.forms.repository import FormDefinitionRepository, FormRequestRepository
from backend_server.forms.schemas import SealStatusOut
from backend_server.forms.seal import PracticeSealer, verify_seal
from backend_server.forms.templates import load_templates
from backend_server.inquiries.repository import InquiryRepository
from backend_server.models.conversation import Conversation
from backend_server.models.form import FormDefinition, FormRequest
from backend_server.models.inquiry import Inquiry
from backend_server.patients.service import get_patient
from backend_server.practices.service import get_practice

DRAFT_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class WrittenDefinition:
    definition: FormDefinition
    created: bool  # False: a retry answered from what the key produced before


@dataclass(frozen=True)
class WrittenRequest:
    request: FormRequest
    created: bool


def request_message(title: str) -> str:
    return (f"Bitte füllen Sie das Formular „{title}“ aus. Sie finden es auf Ihrer Seite "
            f"unter „Formulare“.")


# --- definitions ----------------------------------------------------------------------------

def _invalid_form(errors: list[str]) -> ProblemError:
    return ProblemError(422, "invalid_form", "The form definition is not valid.",
                        errors=errors)


def parse_definition(raw: dict[str, Any], *, version: int) -> Definition:
    """The library's model of ``raw`` with the row's version (whatever the JSON said)."""
    data = dict(raw)
    data["version"] = version
    try:
        return Definition.model_validate(data)
    except ValidationError as exc:
        messages = []
        for error in exc.errors(include_url=False, include_input=False):
            where = ".".join(str(part) for part in error["loc"])
            messages.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
        raise _invalid_form(messages) from None


def _row(practice_id: str, definition: Definition, *, actor_user_id: str | None,
         now: datetime) -> FormDefinition:
    return FormDefinition(practice_id=practice_id, form_id=definition.id,
                          version=definition.version, title=definition.title,
                          definition=definition.model_dump(mode="json"), status="active",
                          created_by_user_id=actor_user_id, created_at=now, updated_at=now)


async def get_definition(session: AsyncSession, definition_id: str) -> FormDefinition:
    row = await FormDefinitionRepository(session).get(definition_id)
    if row is None:
        raise not_found("No such form.")
    return row


async def list_definitions(session: AsyncSession, status: str | None) -> list[FormDefinition]:
    return await FormDefinitionRepository(session).listing(status)


def shipped_templates() -> list[Definition]:
    return sorted(load_templates().values(), key=lambda d: d.title)


async def create_form(
    session: AsyncSession, *, practice_id: str, raw: dict[str, Any], idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> WrittenDefinition:
    fingerprint = idempotency.request_hash("form.create", raw)
    earlier = await idempotency.earlier_object_id(session, kind="form.create",
                                                  key=idempotency_key, fingerprint=fingerprint)
    if earlier is not None:
        return WrittenDefinition(await get_definition(session, earlier), created=False)
    definition = parse_definition(raw, version=1)
    repo = FormDefinitionRepository(session)
    if await repo.max_version(definition.id) is not None:
        raise ProblemError(409, "form_exists",
                           "This practice already has a form with this id; make a new "
                           "version of it instead.")
    row = _row(practice_id, definition, actor_user_id=actor_user_id, now=now)
    await repo.add(row)
    await idempotency.remember(session, practice_id=practice_id, kind="form.create",
                               key=idempotency_key, fingerprint=fingerprint, object_id=row.id,
                               now=now)
    await audit.record(session, "form.create", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="form_definition",
                       object_id=row.id)
    return WrittenDefinition(row, created=True)


async def new_form_version(
    session: AsyncSession, definition_id: str, *, raw: dict[str, Any], idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> WrittenDefinition:
    base = await get_definition(session, definition_id)
    fingerprint = idempotency.request_hash("form.version", base.id, raw)
    earlier = await idempotency.earlier_object_id(session, kind="form.version",
                                                  key=idempotency_key, fingerprint=fingerprint)
    if earlier is not None:
        return WrittenDefinition(await get_definition(session, earlier), created=False)
    repo = FormDefinitionRepository(session)
    version = (await repo.max_version(base.form_id) or 0) + 1
    definition = parse_definition(raw, version=version)
    if definition.id != base.form_id:
        raise _invalid_form([f"id: a new version keeps the form's id '{base.form_id}'"])
    for older in await repo.versions_of(base.form_id):
        if older.status == "active":
            older.status = "archived"
            older.updated_at = now
    row = _row(base.practice_id, definition, actor_user_id=actor_user_id, now=now)
    await repo.add(row)
    await idempotency.remember(session, practice_id=base.practice_id, kind="form.version",
                               key=idempotency_key, fingerprint=fingerprint, object_id=row.id,
                               now=now)
    await audit.record(session, "form.version", at=now, practice_id=base.practice_id,
                       actor_user_id=actor_user_id, object_type="form_definition",
                       object_id=row.id)
    return WrittenDefinition(row, created=True)


async def set_form_status(
    session: AsyncSession, definition_id: str, *, status: str, idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> FormDefinition:
    """Archives or re-activates one version; re-activating archives the form's others (one
    active version per form)."""
    row = await get_definition(session, definition_id)
    fingerprint = idempotency.request_hash("form.status", row.id, status)
    if await idempotency.earlier_object_id(session, kind="form.status", key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return row
    repo = FormDefinitionRepository(session)
    if status == "active":
        for other in await repo.versions_of(row.form_id):
            if other.id != row.id and other.status == "active":
                other.status = "archived"
                other.updated_at = now
    if row.status != status:
        row.status = status
        row.updated_at = now
    await repo.save()
    await idempotency.remember(session, practice_id=row.practice_id, kind="form.status",
                               key=idempotency_key, fingerprint=fingerprint, object_id=row.id,
                               now=now)
    await audit.record(session, "form.status", at=now, practice_id=row.practice_id,
                       actor_user_id=actor_user_id, object_type="form_definition",
                       object_id=row.id)
    return row


async def seed_templates(session: AsyncSession, practice_id: str, *, now: datetime) -> None:
    """The shipped templates as version 1 of a new practice's forms (any form id the
    practice already has is left alone, so this can run again)."""
    repo = FormDefinitionRepository(session)
    for template in load_templates().values():
        if await repo.max_version(template.id) is not None:
            continue
        definition = template.model_copy(update={"version": 1})
        await repo.add(_row(practice_id, definition, actor_user_id=None, now=now))


# --- requests (staff) -----------------------------------------------------------------------

async def get_request(session: AsyncSession, request_id: str) -> FormRequest:
    request = await FormRequestRepository(session).get(request_id)
    if request is None:
        raise not_found("No such form request.")
    return request


async def list_requests(session: AsyncSession, conversation_id: str) -> list[FormRequest]:
    conversation = await conversations.get_conversation(session, conversation_id)
    return await FormRequestRepository(session).of_conversation(conversation.id)


async def send_form(
    session: AsyncSession, conversation: Conversation, definition_id: str, *,
    idempotency_key: str, now: datetime, actor_user_id: str,
) -> WrittenRequest:
    """A request for the patient plus a staff message pointing to it (the message is what
    the e-mail notification is about)."""
    fingerprint = idempotency.request_hash("form.request", conversation.id, definition_id)
    repo = FormRequestRepository(session)
    earlier = await repo.by_idempotency_key(idempotency_key)
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            raise conflict("This Idempotency-Key was already used for a different request.")
        return WrittenRequest(earlier, created=False)
    definition = await get_definition(session, definition_id)
    if definition.status != "active":
        raise ProblemError(422, "form_archived",
                           "This form version is archived; send the active version.")
    request = FormRequest(practice_id=conversation.practice_id,
                          conversation_id=conversation.id, form_definition_id=definition.id,
                          form_definition=definition, status="sent", draft_answers={},
                          sent_by_user_id=actor_user_id, idempotency_key=idempotency_key,
                          request_hash=fingerprint, created_at=now, updated_at=now)
    await repo.add(request)
    await conversations.post_message(
        session, conversation, author="staff", author_user_id=actor_user_id,
        text=request_message(definition.title), idempotency_key=f"form-request:{request.id}",
        now=now)
    await audit.record(session, "form.request", at=now, practice_id=conversation.practice_id,
                       actor_user_id=actor_user_id, object_type="form_request",
                       object_id=request.id)
    return WrittenRequest(request, created=True)


def _form_submitted() -> ProblemError:
    return ProblemError(409, "form_submitted", "This form was already submitted.")


async def cancel_request(
    session: AsyncSession, request_id: str, *, idempotency_key: str, now: datetime,
    actor_user_id: str,
) -> FormRequest:
    """Only an open request can be withdrawn; its draft goes with it. Cancelling a cancelled
    request changes nothing."""
    request = await get_request(session, request_id)
    fingerprint = idempotency.request_hash("form.cancel", request.id)
    if await idempotency.earlier_object_id(session, kind="form.cancel", key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return request
    if request.status == "submitted":
        raise _form_submitted()
    if request.status == "sent":
        request.status = "cancelled"
        request.draft_answers = {}
        request.updated_at = now
        await FormRequestRepository(session).save()
    await idempotency.remember(session, practice_id=request.practice_id, kind="form.cancel",
                               key=idempotency_key, fingerprint=fingerprint,
                               object_id=request.id, now=now)
    await audit.record(session, "form.cancel", at=now, practice_id=request.practice_id,
                       actor_user_id=actor_user_id, object_type="form_request",
                       object_id=request.id)
    return request


# --- the patient's side ---------------------------------------------------------------------

async def patient_requests(session: AsyncSession, conversation: Conversation
                           ) -> list[FormRequest]:
    return await FormRequestRepository(session).of_conversation(conversation.id,
                                                                include_cancelled=False)


async def patient_request(session: AsyncSession, conversation: Conversation,
                          request_id: str) -> FormRequest:
    """A request of this conversation; withdrawn ones are gone for the patient (404)."""
    request = await FormRequestRepository(session).in_conversation(conversation.id,
                                                                   request_id)
    if request is None or request.status == "cancelled":
        raise not_found("No such form.")
    return request


def library_definition(request: FormRequest) -> Definition:
    return Definition.model_validate(request.form_definition.definition)


async def save_draft(session: AsyncSession, conversation: Conversation, request_id: str,
                     answers: dict[str, Any], *, now: datetime) -> None:
    """Stores what the patient typed so far, unchecked (a draft may be incomplete); only
    answers to the form's fields are kept."""
    request = await patient_request(session, conversation, request_id)
    if request.status != "sent":
        raise _form_submitted()
    known = {field.id for field in library_definition(request).fields()}
    request.draft_answers = {k: v for k, v in answers.items() if k in known}
    request.updated_at = now
    await FormRequestRepository(session).save()


def display_rows(definition: Definition, answers: dict[str, Any]) -> list[dict[str, str]]:
    cleaned = clean_answers(definition, answers)
    shown = set(visible_field_ids(definition, answers))
    rows = []
    for section in definition.sections:
        for field in section.fields:
            if field.id in shown:
                rows.append({"field_id": field.id, "section": section.title,
                             "label": field.label,
                             "answer": answer_text(field, cleaned.get(field.id), bullets=False)})
    return rows


def _iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with "Z", as pydantic writes the API's other times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sealer_for(ctx: ServerContext, practice_id: str, practice_name: str, *,
               now: datetime) -> PracticeSealer:
    return PracticeSealer.for_practice(ctx.settings.effective_keys_dir, practice_id,
                                       practice_name, now=now)


def pdf_filename(title: str) -> str:
    return f"{title}.pdf"


async def submit(
    session: AsyncSession, ctx: ServerContext, conversation: Conversation, request_id: str,
    answers: dict[str, Any], *, idempotency_key: str,
) -> WrittenRequest:
    """Checks the answers, prints and seals the PDF and stores it as the attachment of a new
    patient message, adds the ``form`` inquiry and marks the request submitted: all in one
    transaction, so a failure anywhere leaves neither a blob nor a row."""
    request = await patient_request(session, conversation, request_id)
    fingerprint = idempotency.request_hash("form.submit", request.id, answers)
    if await idempotency.earlier_object_id(session, kind="form.submit", key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return WrittenRequest(request, created=False)
    if request.status != "sent":
        raise _form_submitted()
    definition = library_definition(request)
    errors = validate_answers(definition, answers)
    if errors:
        raise ProblemError(422, "form_invalid", "Some answers are missing or not valid.",
                           errors=[{"field_id": e.field_id, "code": e.code,
                                    "message_de": e.message_de} for e in errors])
    now = ctx.clock.now()
    practice = await get_practice(session, conversation.practice_id)
    patient = await get_patient(session, conversation.patient_id)
    rows = display_rows(definition, answers)
    pdf = await asyncio.to_thread(
        render_form_pdf, definition, answers, practice_name=practice.name,
        patient_name=patient.name, patient_dob=patient.dob, signed_at=now)
    sealer = await asyncio.to_thread(sealer_for, ctx, practice.id, practice.name, now=now)
    sealed = await asyncio.to_thread(sealer.seal_pdf, pdf)
    digest = hashlib.sha256(sealed).hexdigest()

    async def record(posted: PostedMessage) -> None:
        attachment = posted.message.attachments[0]
        inquiry = Inquiry(
            practice_id=conversation.practice_id, conversation_id=conversation.id,
            type="form", text="", status="new", assignee_user_id=None,
            details={"form_request_id": request.id, "form_id": definition.id,
                     "version": definition.version, "title": definition.title, "rows": rows,
                     "attachment_id": attachment.id, "pdf_sha256": digest,
                     "signed_at": _iso_utc(now)},
            idempotency_key=f"form-submit:{request.id}", request_hash=fingerprint,
            created_at=now, updated_at=now)
        await InquiryRepository(session).add(inquiry)
        request.status = "submitted"
        request.inquiry_id = inquiry.id
        request.attachment_id = attachment.id
        request.submitted_at = now
        request.draft_answers = {}
        request.updated_at = now
        await FormRequestRepository(session).save()
        await idempotency.remember(session, practice_id=request.practice_id,
                                   kind="form.submit", key=idempotency_key,
                                   fingerprint=fingerprint, object_id=request.id, now=now)
        await audit.record(session, "inquiry.create", at=now,
                           practice_id=conversation.practice_id, actor_user_id=None,
                           object_type="inquiry", object_id=inquiry.id)
        await audit.record(session, "form.submit", at=now,
                           practice_id=conversation.practice_id, actor_user_id=None,
                           object_type="form_request", object_id=request.id,
                           detail_hash=digest)  # the sealed document's SHA-256

    posted = await attachments.add_file_message(
        session, ctx, conversation, author="patient", author_user_id=None,
        idempotency_key=f"form-submit:{request.id}", filename=pdf_filename(definition.title),
        data=sealed, text="", now=now, before_commit=record)
    if not posted.created:
        raise _form_submitted()  # submitted by a parallel request in the meantime
    return WrittenRequest(request, created=True)


# --- seal check -----------------------------------------------------------------------------

async def seal_status(session: AsyncSession, ctx: ServerContext, attachment_id: str, *,
                      actor_user_id: str) -> SealStatusOut:
    attachment = await AttachmentRepository(session).get(attachment_id)
    if attachment is None:
        raise not_found("No such attachment.")
    if await FormRequestRepository(session).by_attachment(attachment.id) is None:
        return SealStatusOut(sealed=False)
    now = ctx.clock.now()
    opened = await attachments.open_attachment(session, ctx, attachment,
                                               actor_user_id=actor_user_id, now=now)
    data = await asyncio.to_thread(lambda: b"".join(opened.chunks))
    practice = await get_practice(session, attachment.practice_id)
    sealer = await asyncio.to_thread(sealer_for, ctx, practice.id, practice.name, now=now)
    status = await asyncio.to_thread(verify_seal, data, sealer.certificate)
    return SealStatusOut(sealed=True, ok=status.ok, intact=status.intact,
                         trusted=status.trusted, signer=status.signer,
                         signed_at=status.signed_at, sha256=status.sha256,
                         problem=status.problem)
