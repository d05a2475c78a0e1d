"""The production password hashes: argon2id with RFC 9106 low-memory parameters (the rest of
the suite swaps in tiny parameters, see tests/conftest.py)."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from backend_server.auth import passwords


@pytest.mark.real_password_hashing
def test_hashes_are_argon2id_with_the_rfc_9106_low_memory_cost() -> None:
    stored = passwords.hash_password("richtig-geheim-1")
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 65536, 4)
    assert passwords.verify_password(stored, "richtig-geheim-1")
    assert not passwords.verify_password(stored, "falsch-geheim-1")
    assert not passwords.verify_password("kein hash", "richtig-geheim-1")


def test_hashes_made_with_other_parameters_still_verify() -> None:
    # Rows hashed with the test parameters must verify with any parameters: argon2 reads the
    # cost from the hash itself, so a practice's old hashes keep working if defaults change.
    stored = passwords.hash_password("richtig-geheim-1")
    assert passwords.verify_password(stored, "richtig-geheim-1")
