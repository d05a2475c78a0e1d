"""Server -> cache: pull change pages until caught up, one transaction per page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.api.client import ApiClient
from app.api.errors import ProtocolError
from app.cache.database import CacheDB
from app.cache.store import delete_user, get_cursor, set_cursor, upsert_user

log = logging.getLogger(__name__)

Applier = Callable[[Any, str, str, dict[str, Any] | None], None]


def _apply_user(conn: Any, op: str, object_id: str, data: dict[str, Any] | None) -> None:
    if op == "delete" or data is None:
        delete_user(conn, object_id)
    else:
        upsert_user(conn, {**data, "id": object_id})


# Later features register their kinds here (conversation, message, ...).
APPLIERS: dict[str, Applier] = {"user": _apply_user}


@dataclass(frozen=True)
class SyncResult:
    applied: int
    pages: int
    cursor: str


class SyncEngine:
    def __init__(self, api: ApiClient, cache: CacheDB, *, page_size: int = 500) -> None:
        self.api = api
        self.cache = cache
        self.page_size = page_size

    async def sync_once(self) -> SyncResult:
        cursor = await self.cache.run(get_cursor)
        applied = pages = 0
        while True:
            page = await self.api.sync_changes(cursor, limit=self.page_size)
            changes = page.get("changes")
            if not isinstance(changes, list):
                raise ProtocolError("malformed sync answer")
            new_cursor = str(page["cursor"])

            def apply(conn: Any, changes: list[Any] = changes, new_cursor: str = new_cursor) -> int:
                count = 0
                for change in changes:
                    applier = APPLIERS.get(str(change.get("kind")))
                    if applier is None:
                        continue  # a newer server may know kinds this client does not
                    applier(conn, str(change["op"]), str(change["id"]), change.get("data"))
                    count += 1
                # The cursor moves in the same transaction as the data it covers.
                set_cursor(conn, new_cursor)
                return count

            applied += await self.cache.run(apply)
            pages += 1
            cursor = new_cursor
            if not page.get("has_more"):
                break
        log.info("sync done: %d changes in %d pages", applied, pages)
        return SyncResult(applied, pages, cursor)
