"""Wire shapes of the phone assistant's calls (docs/api-contract.md, "Phone assistant")."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend_server.assistant.analysis import Category
from backend_server.models.call import Call

CallStatus = Literal["new", "in_progress", "done"]
CallProcessing = Literal["pending", "processing", "ready", "failed"]
CallSource = Literal["twilio", "upload", "demo"]
_PHONE = re.compile(r"\+?[0-9 ()/.-]{3,40}")


class CallerOut(BaseModel):
    name: str | None
    dob: str | None
    phone: str | None


class CallOut(BaseModel):
    id: str
    source: CallSource
    from_number: str | None
    to_number: str | None
    started_at: datetime
    duration_seconds: int | None
    status: CallStatus
    processing: CallProcessing
    category: Category | None
    urgent: bool
    urgent_reasons: list[str]
    transcript: str | None
    caller: CallerOut
    wished_time: str | None
    assignee_user_id: str | None
    has_recording: bool
    patient_id: str | None
    inquiry_id: str | None
    created_at: datetime
    updated_at: datetime
    processed_at: datetime | None


def call_out(call: Call) -> CallOut:
    return CallOut(
        id=call.id, source=call.source, from_number=call.from_number,
        to_number=call.to_number, started_at=call.started_at,
        duration_seconds=call.duration_seconds, status=call.status,
        processing=call.processing, category=call.category,
        urgent=call.urgent, urgent_reasons=list(call.urgent_reasons or []),
        transcript=call.transcript,
        caller=CallerOut(name=call.caller_name, dob=call.caller_dob,
                         phone=call.callback_number),
        wished_time=call.wished_time, assignee_user_id=call.assignee_user_id,
        has_recording=call.recording_nonce is not None, patient_id=call.patient_id,
        inquiry_id=call.inquiry_id, created_at=call.created_at, updated_at=call.updated_at,
        processed_at=call.processed_at)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallerUpdate(_Strict):
    """Corrections of what was extracted; null clears a field."""

    name: str | None = Field(default=None, max_length=200)
    dob: str | None = None
    phone: str | None = Field(default=None, max_length=50)

    @field_validator("dob")
    @classmethod
    def _iso_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("expected a date as YYYY-MM-DD")
        date.fromisoformat(value)  # a real day
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.fullmatch(value):
            raise ValueError("not a phone number")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None


class CallUpdate(_Strict):
    """Only the fields present change; ``assignee_user_id: null`` clears the assignee."""

    status: CallStatus | None = None
    assignee_user_id: str | None = Field(default=None, min_length=1, max_length=36)
    category: Category | None = None
    urgent: bool | None = None
    caller: CallerUpdate | None = None

    @field_validator("status", "category", "urgent", "caller")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class CallInquiryCreate(_Strict):
    patient_id: str | None = Field(default=None, min_length=1, max_length=36)


class CallInquiryOut(BaseModel):
    inquiry_id: str
    patient_id: str
    conversation_id: str
