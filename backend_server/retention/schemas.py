from __future__ import annotations

from pydantic import BaseModel


class RetentionOut(BaseModel):
    content_days: int
    video_days: int
    max_content_days: int
    max_video_days: int


class RetentionUpdate(BaseModel):
    content_days: int
    video_days: int
