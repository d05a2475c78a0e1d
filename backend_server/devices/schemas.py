from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class PracticeSessionOut(BaseModel):
    id: str
    user_id: str
    user_email: str
    user_display_name: str
    device_name: str | None
    created_at: datetime
    last_used_at: datetime
    current: bool
