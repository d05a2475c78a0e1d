"""Cheap argon2 parameters for tests that log users in but are not about passwords: the
production hasher costs ~0.5 s per hash or check on the 2-core test machine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

from backend_server.auth import passwords


@contextmanager
def cheap_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher",
                      PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield
