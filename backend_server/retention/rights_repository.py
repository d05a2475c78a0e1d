"""Queries of the data-subject rights (export and erasure of one patient) and of the
practice's end of contract (export and deletion of a whole practice)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.attachment import Attachment
from backend_server.models.audit_entry import AuditEntry
from backend_server.models.auth_session import AuthSession, LoginThrottle, RefreshToken
from backend_server.models.base import Base
from backend_server.models.change_log import ChangeLog
from backend_server.models.conversation import Conversation
from backend_server.models.deletion_log import DeletionLog
from backend_server.models.form import FormRequest
from backend_server.models.idempotency import IdempotencyKey
from backend_server.models.inquiry import Inquiry
from backend_server.models.message import Message
from backend_server.models.note import Note
from backend_server.models.patient import Patient
from backend_server.models.patient_link import PatientLink
from backend_server.models.practice import Practice
from backend_server.models.template import Template
from backend_server.models.user import User

# Long IN lists stay below every database's bound-parameter limit.
CHUNK = 500

# Tables a practice deletion leaves alone: the append-only, hash-chained audit log (ids
# only; deleting from it would break the chain) and the deletion log, which must outlive
# the deletion it records.
KEPT_ON_PRACTICE_DELETE = frozenset({AuditEntry.__tablename__, DeletionLog.__tablename__})


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


class PatientDataRepository:
    """Everything stored about one patient. Tenant scoping applies as everywhere (the
    queries go through the ORM), so a practice-scoped session never sees another practice's
    patient; a system-scoped one (CLI, restore) sees all."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def patient(self, patient_id: str) -> Patient | None:
        result = await self.session.execute(select(Patient).where(Patient.id == patient_id))
        return result.scalar_one_or_none()

    async def patient_ids_of_practice(self, practice_id: str) -> list[str]:
        result = await self.session.execute(
            select(Patient.id).where(Patient.practice_id == practice_id)
            .order_by(Patient.created_at, Patient.id))
        return [str(v) for v in result.scalars()]

    async def conversations(self, patient_id: str) -> list[Conversation]:
        result = await self.session.execute(
            select(Conversation).where(Conversation.patient_id == patient_id)
            .order_by(Conversation.created_at, Conversation.id))
        return list(result.scalars())

    async def messages(self, conversation_id: str) -> list[Message]:
        result = await self.session.execute(
            select(Message).where(Message.conversation_id == conversation_id)
            .order_by(Message.created_at, Message.id))
        return list(result.scalars())

    async def inquiries(self, conversation_id: str) -> list[Inquiry]:
        result = await self.session.execute(
            select(Inquiry).where(Inquiry.conversation_id == conversation_id)
            .order_by(Inquiry.created_at, Inquiry.id))
        return list(result.scalars())

    async def form_requests(self, conversation_id: str) -> list[FormRequest]:
        result = await self.session.execute(
            select(FormRequest).where(FormRequest.conversation_id == conversation_id)
            .order_by(FormRequest.created_at, FormRequest.id))
        return list(result.scalars())

    async def notes(self, conversation_id: str) -> list[Note]:
        result = await self.session.execute(
            select(Note).where(Note.conversation_id == conversation_id)
            .order_by(Note.created_at, Note.id))
        return list(result.scalars())

    async def links(self, conversation_id: str) -> list[PatientLink]:
        result = await self.session.execute(
            select(PatientLink).where(PatientLink.conversation_id == conversation_id)
            .order_by(PatientLink.created_at, PatientLink.id))
        return list(result.scalars())

    async def content_ids(self, conversation_ids: Sequence[str]) -> dict[str, list[str]]:
        """Ids of every row hanging off these conversations, by kind."""
        found: dict[str, list[str]] = {"message": [], "attachment": [], "inquiry": [],
                                       "note": [], "patient_link": [], "form_request": []}
        for kind, model in (("message", Message), ("attachment", Attachment),
                            ("inquiry", Inquiry), ("note", Note),
                            ("patient_link", PatientLink), ("form_request", FormRequest)):
            for part in _chunks(conversation_ids):
                result = await self.session.execute(
                    select(model.id).where(model.conversation_id.in_(part)))
                found[kind].extend(str(v) for v in result.scalars())
        return found

    async def delete_content(self, conversation_ids: Sequence[str]) -> None:
        """Bulk deletes, deliberately past the flush hooks: these rows get no tombstones
        (the conversation's tombstone makes clients drop them), and their change-log rows
        are removed by :meth:`drop_change_log`. Children first."""
        # Form requests first: they point at inquiries and attachments.
        for model in (FormRequest, Note, Attachment, Message, Inquiry, PatientLink):
            for part in _chunks(conversation_ids):
                await self.session.execute(
                    delete(model).where(model.conversation_id.in_(part))
                    .execution_options(synchronize_session=False))

    async def delete_idempotency_keys(self, object_ids: Sequence[str]) -> int:
        removed = 0
        for part in _chunks(object_ids):
            result = await self.session.execute(
                delete(IdempotencyKey).where(IdempotencyKey.object_id.in_(part))
                .execution_options(synchronize_session=False))
            removed += int(result.rowcount)  # type: ignore[attr-defined]
        return removed

    async def drop_change_log(self, object_ids: Sequence[str], *, keep_tombstones: bool) -> None:
        """Removes the change-log rows of erased objects. With ``keep_tombstones`` the
        ``delete`` rows stay: they were written after every older row, so the newest
        change-log position (which SQLite would otherwise hand out again) stays taken and
        no client cursor can point past it."""
        for part in _chunks(object_ids):
            query = delete(ChangeLog).where(ChangeLog.object_id.in_(part))
            if keep_tombstones:
                query = query.where(ChangeLog.op != "delete")
            await self.session.execute(query.execution_options(synchronize_session=False))


