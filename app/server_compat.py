"""Which server releases this client works with, judged from the server's health answer.

``GET /api/v1/health`` answers ``{"status": "ok", "version": "0.1.0", "api_version": 1}``.
The client supports servers from ``MIN_SERVER_VERSION`` up to (not including)
``MAX_SERVER_VERSION_EXCLUSIVE`` that speak ``SUPPORTED_API_VERSION``. A mismatch is reported,
never enforced: the user may still work, and the UI tells them whom to ask (see
docs/api-contract.md, "Decisions (compat)").

Versions are compared by their release numbers only: a pre-release, development or local
suffix (``0.2.0rc1``, ``0.1.0.dev3``, ``0.1.0+praxis``) counts as its release, so a 0.2
pre-release is already "newer than supported", and our own 0.1.0 pre-releases are fine.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app import __version__

MIN_SERVER_VERSION = "0.1.0"
MAX_SERVER_VERSION_EXCLUSIVE = "0.2.0"
SUPPORTED_API_VERSION = 1

# Release numbers, then an optional PEP 440 / semver-ish suffix. Anything else is garbled.
_VERSION = re.compile(
    r"""^\s*v?(?P<release>\d+(?:\.\d+){0,3})
        (?P<suffix>(?:[-._]?(?:a|b|c|rc|alpha|beta|pre|preview|dev|post)[-._]?\d*)*)
        (?:\+[a-z0-9]+(?:[-._][a-z0-9]+)*)?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII)  # ASCII: \d must not match other scripts


def parse_version(text: object) -> tuple[int, ...] | None:
    """``"0.2.0rc1"`` -> ``(0, 2, 0)``; None for anything that is not a version."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    match = _VERSION.match(text)
    if match is None:
        return None
    numbers = [int(part) for part in match.group("release").split(".")]
    while len(numbers) < 3:
        numbers.append(0)
    while len(numbers) > 3 and numbers[-1] == 0:
        numbers.pop()  # 0.1.0.0 == 0.1.0
    return tuple(numbers)


class Verdict(enum.Enum):
    OK = "ok"
    SERVER_TOO_OLD = "server_too_old"
    SERVER_TOO_NEW = "server_too_new"
    UNKNOWN = "unknown"  # no answer to judge by, or no readable version in it


@dataclass(frozen=True)
class Compatibility:
    verdict: Verdict
    # As the server reported it (None when missing or not a string); shown to the user.
    server_version: str | None
    client_version: str = __version__
    min_server_version: str = MIN_SERVER_VERSION
    max_server_version_exclusive: str = MAX_SERVER_VERSION_EXCLUSIVE

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


def unknown(server_version: str | None = None) -> Compatibility:
    return Compatibility(Verdict.UNKNOWN, server_version)


def check_server(health: Mapping[str, Any] | object) -> Compatibility:
    """The verdict on a health answer (whatever JSON the server sent)."""
    if not isinstance(health, Mapping):
        return unknown()
    raw = health.get("version")
    shown = raw.strip()[:64] if isinstance(raw, str) else None
    version = parse_version(raw)
    if version is None:
        return unknown(shown)
    api_version = health.get("api_version")
    # bool is an int in Python, but "api_version": true is not a generation number.
    if isinstance(api_version, int) and not isinstance(api_version, bool):
        if api_version < SUPPORTED_API_VERSION:
            return Compatibility(Verdict.SERVER_TOO_OLD, shown)
        if api_version > SUPPORTED_API_VERSION:
            return Compatibility(Verdict.SERVER_TOO_NEW, shown)
    elif api_version is not None:
        return unknown(shown)
    # A server without api_version predates it: its release number alone decides.
    if version < _bound(MIN_SERVER_VERSION):
        return Compatibility(Verdict.SERVER_TOO_OLD, shown)
    if version >= _bound(MAX_SERVER_VERSION_EXCLUSIVE):
        return Compatibility(Verdict.SERVER_TOO_NEW, shown)
    return Compatibility(Verdict.OK, shown)


def _bound(text: str) -> tuple[int, ...]:
    parsed = parse_version(text)
    assert parsed is not None, text
    return parsed
