"""Queries of the conversation-summary flush hook.

They run inside a flush, on the synchronous session, and bypass the tenant filter: the ids
come from rows already in this session (whose practice the tenancy hook checks on write),
and the hook may run in sessions with system scope (CLI, retention). ORM queries return the
in-memory state of rows the session already holds, which is what the hook needs: pending
changes are not in the database yet.
"""

from __future__ import annotations

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.conversation import Conversation
from backend_server.models.inquiry import Inquiry
from backend_server.models.message import Message
from backend_server.models.patient import Patient


class SummaryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_change_log(self, practice_ids: list[str]) -> None:
        """PostgreSQL only: the per-practice advisory lock of the change log (held to
        commit; the change-log hook takes it again, which is a no-op then)."""
        for practice_id in practice_ids:
            self.session.connection().execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"change_log:{practice_id}"})

    def conversations(self, ids: set[str], patient_ids: set[str]) -> list[Conversation]:
        if not ids and not patient_ids:
            return []
        query = select(Conversation).where(or_(Conversation.id.in_(ids),
                                               Conversation.patient_id.in_(patient_ids)))
        return list(self.session.scalars(query.execution_options(**ALL_PRACTICES)))

    def unread_patient_messages(self, conversation_id: str) -> list[Message]:
        query = select(Message).where(Message.conversation_id == conversation_id,
                                      Message.author == "patient", Message.read_at.is_(None))
        return list(self.session.scalars(query.execution_options(**ALL_PRACTICES)))

    def inquiries(self, conversation_id: str) -> list[Inquiry]:
        query = select(Inquiry).where(Inquiry.conversation_id == conversation_id)
        return list(self.session.scalars(query.execution_options(**ALL_PRACTICES)))

    def newest_message(self, conversation_id: str, excluded: set[str]) -> Message | None:
        query = select(Message).where(Message.conversation_id == conversation_id)
        if excluded:
            query = query.where(Message.id.not_in(excluded))
        query = query.order_by(Message.created_at.desc(), Message.id.desc()).limit(1)
        return self.session.scalars(query.execution_options(**ALL_PRACTICES)).first()

    def patient(self, patient_id: str) -> Patient | None:
        query = select(Patient).where(Patient.id == patient_id)
        return self.session.scalars(query.execution_options(**ALL_PRACTICES)).first()
