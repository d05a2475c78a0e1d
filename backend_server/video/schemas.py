"""Wire shapes of video consultations (docs/api-contract.md, issue 4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VideoStatus = Literal["scheduled", "waiting", "in_call", "ended", "cancelled"]
Offerer = Literal["physician", "patient"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VideoAppointmentCreate(_Strict):
    patient_id: str = Field(min_length=1, max_length=36)
    scheduled_at: datetime
    conversation_id: str | None = Field(default=None, max_length=36)
    physician_user_id: str | None = Field(default=None, max_length=36)


class VideoAppointmentOut(BaseModel):
    """Also the sync data of kind ``video_appointment`` (there without ``link``)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    patient_id: str
    conversation_id: str | None
    physician_user_id: str | None
    scheduled_at: datetime
    valid_from: datetime
    valid_until: datetime
    status: VideoStatus
    code: str
    patient_display_name: str | None
    waiting_since: datetime | None
    created_by_user_id: str | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None


class VideoAppointmentWithLink(VideoAppointmentOut):
    link: str


class AdmitIn(_Strict):
    offerer: Offerer = "physician"


class AdmitOut(BaseModel):
    ice_servers: list[dict[str, Any]]
    signal_url: str


class IceServerOut(BaseModel):
    urls: list[str]
    username: str | None = None
    credential: str | None = None


class VideoCallOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    appointment_id: str | None
    patient_id: str
    physician_user_id: str | None
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    participants: list[str]
    quality: dict[str, Any] | None
    created_at: datetime


class PatientVideoInfo(BaseModel):
    """What the patient page needs: no patient data beyond what the patient typed."""

    practice_name: str
    scheduled_at: datetime
    valid_until: datetime
    status: VideoStatus
    ice_servers: list[dict[str, Any]]
