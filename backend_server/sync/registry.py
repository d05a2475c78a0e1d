"""Which entity kinds the client mirrors, and how each is turned into its wire form.

A later feature makes its model derive from ``models.base.Synced`` (so writes land in the
change log) and calls :func:`register_sync_kind` once at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend_server.models.base import Synced


@dataclass(frozen=True)
class SyncKind:
    kind: str
    model: type[Synced]
    serialize: Callable[[Any], dict[str, Any]]


_KINDS: dict[str, SyncKind] = {}


def register_sync_kind(
    model: type[Synced], serialize: Callable[[Any], dict[str, Any]]
) -> None:
    kind = model.__sync_kind__
    existing = _KINDS.get(kind)
    if existing is not None and existing.model is not model:
        raise ValueError(f"sync kind {kind!r} is already registered for {existing.model}")
    _KINDS[kind] = SyncKind(kind=kind, model=model, serialize=serialize)


def sync_kind(kind: str) -> SyncKind | None:
    return _KINDS.get(kind)
