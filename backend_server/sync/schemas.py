from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class ChangeOut(BaseModel):
    kind: str
    op: Literal["upsert", "delete"]
    id: str
    data: dict[str, Any] | None


class ChangesOut(BaseModel):
    cursor: str
    changes: list[ChangeOut]
    has_more: bool
    # How many changed objects lie after ``cursor`` right now (progress: received + remaining).
    remaining: int
