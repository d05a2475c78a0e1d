"""argon2id password hashes."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory defaults

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("praxisdesk-no-such-user")


def burn_verification_time(password: str) -> None:
    """Costs as much as a real check, so an unknown e-mail answers as slowly as a wrong
    password and the timing does not reveal which addresses have accounts."""
    verify_password(_dummy_hash(), password)


# argon2 takes ~0.1 s of CPU and releases the GIL: off the event loop it does not stall
# every other request of the server.
async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


async def burn_verification_time_async(password: str) -> None:
    await asyncio.to_thread(burn_verification_time, password)
