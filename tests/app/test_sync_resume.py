"""A server that goes away mid-sync loses nothing, and the next sync continues."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from app.api.client import ApiClient
from app.api.errors import ServerUnreachable
from app.cache.database import open_cache_sync
from app.cache.store import get_cursor, list_users
from app.sync.engine import SyncEngine
from tests.app.conftest import PASSWORD
from tests.support.live_server import LiveServer, start_live_server


class _DiesAfterFirstPage(ApiClient):
    """Stops the real server right after it answered the first page."""

    server: LiveServer

    async def sync_changes(self, cursor: str, limit: int | None = None) -> dict[str, Any]:
        page = await super().sync_changes(cursor, limit)
        if not cursor:
            self.server.stop()
        return page


async def test_sync_survives_server_going_away(tmp_path: Path) -> None:
    server = start_live_server(tmp_path)
    pid = server.create_practice("Praxis")
    server.create_user(pid, "admin@p.example", "admin", PASSWORD)
    for i in range(6):
        server.create_user(pid, f"mfa{i}@p.example", "staff", PASSWORD)

    cache = open_cache_sync(tmp_path / "cache.db", os.urandom(32))
    api = _DiesAfterFirstPage(server.url, timeout=2)
    api.server = server
    await api.login("admin@p.example", PASSWORD)
    with pytest.raises(ServerUnreachable):
        await SyncEngine(api, cache, page_size=3).sync_once()
    await api.aclose()
    assert len(list_users(cache)) == 3  # the first page is kept ...
    assert cache.run_sync(get_cursor)  # ... with the cursor that covers it

    restarted = start_live_server(tmp_path)  # same data directory, new port
    api2 = ApiClient(restarted.url)
    await api2.login("admin@p.example", PASSWORD)
    result = await SyncEngine(api2, cache, page_size=3).sync_once()
    assert result.applied == 4  # only what was missing
    emails = [u.email for u in list_users(cache)]
    assert len(emails) == len(set(emails)) == 7

    again = await SyncEngine(api2, cache, page_size=3).sync_once()
    assert again.applied == 0
    await api2.aclose()
    restarted.stop()
    cache.close()
