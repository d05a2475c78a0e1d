"""ICE servers handed to both ends of a call: STUN as configured, TURN with time-limited
credentials in coturn's REST scheme. Nothing configured means ``[]`` (host candidates only:
aiortc would otherwise add Google's STUN server)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from backend_server.config import Settings


def _urls(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def turn_credentials(secret: str, now: datetime, ttl_seconds: int) -> tuple[str, str]:
    """coturn ``use-auth-secret``: username ``"<expiry unix>:<random>"``, password
    base64(HMAC-SHA1(secret, username))."""
    expiry = int(now.timestamp()) + ttl_seconds
    username = f"{expiry}:{secrets.token_hex(8)}"
    digest = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers(settings: Settings, now: datetime) -> list[dict[str, Any]]:
    servers: list[dict[str, Any]] = []
    stun = _urls(settings.video_stun_urls)
    if stun:
        servers.append({"urls": stun})
    turn = _urls(settings.video_turn_urls)
    secret = settings.video_turn_secret.get_secret_value()
    if turn and secret:
        username, credential = turn_credentials(secret, now, settings.video_turn_ttl_seconds)
        servers.append({"urls": turn, "username": username, "credential": credential})
    return servers
