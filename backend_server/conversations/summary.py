"""Keeps a conversation's summary columns true whenever what they summarise changes.

``Conversation.unread_count`` (patient messages with ``read_at`` null), ``open_inquiries``
(inquiries not ``done``), ``patient_name`` and ``last_message_preview`` are stored on the row
because the sync serializer is synchronous and lists must not run a query per row. They are
recomputed in a flush hook rather than by each service: every write path (messages, uploads,
inquiries, read marks, a renamed patient, retention deletes) then keeps them right without
remembering to, and the conversation becomes dirty in the same flush, so the change log gets
a ``conversation`` upsert and clients see the new counts.

The hook runs before the change-log hook (``insert=True``) so that upsert is recorded.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from backend_server.conversations.summary_repository import SummaryRepository
from backend_server.db.tenancy import TenantSession
from backend_server.models.base import new_id
from backend_server.models.conversation import Conversation
from backend_server.models.inquiry import Inquiry
from backend_server.models.message import Message
from backend_server.models.patient import Patient

PREVIEW_CHARS = 120


def preview_of(text: str) -> str:
    return " ".join(text.split())[:PREVIEW_CHARS]


def _name_changed(patient: Patient) -> bool:
    return bool(inspect(patient).attrs.name.history.has_changes())


def _affected(session: Session) -> tuple[set[str], set[str], list[Conversation]]:
    """(conversation ids, patient ids whose name changed, conversations in the session)."""
    conversation_ids: set[str] = set()
    renamed: set[str] = set()
    touched: list[Conversation] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Message | Inquiry):
            conversation_ids.add(obj.conversation_id)
        elif isinstance(obj, Patient) and obj in session.dirty and _name_changed(obj):
            renamed.add(obj.id)
        elif isinstance(obj, Conversation) and obj not in session.deleted and (
                obj in session.new or session.is_modified(obj)):
            if obj.id is None:
                obj.id = new_id()
            touched.append(obj)
    return conversation_ids, renamed, touched


def _refresh(session: Session, repo: SummaryRepository, conversation: Conversation) -> None:
    deleted = set(session.deleted)
    new = [o for o in session.new if getattr(o, "conversation_id", None) == conversation.id]

    unread = [m for m in repo.unread_patient_messages(conversation.id)
              if m.read_at is None and m not in deleted]
    unread += [m for m in new if isinstance(m, Message) and m.author == "patient"
               and m.read_at is None]

    inquiries = [i for i in repo.inquiries(conversation.id) if i not in deleted]
    inquiries += [i for i in new if isinstance(i, Inquiry)]
    open_count = sum(1 for i in inquiries if i.status != "done")

    candidates: list[Message | Inquiry] = []
    excluded = {o.id for o in deleted if isinstance(o, Message | Inquiry)}
    newest_message = repo.newest_message(conversation.id, excluded)
    if newest_message is not None:
        candidates.append(newest_message)
    candidates += [m for m in new if isinstance(m, Message)]
    candidates += inquiries
    newest = max(candidates, key=lambda o: (o.created_at, isinstance(o, Message), o.id or ""),
                 default=None)
    preview = preview_of(newest.text) if newest is not None else ""

    patient = repo.patient(conversation.patient_id)
    name = patient.name if patient is not None else conversation.patient_name

    for attr, value in (("unread_count", len(unread)), ("open_inquiries", open_count),
                        ("last_message_preview", preview), ("patient_name", name)):
        if getattr(conversation, attr) != value:
            setattr(conversation, attr, value)


def refresh_summaries(session: Session, conversation_ids: Collection[str]) -> None:
    """Recomputes the summary columns of these conversations from what is stored now.

    For writers that delete in bulk (the retention purge), which the flush hook cannot see:
    changed conversations become dirty, so the next flush records their ``conversation``
    upsert like any other change."""
    if not conversation_ids:
        return
    with session.no_autoflush:
        repo = SummaryRepository(session)
        for conversation in repo.conversations(set(conversation_ids), set()):
            _refresh(session, repo, conversation)


@event.listens_for(TenantSession, "before_flush", insert=True)
def _refresh_conversation_summaries(session: Session, flush_context: Any,
                                    instances: Any) -> None:
    conversation_ids, renamed, touched = _affected(session)
    if not (conversation_ids or renamed or touched):
        return
    with session.no_autoflush:
        repo = SummaryRepository(session)
        if session.get_bind().dialect.name == "postgresql":
            # Count only after concurrent writers of this practice have committed: the same
            # per-practice lock the change-log hook takes (db/change_tracking.py), taken
            # earlier. Under READ COMMITTED the counting queries then see their rows, so two
            # patient messages arriving at once cannot leave unread_count one short.
            practices = {getattr(o, "practice_id", None)
                         for o in (*session.new, *session.dirty, *session.deleted)}
            repo.lock_change_log(sorted(p for p in practices if isinstance(p, str)))
        conversations = {c.id: c for c in touched}
        for conversation in repo.conversations(conversation_ids - conversations.keys(),
                                               renamed):
            conversations.setdefault(conversation.id, conversation)
        for conversation in conversations.values():
            if conversation not in session.deleted:
                _refresh(session, repo, conversation)
