"""Access tokens (short-lived JWT) and refresh tokens (opaque, stored as sha256 only)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    practice_id: str
    session_id: str


def issue_access_token(
    secret: str, claims: AccessClaims, *, now: datetime, ttl: timedelta
) -> str:
    payload = {
        "sub": claims.user_id,
        "pid": claims.practice_id,
        "sid": claims.session_id,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_access_token(secret: str, token: str, *, now: datetime) -> AccessClaims | None:
    """The claims of a valid, unexpired token, else None. Expiry is checked against the
    injected clock rather than PyJWT's wall clock, so tests can move time."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False,
                     "require": ["sub", "pid", "sid", "exp", "typ"]},
        )
    except jwt.PyJWTError:
        return None
    if payload.get("typ") != "access" or not isinstance(payload.get("exp"), int):
        return None
    if now.timestamp() >= payload["exp"]:
        return None
    sub, pid, sid = payload["sub"], payload["pid"], payload["sid"]
    if not all(isinstance(v, str) for v in (sub, pid, sid)):
        return None
    return AccessClaims(user_id=sub, practice_id=pid, session_id=sid)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
