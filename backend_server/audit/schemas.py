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
    # e.g. the SHA-256 of a sealed form PDF (form.submit); null for most actions.
    detail_hash: str | None = None
