"""Checks the deletion log against itself and against the audit chain.

Each entry's ``payload_sha256`` must be the hash of what the entry says, and the audit entry
written with it (object_type ``deletion_log``) must carry the same hash as its detail hash;
the audit chain in turn covers that detail hash. So an edited entry, one whose hash was
recomputed after editing, a deleted entry and an added one all show.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.retention.deletion_log import payload_hash
from backend_server.retention.repository import DeletionLogRepository


@dataclass(frozen=True)
class DeletionLogReport:
    entries: int
    bad_id: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.bad_id is None


async def verify_deletion_log(session: AsyncSession) -> DeletionLogReport:
    repo = DeletionLogRepository(session)
    audited = await repo.audited_hashes()
    seen = 0
    async for entry in repo.stream_entries():
        seen += 1
        if payload_hash(entry) != entry.payload_sha256:
            return DeletionLogReport(seen, entry.id, f"deletion log entry {entry.id} was "
                                     "altered: its content does not match its hash")
        if entry.id not in audited:
            return DeletionLogReport(seen, entry.id, f"deletion log entry {entry.id} has no "
                                     "audit entry")
        if audited.pop(entry.id) != entry.payload_sha256:
            return DeletionLogReport(seen, entry.id, f"deletion log entry {entry.id} does not "
                                     "match the hash recorded in the audit log")
        session.expunge(entry)
    if audited:
        missing = sorted(audited)[0]
        return DeletionLogReport(seen, missing, f"deletion log entry {missing} is missing "
                                 "(the audit log records it)")
    return DeletionLogReport(seen)