class PracticeDataRepository:
    """Whole-practice reads and the deletion; the session must be system-scoped."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def practice(self, practice_id: str) -> Practice | None:
        result = await self.session.execute(select(Practice).where(Practice.id == practice_id))
        return result.scalar_one_or_none()

    async def users(self, practice_id: str) -> list[User]:
        result = await self.session.execute(
            select(User).where(User.practice_id == practice_id).order_by(User.created_at))
        return list(result.scalars())

    async def templates(self, practice_id: str) -> list[Template]:
        result = await self.session.execute(
            select(Template).where(Template.practice_id == practice_id)
            .order_by(Template.created_at))
        return list(result.scalars())

    async def audit_entries(self, practice_id: str,
                            batch: int = 2000) -> AsyncIterator[list[AuditEntry]]:
        """In batches, so a long audit log never sits in memory at once."""
        after = 0
        while True:
            result = await self.session.execute(
                select(AuditEntry).where(AuditEntry.practice_id == practice_id,
                                         AuditEntry.seq > after)
                .order_by(AuditEntry.seq).limit(batch))
            rows = list(result.scalars())
            if not rows:
                return
            after = rows[-1].seq
            for row in rows:
                self.session.expunge(row)
            yield rows

    async def deletion_log(self, practice_id: str) -> list[DeletionLog]:
        result = await self.session.execute(
            select(DeletionLog).where(DeletionLog.practice_id == practice_id)
            .order_by(DeletionLog.at, DeletionLog.id))
        return list(result.scalars())

    @staticmethod
    def practice_tables() -> list[Table]:
        """Every table with a ``practice_id`` column (also those later modules add), in an
        order that deletes children before parents."""
        return [table for table in reversed(Base.metadata.sorted_tables)
                if "practice_id" in table.c and table.name not in KEPT_ON_PRACTICE_DELETE]

    async def count_rows(self, practice_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in self.practice_tables():
            result = await self.session.execute(
                select(func.count()).select_from(table)
                .where(table.c.practice_id == practice_id))
            counts[table.name] = int(result.scalar_one())
        return counts

    async def delete_practice_rows(self, practice_id: str, email_hashes: list[str]) -> None:
        """Core statements on the tables (no ORM hooks: nobody is left to sync to)."""
        sessions = select(AuthSession.id).where(AuthSession.practice_id == practice_id)
        await self.session.execute(
            delete(RefreshToken).where(RefreshToken.session_id.in_(sessions.scalar_subquery()))
            .execution_options(synchronize_session=False))
        for part in _chunks(email_hashes):
            await self.session.execute(
                delete(LoginThrottle).where(LoginThrottle.email_hash.in_(part))
                .execution_options(synchronize_session=False))
        for table in self.practice_tables():
            await self.session.execute(delete(table).where(table.c.practice_id == practice_id))
        await self.session.execute(delete(Practice.__table__).where(  # type: ignore[arg-type]
            Practice.__table__.c.id == practice_id))
