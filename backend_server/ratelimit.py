"""In-memory rate limiting for every patient path (``/p/...``, ``/api/v1/p/...`` and the
video page's ``/v/...``).

Patients have no account, so a link token is all an attacker needs to try; the limits
slow down guessing and flooding. Each request is counted against its client IP and its
token (token buckets: a steady rate with a burst of the same size); uploads also against a
separate, smaller budget. Over a limit: 429 ``rate_limited`` with ``Retry-After``.

Memory is bounded: buckets are kept in least-recently-used order and the oldest are
dropped beyond ``rate_limit_max_buckets`` (a dropped bucket starts full again, which only
ever errs towards letting a patient through). Buckets are keyed by a hash of the token, so
tokens are not kept in memory either. Behind a reverse proxy every client has the proxy's
IP; the per-token limit still applies.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from backend_server.config import Settings
from backend_server.errors import problem_response

PATIENT_PATH = re.compile(r"^(?:/api/v1)?/p/([^/]+)")
# The video patient page (issue 4): /v/{token}..., and /v/code (join by code, per IP only).
VIDEO_PATH = re.compile(r"^/v/([^/]+)")
VIDEO_FIXED = frozenset({"terms"})
CODE_JOIN = "code"


def patient_token(path: str) -> str | None:
    match = PATIENT_PATH.match(path) or VIDEO_PATH.match(path)
    if match is None or match.group(1) in VIDEO_FIXED:
        return None
    return match.group(1)


@dataclass(frozen=True)
class Limit:
    requests: int
    per_seconds: float


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, *, max_buckets: int, now: Callable[[], float]) -> None:
        self.max_buckets = max_buckets
        self._now = now
        self._buckets: OrderedDict[tuple[str, ...], _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def _bucket(self, key: tuple[str, ...], limit: Limit, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(tokens=float(limit.requests), updated=now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            rate = limit.requests / limit.per_seconds
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(limit.requests), bucket.tokens + elapsed * rate)
            bucket.updated = now
        return bucket

    def take(self, checks: list[tuple[tuple[str, ...], Limit]]) -> float:
        """Counts one request against every bucket if all allow it and answers 0; else
        counts nothing and answers the seconds until all would allow it."""
        now = self._now()
        buckets = [(self._bucket(key, limit, now), limit) for key, limit in checks]
        wait = 0.0
        for bucket, limit in buckets:
            if bucket.tokens < 1.0:
                wait = max(wait, (1.0 - bucket.tokens) * limit.per_seconds / limit.requests)
        if wait > 0:
            return wait
        for bucket, _ in buckets:
            bucket.tokens -= 1.0
        return 0.0


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class PatientRateLimitMiddleware:
    """ASGI middleware; everything outside the patient paths passes untouched."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter, settings: Settings) -> None:
        self.app = app
        self.limiter = limiter
        self.requests = Limit(settings.patient_rate_per_minute, 60.0)
        self.uploads = Limit(settings.patient_upload_rate,
                             settings.patient_upload_window_minutes * 60.0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        token = patient_token(path)
        if token is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        ip = str(client[0]) if client else "unknown"
        token_key = _hashed(token)
        checks: list[tuple[tuple[str, ...], Limit]] = [(("ip", ip), self.requests)]
        if path != "/v/" + CODE_JOIN:  # guessing codes is limited per IP
            checks.append((("token", token_key), self.requests))
        if scope["method"] == "POST" and path.endswith("/messages/upload"):
            checks += [(("upload-ip", ip), self.uploads),
                       (("upload-token", token_key), self.uploads)]
        wait = self.limiter.take(checks)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        response = problem_response(
            429, "rate_limited", "Too many requests from here; please wait a little.",
            headers={"Retry-After": str(seconds)}, retry_after=seconds)
        await response(scope, receive, send)
