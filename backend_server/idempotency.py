"""Idempotency for writes that have no new row to carry their key (updates, deletes, template
creates whose row may later be deleted): one row per (practice, kind of write, key)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.errors import conflict
from backend_server.models.idempotency import IdempotencyKey

MAX_KEY = 200


def request_hash(*parts: Any) -> str:
    """A stable hash of what a request asks for (target ids and body)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, kind: str, key: str) -> IdempotencyKey | None:
        result = await self.session.execute(
            select(IdempotencyKey).where(IdempotencyKey.kind == kind, IdempotencyKey.key == key))
        return result.scalar_one_or_none()

    async def add(self, row: IdempotencyKey) -> None:
        self.session.add(row)
        await self.session.flush()


async def earlier_object_id(session: AsyncSession, *, kind: str, key: str | None,
                            fingerprint: str) -> str | None:
    """The object the same request made before (a retry), None for a new key or no key
    (optional on some creates); a key used for a different request answers 409."""
    if key is None:
        return None
    row = await IdempotencyRepository(session).get(kind, key)
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise conflict("This Idempotency-Key was already used for a different request.")
    return row.object_id


async def remember(session: AsyncSession, *, practice_id: str, kind: str, key: str | None,
                   fingerprint: str, object_id: str, now: datetime) -> None:
    if key is None:
        return  # nothing to answer a retry from
    await IdempotencyRepository(session).add(IdempotencyKey(
        practice_id=practice_id, kind=kind, key=key, request_hash=fingerprint,
        object_id=object_id, created_at=now))


IdempotencyKeyHeader = Annotated[str, Header(
    alias="Idempotency-Key", min_length=1, max_length=MAX_KEY,
    description="a unique string per write; a retry with the same key and body answers 200 "
                "with the earlier result instead of writing again, another body 409")]

# For creates that integrations already call without a key (DESIGN.md's stable REST paths):
# the key is optional there, and a retry with one is answered from the earlier result.
OptionalIdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=MAX_KEY,
    description="optional; a retry with the same key and body answers 200 with the earlier "
                "result instead of creating a second one, another body 409")]
