"""Delta sync: the latest state of every object changed since the client's cursor."""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.errors import ProblemError
from backend_server.sync.registry import sync_kind
from backend_server.sync.repository import ChangeLogRepository
from backend_server.sync.schemas import ChangeOut, ChangesOut

_PREFIX = "c1:"


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode("ascii")).decode("ascii")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raw = ""
    if not raw.startswith(_PREFIX) or not raw[len(_PREFIX):].isdigit():
        raise ProblemError(422, "validation_error", "The sync cursor is not valid.",
                           errors=[{"loc": ["query", "cursor"], "msg": "unknown cursor"}])
    return int(raw[len(_PREFIX):])


async def changes_since(session: AsyncSession, cursor: str | None, page_size: int) -> ChangesOut:
    return await changes_after(session, decode_cursor(cursor), page_size)


async def changes_after(session: AsyncSession, after: int, page_size: int) -> ChangesOut:
    """One page of changes after change-log position ``after`` (the websocket hub reads
    through here too, so both paths answer identically)."""
    repo = ChangeLogRepository(session)
    rows = await repo.latest_changes_after(after, page_size + 1)
    has_more = len(rows) > page_size
    rows = rows[:page_size]

    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, object_id, _ in rows:
        ids_by_kind[kind].append(object_id)
    current: dict[tuple[str, str], dict[str, object]] = {}
    for kind, ids in ids_by_kind.items():
        spec = sync_kind(kind)
        if spec is None:
            continue
        for object_id, obj in (await repo.load(spec.model, ids)).items():
            current[(kind, object_id)] = spec.serialize(obj)

    changes = []
    for kind, object_id, _ in rows:
        data = current.get((kind, object_id))
        changes.append(ChangeOut(kind=kind, op="upsert" if data is not None else "delete",
                                 id=object_id, data=data))
    last_seq = rows[-1][2] if rows else after
    # Without more pages nothing lies beyond this one in the snapshot just read, so the
    # common case (live updates, the last page) costs no extra query.
    remaining = await repo.count_objects_after(last_seq) if has_more else 0
    return ChangesOut(cursor=encode_cursor(last_seq), changes=changes, has_more=has_more,
                      remaining=remaining)

