"""Plain data the admin functions of the core hand to the UI (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PracticeSession:
    """One live login of any user of the practice, as an admin sees it."""

    id: str
    user_id: str
    user_email: str
    user_display_name: str
    device_name: str
    created_at: datetime
    last_used_at: datetime
    current: bool  # the admin's own session, from which this list was asked for

    @classmethod
    def from_wire(cls, row: dict[str, Any]) -> PracticeSession:
        return cls(id=str(row["id"]), user_id=str(row["user_id"]),
                   user_email=str(row.get("user_email") or ""),
                   user_display_name=str(row.get("user_display_name") or ""),
                   device_name=str(row.get("device_name") or ""),
                   created_at=datetime.fromisoformat(str(row["created_at"])),
                   last_used_at=datetime.fromisoformat(str(row["last_used_at"])),
                   current=bool(row.get("current")))
