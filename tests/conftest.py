"""Test-wide setup: Qt offscreen, and a real (private) Secret Service for keyring."""

from __future__ import annotations

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
