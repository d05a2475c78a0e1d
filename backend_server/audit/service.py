"""Appending to and checking the audit log.

An append claims the next sequence number by updating the single ``audit_head`` row. The
database holds that row (SQLite: the writer lock; PostgreSQL: the row lock) until the
appending transaction ends, so appends are serialized by the database itself, also across
processes (a CLI command next to the running server), and the chain cannot fork. The entry
is durable when the caller's transaction commits, together with what it records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit.chain import ChainReport, ChainVerifier, hash_of
from backend_server.audit.repository import AuditRepository
from backend_server.models.audit_entry import AuditEntry


async def record(
    session: AsyncSession,
    action: str,
    *,
    at: datetime,
    practice_id: str | None,
    actor_user_id: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    detail_hash: str | None = None,
) -> AuditEntry:
    """Adds an entry to the session's transaction. Ids only: never names or content."""
    repo = AuditRepository(session)
    seq, prev_hash = await repo.advance_head()
    entry = AuditEntry(seq=seq, at=at, practice_id=practice_id, actor_user_id=actor_user_id,
                       action=action, object_type=object_type, object_id=object_id,
                       detail_hash=detail_hash, prev_hash=prev_hash)
    entry.hash = hash_of(entry, prev_hash)
    await repo.add(entry)
    await repo.set_head_hash(entry.hash)
    return entry


async def verify(session: AsyncSession) -> ChainReport:
    repo = AuditRepository(session)
    verifier = ChainVerifier()
    last: tuple[int, str] | None = None
    async for entry in repo.stream_all():
        if not verifier.feed(entry):
            return verifier.report()
        last = (entry.seq, entry.hash)
        session.expunge(entry)  # keep memory flat on long logs
    report = verifier.report()
    head = await repo.head()
    last_seq, last_hash = last or (0, "0" * 64)
    if head is not None and (head.seq, head.hash) != (last_seq, last_hash):
        return ChainReport(report.entries, last_seq + 1,
                           f"chain break at seq {last_seq + 1}: the newest entries "
                           f"(up to seq {head.seq}) are missing or the head was altered")
    return report
