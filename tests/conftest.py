"""Test-wide setup: Qt offscreen, and a real (private) Secret Service for keyring."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Logs and settings of the developer's machine must never leak into tests.
os.environ.pop("PRAXISDESK_DATA_DIR", None)
os.environ.pop("PRAXISDESK_PROFILE", None)
os.environ.pop("PRAXISDESK_DATABASE_URL", None)

from tests.support.secret_service import private_secret_service


@pytest.fixture(scope="session", autouse=True)
def secret_service() -> Iterator[dict[str, str]]:
    """Every test session talks to its own unlocked gnome-keyring over its own D-Bus."""
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                            "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
                                            "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL")}
    with private_secret_service() as env:
        os.environ.update(env)
        try:
            yield env
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """The production argon2id parameters (64 MiB, 3 passes, 4 lanes) cost 0.1-1.5 s per hash
    or check on the 2-core test machine, and most tests log in or create users without being
    about passwords. In-process servers get the same algorithm with tiny parameters for the
    whole session (module-scoped servers and logins included); servers started as
    subprocesses keep the real ones, and ``@pytest.mark.real_password_hashing`` opts a test
    out."""
    from argon2 import PasswordHasher

    from backend_server.auth import passwords
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher",
                      PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        passwords._dummy_hash.cache_clear()
        yield
    passwords._dummy_hash.cache_clear()


@pytest.fixture(autouse=True)
def _real_password_hashing_when_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    if not request.node.get_closest_marker("real_password_hashing"):
        yield
        return
    from argon2 import PasswordHasher

    from backend_server.auth import passwords
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher())
        passwords._dummy_hash.cache_clear()
        yield
    passwords._dummy_hash.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _no_automatic_gc() -> Iterator[None]:
    """Qt objects must be freed on the thread that owns them (see ui/gc_guard.py). With the
    automatic collector on, a cycle left by one test's widgets could be collected by a live
    server's or Chromium's thread during a later test's set-up and crash the run. So for the
    whole session the collector only runs where we call it: after each test, on this thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


_FULL_COLLECTION_EVERY = 50  # tests
_tests_since_full_collection = 0


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    # With automatic collection off, everything a test made is still in the young
    # generations, so collecting those frees the test's cycles at its end; a full pass over
    # the whole (large, mostly long-lived) heap after every test cost about a second each.
    global _tests_since_full_collection
    yield
    _tests_since_full_collection += 1
    if _tests_since_full_collection >= _FULL_COLLECTION_EVERY:
        _tests_since_full_collection = 0
        gc.collect()
    else:
        gc.collect(1)
