from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    seq: int
    at: datetime
    actor_user_id: str | None
    action: str
    object_type: str | None
    object_id: str | None
