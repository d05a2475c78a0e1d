from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 5_000


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, pattern=r"\S")
    inquiry_id: str | None = Field(default=None, min_length=1, max_length=36)


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    conversation_id: str
    inquiry_id: str | None
    author_user_id: str | None = Field(description="null only if that user was deleted")
    text: str
    created_at: datetime
