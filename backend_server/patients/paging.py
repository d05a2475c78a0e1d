"""Keyset pagination shared by the inbox lists (patients, conversations, messages).

A cursor is the sort key of the last row a client got, wrapped so clients treat it as
opaque. Keyset rather than offset: rows inserted meanwhile neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from backend_server.errors import ProblemError

T = TypeVar("T")

_PREFIX = "k1:"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None
    has_more: bool


def encode_cursor(key: list[str]) -> str:
    raw = _PREFIX + json.dumps(key, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def _invalid_cursor() -> ProblemError:
    return ProblemError(422, "validation_error", "The cursor is not valid.",
                        errors=[{"loc": ["query", "cursor"], "msg": "unknown cursor"}])


def decode_cursor(cursor: str | None, parts: int) -> list[str] | None:
    """The sort key inside ``cursor``; None for no cursor; 422 for anything malformed."""
    if not cursor:
        return None
    key: object = None
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
        if raw.startswith(_PREFIX):
            key = json.loads(raw[len(_PREFIX):])
    except (binascii.Error, UnicodeError, ValueError):
        key = None
    if (not isinstance(key, list) or len(key) != parts
            or not all(isinstance(k, str) for k in key)):
        raise _invalid_cursor()
    return key


def cursor_time(text: str) -> datetime:
    """A time taken from a decoded cursor key; 422 unless it is an aware ISO time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid_cursor() from None
    if moment.tzinfo is None:
        raise _invalid_cursor()
    return moment
