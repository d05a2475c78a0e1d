"""Queries of the retention purge and of the deletion-log check.

The purge works on id batches with bulk (Core-style) statements: a million expired messages
must not become a million ORM objects. Every statement names its practice explicitly, because
the purge session is system-scoped (the tenancy hook does not filter it).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.attachment import Attachment
from backend_server.models.audit_entry import AuditEntry
from backend_server.models.call import Call
from backend_server.models.change_log import ChangeLog
from backend_server.models.conversation import Conversation
from backend_server.models.deletion_log import DeletionLog
from backend_server.models.form import FormRequest
from backend_server.models.idempotency import IdempotencyKey
from backend_server.models.inquiry import Inquiry
from backend_server.models.message import Message
from backend_server.models.note import Note
from backend_server.models.patient_link import PatientLink
from backend_server.models.practice import Practice
from backend_server.patient_links.repository import PatientLinkRepository

# Rows of one conversation-bound kind: (id, conversation_id).
IdRows = list[tuple[str, str]]
ContentModel = type[Message] | type[Inquiry] | type[Note] | type[PatientLink]
AnyPurgedModel = (ContentModel | type[Attachment] | type[IdempotencyKey] | type[Conversation]
                  | type[FormRequest] | type[Call])


def _one_of(session: AsyncSession, column: Any, ids: Sequence[str]) -> ColumnElement[bool]:
    """``column IN ids`` for thousands of ids. On SQLite the ids travel as one JSON text
    (``json_each``): building and binding 5000 separate parameters costs more than the
    delete itself."""
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        values = func.json_each(json.dumps(list(ids))).table_valued("value")
        return column.in_(select(values.c.value))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]


def _practice_is(session: AsyncSession, column: Any, practice_id: str) -> ColumnElement[bool]:
    """The practice check of a statement driven by an id list. On SQLite written as an
    expression (``practice_id || ''``), which the planner cannot serve from the practice
    index: without statistics it would otherwise prefer that index to the id list and scan
    the practice's whole table for every batch."""
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        return column.op("||")("") == practice_id  # type: ignore[no-any-return]
    return column == practice_id  # type: ignore[no-any-return]


class PurgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _practice_is(self, column: Any, practice_id: str) -> ColumnElement[bool]:
        return _practice_is(self.session, column, practice_id)

    def _one_of(self, column: Any, ids: Sequence[str]) -> ColumnElement[bool]:
        return _one_of(self.session, column, ids)

    async def practice_ids(self) -> list[str]:
        result = await self.session.execute(select(Practice.id).order_by(Practice.id))
        return [str(r) for r in result.scalars()]

    # --- finding expired rows (one bounded batch at a time) -------------------------------

    async def expired_rows(self, model: ContentModel, practice_id: str, cutoff: datetime,
                           limit: int) -> IdRows:
        """Up to ``limit`` expired rows. On SQLite they come through the practice_id index,
        i.e. in rowid (= roughly creation) order: a batch then dirties few, adjacent table
        pages, which is what makes a million-row purge fast. Rows deleted by the previous
        batch are gone, so each batch starts where the last one ended."""
        result = await self.session.execute(
            select(model.id, model.conversation_id)
            .where(model.practice_id == practice_id, model.created_at < cutoff).limit(limit))
        return [(str(i), str(c)) for i, c in result.all()]

    async def expired_attachments(self, practice_id: str, cutoff: datetime,
                                  limit: int) -> list[str]:
        result = await self.session.execute(
            select(Attachment.id)
            .where(Attachment.practice_id == practice_id, Attachment.created_at < cutoff)
            .limit(limit))
        return [str(i) for i in result.scalars()]

    async def expired_idempotency_keys(self, practice_id: str, cutoff: datetime,
                                       limit: int) -> list[str]:
        result = await self.session.execute(
            select(IdempotencyKey.id)
            .where(IdempotencyKey.practice_id == practice_id,
                   IdempotencyKey.created_at < cutoff).limit(limit))
        return [str(i) for i in result.scalars()]

    async def expired_conversations(self, practice_id: str, cutoff: datetime,
                                    limit: int) -> list[str]:
        result = await self.session.execute(
            select(Conversation.id)
            .where(Conversation.practice_id == practice_id,
                   Conversation.last_activity_at < cutoff)
            .order_by(Conversation.id).limit(limit))
        return [str(i) for i in result.scalars()]

    def _form_request_expired(self, practice_id: str, cutoff: datetime
                              ) -> ColumnElement[bool]:
        """A request is content (the draft): it expires by its last change, or with its
        conversation."""
        dead_conversations = select(Conversation.id).where(
            Conversation.practice_id == practice_id, Conversation.last_activity_at < cutoff)
        return or_(FormRequest.updated_at < cutoff,
                   FormRequest.conversation_id.in_(dead_conversations))

    async def expired_form_requests(self, practice_id: str, cutoff: datetime,
                                    limit: int) -> list[str]:
        result = await self.session.execute(
            select(FormRequest.id)
            .where(FormRequest.practice_id == practice_id,
                   self._form_request_expired(practice_id, cutoff)).limit(limit))
        return [str(i) for i in result.scalars()]

    async def count_expired_form_requests(self, practice_id: str, cutoff: datetime) -> int:
        result = await self.session.execute(
            select(func.count()).select_from(FormRequest)
            .where(FormRequest.practice_id == practice_id,
                   self._form_request_expired(practice_id, cutoff)))
        return int(result.scalar_one())

    async def delete_form_requests(self, practice_id: str, ids: Sequence[str],
                                   cutoff: datetime) -> list[str]:
        """Deletes these requests if they are still expired (a draft saved meanwhile keeps
        its request)."""
        return await self.delete_ids(FormRequest, practice_id, ids,
                                     self._form_request_expired(practice_id, cutoff))

    async def attachments_of_messages(self, practice_id: str,
                                      message_ids: Sequence[str]) -> list[str]:
        result = await self.session.execute(
            select(Attachment.id).where(self._practice_is(Attachment.practice_id, practice_id),
                                        self._one_of(Attachment.message_id, message_ids)))
        return [str(i) for i in result.scalars()]

    async def children_of(self, model: ContentModel | type[Attachment], practice_id: str,
                          conversation_ids: Sequence[str], cutoff: datetime,
                          limit: int) -> list[str]:
        """Rows still left in conversations that are deleted whole; none of a conversation
        that came back to life meanwhile (a new message moved its last activity)."""
        still_expired = select(Conversation.id).where(
            self._practice_is(Conversation.practice_id, practice_id),
            Conversation.id.in_(conversation_ids),
            Conversation.last_activity_at < cutoff)
        result = await self.session.execute(
            select(model.id).where(self._practice_is(model.practice_id, practice_id),
                                   model.conversation_id.in_(still_expired)).limit(limit))
        return [str(i) for i in result.scalars()]

    # --- deleting -------------------------------------------------------------------------

    async def delete_ids(self, model: AnyPurgedModel, practice_id: str, ids: Sequence[str],
                         *also: ColumnElement[bool]) -> list[str]:
        """Deletes these rows (if they still match ``also``); returns the ids deleted."""
        if not ids:
            return []
        result = await self.session.execute(
            delete(model).where(self._practice_is(model.practice_id, practice_id),
                                self._one_of(model.id, ids),
                                *also)
            .returning(model.id).execution_options(synchronize_session=False))
        return [str(i) for i in result.scalars()]

    async def delete_change_log(self, practice_id: str, kind: str,
                                object_ids: Sequence[str]) -> list[str]:
        """Compaction: a purged object leaves no trace in the sync feed (clients purge by
        the same rule, so they need no tombstone).

        The table's newest row is never deleted here: SQLite (no AUTOINCREMENT on this
        table) would hand its seq out again, below cursors clients already hold, and they
        would miss that change. Returns the object whose row was spared, if it is one of
        these; the caller deletes it once a newer row exists (:meth:`delete_spared`)."""
        if not object_ids:
            return []
        newest = select(func.max(ChangeLog.seq)).scalar_subquery()
        await self.session.execute(
            delete(ChangeLog).where(self._one_of(ChangeLog.object_id, object_ids),
                                    self._practice_is(ChangeLog.practice_id, practice_id),
                                    ChangeLog.kind == kind, ChangeLog.seq < newest)
            .execution_options(synchronize_session=False))
        top = (await self.session.execute(
            select(ChangeLog.object_id).where(ChangeLog.seq == newest,
                                              ChangeLog.practice_id == practice_id,
                                              ChangeLog.kind == kind))).scalar_one_or_none()
        return [str(top)] if top is not None and top in set(object_ids) else []

    async def delete_spared(self, practice_id: str, spared: Sequence[tuple[str, str]]) -> None:
        """The rows :meth:`delete_change_log` kept, once something newer was written."""
        for kind, object_id in spared:
            await self.delete_change_log(practice_id, kind, [object_id])

    # --- dry run: what a purge would delete -----------------------------------------------

    async def count_expired(self, practice_id: str, cutoff: datetime) -> dict[str, int]:
        """The counts a purge at this cutoff would report (same rules, no writes)."""
        dead_conversations = (select(Conversation.id)
                              .where(Conversation.practice_id == practice_id,
                                     Conversation.last_activity_at < cutoff))
        expired_messages = select(Message.id).where(Message.practice_id == practice_id,
                                                    Message.created_at < cutoff)

        async def count(model: Any, *conditions: ColumnElement[bool]) -> int:
            result = await self.session.execute(
                select(func.count()).select_from(model)
                .where(model.practice_id == practice_id, or_(*conditions)))
            return int(result.scalar_one())

        def by_time_or_conversation(model: Any) -> tuple[ColumnElement[bool], ...]:
            return (model.created_at < cutoff,
                    model.conversation_id.in_(dead_conversations))

        return {
            "message": await count(Message, *by_time_or_conversation(Message)),
            "attachment": await count(Attachment, *by_time_or_conversation(Attachment),
                                      Attachment.message_id.in_(expired_messages)),
            "inquiry": await count(Inquiry, *by_time_or_conversation(Inquiry)),
            "note": await count(Note, *by_time_or_conversation(Note)),
            "patient_link": await count(PatientLink, *by_time_or_conversation(PatientLink)),
            "conversation": await count(Conversation, Conversation.last_activity_at < cutoff),
            "idempotency_key": await count(IdempotencyKey, IdempotencyKey.created_at < cutoff),
        }

    # --- conversations that survive --------------------------------------------------------

    async def newest_link_expiry(self, conversation_id: str) -> datetime | None:
        return await PatientLinkRepository(self.session).newest_unrevoked_expiry(
            conversation_id)

    async def conversations(self, ids: Sequence[str]) -> list[Conversation]:
        result = await self.session.execute(select(Conversation).where(Conversation.id.in_(ids)))
        return list(result.scalars())


class DeletionLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stream_entries(self) -> AsyncIterator[DeletionLog]:
        result = await self.session.stream(
            select(DeletionLog).order_by(DeletionLog.at, DeletionLog.id)
            .execution_options(yield_per=500))
        async for entry in result.scalars():
            yield entry

    async def audited_hashes(self) -> dict[str, str | None]:
        """deletion_log id -> the detail hash its audit entry carries."""
        result = await self.session.execute(
            select(AuditEntry.object_id, AuditEntry.detail_hash)
            .where(AuditEntry.object_type == "deletion_log"))
        return {str(object_id): detail for object_id, detail in result.all()}
