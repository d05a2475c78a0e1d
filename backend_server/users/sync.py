"""Users are mirrored to clients as the practice's staff directory (no secrets)."""

from __future__ import annotations

from typing import Any

from backend_server.models.user import User
from backend_server.sync.registry import register_sync_kind
from backend_server.users.schemas import UserOut


def serialize_user(user: User) -> dict[str, Any]:
    return UserOut.model_validate(user).model_dump(mode="json")


register_sync_kind(User, serialize_user)
