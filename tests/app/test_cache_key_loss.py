"""When the keyring loses or changes the cache key, the cache is wiped and reloaded."""

from __future__ import annotations

import keyring
import pytest

from app.cache.database import is_encrypted_file
from app.core import CacheOpenOutcome, ClientCore, ConnectionState
from app.events import EventBus
from app.secrets import SERVICE, KeyringUnavailable, SecretStore
from app.settings import Profile
from tests.app.conftest import Practice, Recorder, logged_in_core, wait_for


def _store(core: ClientCore) -> SecretStore:
    assert core.settings.server_url
    assert core.settings.email
    return SecretStore(core.profile.id, core.settings.server_url, core.settings.email)


async def _first_session(profile: Profile, bus: EventBus, practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    await core.sync_once()
    assert {u.email for u in core.directory()} == {practice.admin_email, practice.staff_email}
    await core.close()


async def test_missing_key_wipes_and_resyncs(profile: Profile, bus: EventBus,
                                             recorder: Recorder, practice: Practice) -> None:
    await _first_session(profile, bus, practice)
    old_bytes = profile.cache_path.read_bytes()

    core = ClientCore(profile, bus)
    keyring.delete_password(SERVICE, _store(core).cache_key_name)

    assert core.has_stored_login()
    assert await core.start() is CacheOpenOutcome.RESET_KEY_MISSING
    assert recorder.named("cache_reset") == [(CacheOpenOutcome.RESET_KEY_MISSING,)]
    # The sync writes the directory a moment before it reports the connection online.
    await wait_for(lambda: len(core.directory()) == 2
                   and core.connection_state is ConnectionState.ONLINE, timeout=15)
    assert is_encrypted_file(profile.cache_path)
    assert profile.cache_path.read_bytes()[:64] != old_bytes[:64]  # a new file, new key
    await core.close()


async def test_wrong_key_wipes_and_resyncs(profile: Profile, bus: EventBus,
                                           recorder: Recorder, practice: Practice) -> None:
    await _first_session(profile, bus, practice)
    core = ClientCore(profile, bus)
    keyring.set_password(SERVICE, _store(core).cache_key_name, "11" * 32)

    assert await core.start() is CacheOpenOutcome.RESET_KEY_WRONG
    assert recorder.named("cache_reset") == [(CacheOpenOutcome.RESET_KEY_WRONG,)]
    await wait_for(lambda: len(core.directory()) == 2)
    await core.close()


async def test_intact_key_keeps_cache(profile: Profile, bus: EventBus, recorder: Recorder,
                                      practice: Practice) -> None:
    await _first_session(profile, bus, practice)
    practice.server.stop()  # offline: the cached directory must still be there
    core = ClientCore(profile, bus)
    assert await core.start() is CacheOpenOutcome.OPENED
    assert len(core.directory()) == 2
    await wait_for(lambda: core.connection_state is ConnectionState.OFFLINE)
    assert recorder.named("cache_reset") == []
    await core.close()


class _PlaintextFileKeyring(keyring.backend.KeyringBackend):
    """Stands for keyrings.alt's file backend, which keeps secrets in a readable file."""

    @keyring.backend.properties.classproperty  # type: ignore[attr-defined,untyped-decorator]
    def priority(cls) -> float:
        # Not viable for automatic selection, so only the test that installs it sees it.
        raise RuntimeError("installed explicitly by the test")

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a secret was written to an unsafe backend")

    def delete_password(self, service: str, username: str) -> None:
        return None


_PlaintextFileKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.usefixtures("restore_keyring")
@pytest.mark.parametrize("backend", ["fail", "plaintext"])
async def test_unsafe_keyring_is_refused_and_nothing_is_written(
        profile: Profile, bus: EventBus, practice: Practice, backend: str) -> None:
    from keyring.backends import fail

    unsafe = fail.Keyring() if backend == "fail" else _PlaintextFileKeyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(unsafe)
    core = ClientCore(profile, bus)
    with pytest.raises(KeyringUnavailable, match="keyring"):
        await core.login(practice.server.url, practice.admin_email, "correct horse battery")
    assert not profile.cache_path.exists()
    await core.close()


@pytest.mark.usefixtures("restore_keyring")
async def test_unreadable_keyring_keeps_the_cache(profile: Profile, bus: EventBus,
                                                  practice: Practice) -> None:
    """A locked keyring is not a lost key: the cache must survive until it is unlocked."""
    from keyring.backends import fail

    await _first_session(profile, bus, practice)
    before = profile.cache_path.read_bytes()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    core = ClientCore(profile, bus)
    with pytest.raises(KeyringUnavailable):
        await core.start()
    assert profile.cache_path.read_bytes() == before
    await core.close()


async def test_request_sync_pulls_new_users_at_once(profile: Profile, bus: EventBus,
                                                    practice: Practice) -> None:
    await _first_session(profile, bus, practice)
    core = ClientCore(profile, bus)
    await core.start()
    await wait_for(lambda: core.connection_state is ConnectionState.ONLINE)
    practice.server.create_user(practice.practice_id, "neu@praxis.example", "physician",
                                "another long password")
    core.request_sync()  # without it the next sync would be sync_interval_s (30 s) away
    await wait_for(lambda: len(core.directory()) == 3, timeout=5)
    await core.close()
