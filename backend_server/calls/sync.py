"""Calls are mirrored to clients through /sync/changes (kind ``call``, data = CallOut)."""

from __future__ import annotations

from typing import Any

from backend_server.calls.schemas import call_out
from backend_server.models.call import Call
from backend_server.sync.registry import register_sync_kind


def serialize_call(call: Call) -> dict[str, Any]:
    return call_out(call).model_dump(mode="json")


register_sync_kind(Call, serialize_call)
