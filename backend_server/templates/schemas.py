from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_TITLE = 100
MAX_BODY = 5_000


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=MAX_TITLE, pattern=r"\S")
    body: str = Field(min_length=1, max_length=MAX_BODY, pattern=r"\S")


class TemplateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE, pattern=r"\S")
    body: str | None = Field(default=None, min_length=1, max_length=MAX_BODY, pattern=r"\S")

    @model_validator(mode="after")
    def _no_nulls(self) -> TemplateUpdate:
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class TemplateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    practice_id: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
