"""Writes a change_log row for every create/update/delete of a :class:`Synced` entity.

It hooks the flush, so every repository write is tracked without each one remembering to do
it; later entity kinds only need to derive from ``Synced`` and register a serializer in
``backend_server.sync.registry``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from backend_server.db.tenancy import TenantSession
from backend_server.models.base import Synced, TenantScoped, new_id
from backend_server.models.change_log import ChangeLog

log = logging.getLogger(__name__)

# session.info keys: practices whose change log this transaction grew, and who to tell once
# it commits (the live event hub; installed per Database through the sessionmaker's info).
PENDING_PRACTICES_KEY = "change_log_practices"
COMMIT_NOTIFIER_KEY = "change_log_notifier"

CommitNotifier = Callable[[frozenset[str]], None]


@event.listens_for(TenantSession, "before_flush")
def _record_changes(session: Session, flush_context: Any, instances: Any) -> None:
    records: list[ChangeLog] = []
    for op, objects in (
        ("upsert", session.new),
        ("upsert", [o for o in session.dirty if session.is_modified(o)]),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, Synced) or not isinstance(obj, TenantScoped):
                continue
            if getattr(obj, "id", None) is None:
                obj.id = new_id()  # type: ignore[attr-defined]
            records.append(
                ChangeLog(
                    practice_id=obj.practice_id,
                    kind=type(obj).__sync_kind__,
                    object_id=obj.id,  # type: ignore[attr-defined]
                    op=op,
                )
            )
    if records and session.get_bind().dialect.name == "postgresql":
        # PostgreSQL hands out sequence numbers before commit, so without this a reader could
        # see seq 8 committed while 7 is still open and move its cursor past 7 forever. The
        # lock (held to commit) makes each practice's change log grow in commit order. SQLite
        # serializes all writers anyway.
        for practice_id in sorted({r.practice_id for r in records}):
            session.connection().execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"change_log:{practice_id}"})
    session.add_all(records)
    if records:
        pending: set[str] = session.info.setdefault(PENDING_PRACTICES_KEY, set())
        pending.update(r.practice_id for r in records)


@event.listens_for(TenantSession, "after_commit")
def _announce_commit(session: Session) -> None:
    practices = session.info.pop(PENDING_PRACTICES_KEY, None)
    notifier = session.info.get(COMMIT_NOTIFIER_KEY)
    if not practices or notifier is None:
        return
    try:
        notifier(frozenset(practices))
    except Exception:  # the data is committed; a listener's failure must not look like ours
        log.exception("change notification failed")


@event.listens_for(TenantSession, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_PRACTICES_KEY, None)
