from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class PracticeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    created_at: datetime


class PracticeRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
