from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()/\-]{2,49}$"


class PatientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    dob: date = Field(description="date of birth, YYYY-MM-DD")
    email: str | None = Field(default=None, max_length=320, pattern=EMAIL_PATTERN)
    phone: str | None = Field(default=None, max_length=50, pattern=PHONE_PATTERN)


class PatientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    practice_id: str
    name: str
    dob: date
    email: str | None
    phone: str | None
    created_at: datetime
    updated_at: datetime


class PatientPage(BaseModel):
    items: list[PatientOut]
    cursor: str | None = Field(description="pass back as `cursor` for the next page")
    has_more: bool
