"""Writing the deletion log: one row per purge/erasure, chained into the audit log."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.models.base import new_id
from backend_server.models.deletion_log import DELETION_KINDS, DeletionLog

# A purge of a million messages must not write a million ids into one row; counts stay exact.
MAX_IDS_PER_KIND = 10_000


def payload_hash(entry: DeletionLog) -> str:
    """sha256 over the entry's canonical JSON (everything but the hash itself)."""
    payload = {
        "id": entry.id,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "practice_id": entry.practice_id,
        "kind": entry.kind,
        "actor_user_id": entry.actor_user_id,
        "counts": entry.counts,
        "ids": entry.ids,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


async def record_deletion(
    session: AsyncSession,
    *,
    kind: str,
    at: datetime,
    practice_id: str | None,
    counts: dict[str, int],
    ids: dict[str, list[str]],
    actor_user_id: str | None = None,
) -> DeletionLog:
    """Adds the entry and its audit entry (action ``deletion.<kind>``) to the session's
    transaction, so both commit with the deletion they describe. Ids only, never content."""
    if kind not in DELETION_KINDS:
        raise ValueError(f"unknown deletion kind {kind!r}")
    capped: dict[str, Any] = {}
    all_counts = dict(counts)
    for name, values in ids.items():
        capped[name] = list(values[:MAX_IDS_PER_KIND])
        if len(values) > MAX_IDS_PER_KIND:
            all_counts[f"{name}_ids_truncated"] = len(values) - MAX_IDS_PER_KIND
    entry = DeletionLog(id=new_id(), at=at, practice_id=practice_id, kind=kind,
                        actor_user_id=actor_user_id, counts=all_counts, ids=capped)
    entry.payload_sha256 = payload_hash(entry)
    session.add(entry)
    await session.flush()
    await audit.record(session, f"deletion.{kind}", at=at, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="deletion_log",
                       object_id=entry.id, detail_hash=entry.payload_sha256)
    return entry
