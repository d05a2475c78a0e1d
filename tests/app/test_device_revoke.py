"""Signed out by the server: the device wipes its cache, the cache key and the refresh
token; a copy of the cache file taken before is unreadable without the key."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from app.api.errors import NotAuthenticated, SessionRevoked
from app.cache.database import CacheKeyError, open_cache_sync
from app.core import ClientCore, ConnectionState
from app.events import EventBus
from app.inbox.types import InboxFilter
from app.secrets import SecretStore
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, logged_in_core
from tests.app.inbox_helpers import Staff


def secrets(core: ClientCore) -> SecretStore:
    assert core.settings.server_url
    assert core.settings.email
    return SecretStore(core.profile.id, core.settings.server_url, core.settings.email)


async def test_revoked_device_wipes_cache_and_keyring(tmp_path: Path, profile: Profile,
                                                      bus: EventBus,
                                                      practice: Practice) -> None:
    staff = Staff(practice)
    cid = staff.conversation(staff.patient("Maria Geheim")["id"])["id"]
    staff.send(cid, "Befund vertraulich")
    staff.close()

    revoked: list[tuple[object, ...]] = []
    states: list[object] = []
    bus.subscribe("session_revoked", lambda *a: revoked.append(a))
    bus.subscribe("connection_state", states.append)
    first = await logged_in_core(profile, bus, practice)
    second = ClientCore(Profile(tmp_path / "second"), EventBus())
    try:
        await first.sync_once()
        cache_path = first.profile.cache_path
        assert first.inbox.inbox_count(InboxFilter()) == 1
        key = await asyncio.to_thread(secrets(first).get_cache_key)
        assert key is not None
        copy = tmp_path / "stolen.db"
        await asyncio.to_thread(shutil.copyfile, cache_path, copy)

        # The same user signs in elsewhere and ends the first device's session there.
        await second.login(practice.server.url, practice.admin_email, PASSWORD)
        sessions = await second.list_sessions()
        (other,) = [s for s in sessions if not s.current]
        await second.revoke_session(other.id)

        with pytest.raises(SessionRevoked):
            await first.sync_once()
        assert revoked == [()]
        assert states[-1] is ConnectionState.AUTH_REQUIRED
        assert first.connection_state is ConnectionState.AUTH_REQUIRED
        assert first.cache is None
        for suffix in ("", "-wal", "-shm"):
            assert not await asyncio.to_thread(Path(f"{cache_path}{suffix}").exists)
        store = secrets(first)
        assert await asyncio.to_thread(store.get_cache_key) is None
        assert await asyncio.to_thread(store.get_refresh_token) is None
        assert not first.has_stored_login()

        # The copy taken before cannot be read: the only key is gone from the keyring,
        # another key does not open it, and it is no plain SQLite file.
        with pytest.raises(CacheKeyError):
            open_cache_sync(copy, os.urandom(32))
        plain = sqlite3.connect(copy)
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
        plain.close()
        assert b"vertraulich" not in await asyncio.to_thread(copy.read_bytes)

        # The other device keeps working and this one can sign in again (fresh cache).
        await second.sync_once()
        await first.login(practice.server.url, practice.admin_email, PASSWORD)
        result = await first.sync_once()
        assert result.applied > 0
        assert first.inbox.inbox_count(InboxFilter()) == 1
    finally:
        await first.close()
        await second.close()


async def test_expired_refresh_token_keeps_the_cache(profile: Profile, bus: EventBus,
                                                     practice: Practice) -> None:
    revoked: list[object] = []
    bus.subscribe("session_revoked", lambda *a: revoked.append(a))
    core = await logged_in_core(profile, bus, practice)
    try:
        await core.sync_once()
        practice.server.clock.advance(timedelta(days=31))
        core.api.access_token = None
        with pytest.raises(NotAuthenticated):
            await core.sync_once()
        assert revoked == []
        assert core.connection_state is ConnectionState.AUTH_REQUIRED
        assert await asyncio.to_thread(core.profile.cache_path.exists)
        assert await asyncio.to_thread(secrets(core).get_cache_key) is not None
    finally:
        await core.close()
