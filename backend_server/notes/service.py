"""Internal notes: staff-only remarks on a conversation or one of its inquiries. No patient
route reads them. The text is health data: never logged, only the id is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server import idempotency
from backend_server.audit import service as audit
from backend_server.conversations import service as conversations
from backend_server.errors import ProblemError, conflict
from backend_server.inquiries import service as inquiries
from backend_server.models.note import Note
from backend_server.notes.repository import NoteRepository


@dataclass(frozen=True)
class WrittenNote:
    note: Note
    created: bool


async def create_note(
    session: AsyncSession, conversation_id: str, *, text: str, inquiry_id: str | None,
    idempotency_key: str, now: datetime, actor_user_id: str,
) -> WrittenNote:
    conversation = await conversations.get_conversation(session, conversation_id)
    fingerprint = idempotency.request_hash("note.create", conversation.id, inquiry_id, text)
    repo = NoteRepository(session)
    earlier = await repo.by_idempotency_key(idempotency_key)
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            raise conflict("This Idempotency-Key was already used for a different request.")
        return WrittenNote(earlier, created=False)
    if inquiry_id is not None:
        # Another practice's (or no) inquiry answers 404 like any foreign id; an inquiry of
        # another conversation of this practice is a mistake in the request.
        inquiry = await inquiries.get_inquiry(session, inquiry_id)
        if inquiry.conversation_id != conversation.id:
            raise ProblemError(422, "validation_error",
                               "The inquiry belongs to another conversation.",
                               errors=[{"loc": ["body", "inquiry_id"],
                                        "msg": "the inquiry belongs to another conversation"}])
    note = Note(practice_id=conversation.practice_id, conversation_id=conversation.id,
                inquiry_id=inquiry_id, author_user_id=actor_user_id, text=text,
                idempotency_key=idempotency_key, request_hash=fingerprint, created_at=now)
    await repo.add(note)
    await audit.record(session, "note.create", at=now, practice_id=conversation.practice_id,
                       actor_user_id=actor_user_id, object_type="note", object_id=note.id)
    return WrittenNote(note, created=True)


async def list_notes(session: AsyncSession, conversation_id: str) -> list[Note]:
    conversation = await conversations.get_conversation(session, conversation_id)
    return await NoteRepository(session).of_conversation(conversation.id)
