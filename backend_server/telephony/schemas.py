"""Wire shapes of the telephony settings and the upload."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend_server.telephony.service import WEEKDAYS

_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
_PHONE = re.compile(r"\+?[0-9 ()/.-]{3,40}")


class WebhookUrls(BaseModel):
    voice: str
    recording_status: str
    upload: str


class TelephonySettingsOut(BaseModel):
    enabled: bool
    greeting: str
    twilio_account_sid: str | None
    has_twilio_token: bool
    has_upload_key: bool
    forward_number: str | None
    opening_hours: dict[str, list[list[str]]]
    max_recording_seconds: int
    webhooks: WebhookUrls


class TelephonySettingsIn(BaseModel):
    """The whole settings object; ``twilio_auth_token`` is write-only: left out it stays as
    it is, ``null`` removes it."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool
    greeting: str = Field(min_length=1, max_length=1000)
    twilio_account_sid: str | None = Field(default=None, max_length=64,
                                           pattern=r"^[A-Za-z0-9]+$")
    twilio_auth_token: str | None = Field(default=None, min_length=8, max_length=200)
    forward_number: str | None = Field(default=None, max_length=50)
    opening_hours: dict[str, list[list[str]]] = Field(default_factory=dict)
    max_recording_seconds: int = Field(default=120, ge=10, le=600)

    @field_validator("forward_number")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.fullmatch(value):
            raise ValueError("not a phone number")
        return value or None

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, value: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
        for day, spans in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"days are {', '.join(WEEKDAYS)}")
            for span in spans:
                if len(span) != 2 or not all(_HHMM.fullmatch(t) for t in span) \
                        or span[0] >= span[1]:
                    raise ValueError('a span is ["HH:MM", "HH:MM"], start before end')
        return value


class UploadKeyOut(BaseModel):
    api_key: str


class UploadAccepted(BaseModel):
    call_id: str
