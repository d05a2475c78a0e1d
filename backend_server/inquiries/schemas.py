"""Wire shapes of inquiries. ``details`` is validated strictly per ``type``: a discriminated
union whose members forbid unknown fields, so a type/details mismatch is a 422."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

# What can be read and filtered: "form" inquiries are made by a form submission only
# (backend_server.forms), never through POST .../inquiries: the create union below has no
# member for it, so such a request is a 422.
InquiryType = Literal["appointment", "prescription", "referral", "sick_note", "results",
                      "other", "form"]
InquiryStatus = Literal["new", "in_progress", "done"]

MAX_TEXT = 2_000
MAX_SICK_NOTE_DAYS = 366
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(max_length: int) -> Any:
    # At least one non-space character: a reason of only blanks says nothing.
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length,
                                            pattern=r"\S")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeWindow(_Strict):
    start: AwareDatetime
    end: AwareDatetime

    @field_validator("start", "end", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError("expected an ISO 8601 date-time string with a time zone")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        # Stored and answered in UTC, like every time of the API.
        self.start = self.start.astimezone(UTC)
        self.end = self.end.astimezone(UTC)
        return self


class AppointmentDetails(_Strict):
    reason: _text(500)  # type: ignore[valid-type]
    preferred_windows: list[TimeWindow] = Field(min_length=1, max_length=5)


class PrescriptionDetails(_Strict):
    medications: list[_text(200)] = Field(min_length=1, max_length=10)  # type: ignore[valid-type]


class ReferralDetails(_Strict):
    specialty: _text(200)  # type: ignore[valid-type]


class SickNoteDetails(_Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    from_: date = Field(alias="from")
    to: date

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value

    @model_validator(mode="after")
    def _span(self) -> SickNoteDetails:
        if self.from_ > self.to:
            raise ValueError("'from' must not be after 'to'")
        # Both days count: from = to is one day; at most 366 days in all.
        if self.to - self.from_ >= timedelta(days=MAX_SICK_NOTE_DAYS):
            raise ValueError(f"a sick note spans at most {MAX_SICK_NOTE_DAYS} days")
        return self


class ResultsDetails(_Strict):
    subject: _text(500)  # type: ignore[valid-type]


class OtherDetails(_Strict):
    pass


class _InquiryBase(_Strict):
    text: str = Field(default="", max_length=MAX_TEXT)


class AppointmentInquiry(_InquiryBase):
    type: Literal["appointment"]
    details: AppointmentDetails


class PrescriptionInquiry(_InquiryBase):
    type: Literal["prescription"]
    details: PrescriptionDetails


class ReferralInquiry(_InquiryBase):
    type: Literal["referral"]
    details: ReferralDetails


class SickNoteInquiry(_InquiryBase):
    type: Literal["sick_note"]
    details: SickNoteDetails


class ResultsInquiry(_InquiryBase):
    type: Literal["results"]
    details: ResultsDetails


class OtherInquiry(_InquiryBase):
    type: Literal["other"]
    details: OtherDetails


InquiryCreate = Annotated[
    AppointmentInquiry | PrescriptionInquiry | ReferralInquiry | SickNoteInquiry
    | ResultsInquiry | OtherInquiry,
    Field(discriminator="type"),
]
AnyInquiryCreate = (AppointmentInquiry | PrescriptionInquiry | ReferralInquiry
                    | SickNoteInquiry | ResultsInquiry | OtherInquiry)


def details_json(body: AnyInquiryCreate) -> dict[str, Any]:
    """The details as stored and answered: JSON types, ``from`` under its wire name."""
    dumped: dict[str, Any] = body.details.model_dump(mode="json", by_alias=True)
    return dumped


class InquiryUpdate(_Strict):
    """Only the fields present change; ``assignee_user_id: null`` clears the assignee."""

    status: InquiryStatus | None = None
    assignee_user_id: str | None = Field(default=None, min_length=1, max_length=36)

    @model_validator(mode="after")
    def _status_not_null(self) -> InquiryUpdate:
        if "status" in self.model_fields_set and self.status is None:
            raise ValueError("status cannot be null")
        return self


class InquiryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    practice_id: str
    conversation_id: str
    type: InquiryType
    details: dict[str, Any]
    text: str
    status: InquiryStatus
    assignee_user_id: str | None
    created_at: datetime
    updated_at: datetime


class InquiryPage(BaseModel):
    items: list[InquiryOut]
    cursor: str | None
    has_more: bool


class PatientInquiryOut(BaseModel):
    """What the patient sees of an inquiry: no assignee, no staff data, no notes."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    type: InquiryType
    details: dict[str, Any]
    text: str
    status: InquiryStatus
    created_at: datetime
