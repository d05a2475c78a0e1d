"""Who is on the other end of an event socket: the hello frame and its access token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from backend_server.auth.service import Caller, authenticate
from backend_server.context import ServerContext
from backend_server.errors import ProblemError


@dataclass(frozen=True)
class Hello:
    access_token: str
    cursor: str


class MalformedHello(ValueError):
    """The first frame is not ``{"type": "hello", "access_token": str, "cursor": str}``."""


def parse_hello(text: str) -> Hello:
    try:
        body: Any = json.loads(text)
    except ValueError as exc:
        raise MalformedHello("not JSON") from exc
    if not isinstance(body, dict) or body.get("type") != "hello":
        raise MalformedHello("not a hello frame")
    token, cursor = body.get("access_token"), body.get("cursor", "")
    if cursor is None:
        cursor = ""
    if not isinstance(token, str) or not isinstance(cursor, str) or len(cursor) > 200:
        raise MalformedHello("hello fields have the wrong types")
    return Hello(access_token=token, cursor=cursor)


@dataclass(frozen=True)
class SocketCaller:
    caller: Caller
    expires_at: datetime


async def authenticate_socket(ctx: ServerContext, access_token: str) -> SocketCaller | None:
    """The same checks as the bearer dependency (signature, expiry on the injected clock,
    revoked session, inactive user); None if any fails."""
    async with ctx.db.session() as session:
        try:
            caller = await authenticate(ctx, session, access_token)
        except ProblemError:
            return None
        await session.commit()  # authenticate may have refreshed the session's last use
    # The signature was verified just now; only the expiry is read back out.
    claims = jwt.decode(access_token, options={"verify_signature": False})
    return SocketCaller(caller=caller, expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC))
