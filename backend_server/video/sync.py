"""Video appointments and call metadata reach clients through /sync/changes."""

from __future__ import annotations

from typing import Any

from backend_server.models.video import VideoAppointment, VideoCall
from backend_server.sync.registry import register_sync_kind
from backend_server.video.schemas import VideoAppointmentOut, VideoCallOut


def serialize_appointment(appointment: VideoAppointment) -> dict[str, Any]:
    return VideoAppointmentOut.model_validate(appointment).model_dump(mode="json")


def serialize_call(call: VideoCall) -> dict[str, Any]:
    return VideoCallOut.model_validate(call).model_dump(mode="json")


register_sync_kind(VideoAppointment, serialize_appointment)
register_sync_kind(VideoCall, serialize_call)
