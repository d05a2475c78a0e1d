"""Video appointments and call metadata over REST, for the desktop client (no Qt).

Appointments are not kept in the local cache (they are short-lived and the cache schema is
shared with other features): the client asks the server for the day's list and asks again
when a ``video_appointment`` or ``video_call`` change arrives through sync or live events.
Patient names are fetched once per patient id and kept in memory only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.api.client import ApiClient
from app.api.errors import ApiError

if TYPE_CHECKING:  # aiortc is imported only when a call starts, not at client start-up
    from app.video.engine import CallOptions
    from app.video.session import PhysicianCall

# Sync kinds whose change means "ask the server again".
VIDEO_KINDS = frozenset({"video_appointment", "video_call"})

ROLE_PHYSICIAN = "physician"

STATUS_SCHEDULED = "scheduled"
STATUS_WAITING = "waiting"
STATUS_IN_CALL = "in_call"
STATUS_ENDED = "ended"
STATUS_CANCELLED = "cancelled"


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def format_code(code: str) -> str:
    """``ABCDEFGHJ`` -> ``ABC-DEF-GHJ`` (the server may already send it formatted)."""
    plain = code.replace("-", "")
    if len(plain) != 9:
        return code
    return f"{plain[:3]}-{plain[3:6]}-{plain[6:]}"


@dataclass(frozen=True)
class VideoAppointment:
    id: str
    patient_id: str
    conversation_id: str | None
    physician_user_id: str | None
    scheduled_at: datetime
    valid_until: datetime | None
    status: str
    code: str
    patient_display_name: str | None
    waiting_since: datetime | None

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> VideoAppointment:
        scheduled = _time(data.get("scheduled_at"))
        assert scheduled is not None
        return cls(id=str(data["id"]), patient_id=str(data["patient_id"]),
                   conversation_id=data.get("conversation_id"),
                   physician_user_id=data.get("physician_user_id"),
                   scheduled_at=scheduled, valid_until=_time(data.get("valid_until")),
                   status=str(data.get("status", STATUS_SCHEDULED)),
                   code=format_code(str(data.get("code", ""))),
                   patient_display_name=data.get("patient_display_name"),
                   waiting_since=_time(data.get("waiting_since")))

    @property
    def waiting(self) -> bool:
        return self.status == STATUS_WAITING


@dataclass(frozen=True)
class CreatedAppointment:
    appointment: VideoAppointment
    link: str  # shown once; the server keeps only the token's hash


@dataclass(frozen=True)
class VideoCallInfo:
    id: str
    appointment_id: str | None
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    quality: dict[str, Any]

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> VideoCallInfo:
        started = _time(data.get("started_at"))
        assert started is not None
        quality = data.get("quality")
        return cls(id=str(data["id"]), appointment_id=data.get("appointment_id"),
                   started_at=started, ended_at=_time(data.get("ended_at")),
                   duration_seconds=data.get("duration_seconds"),
                   quality=quality if isinstance(quality, dict) else {})


class VideoService:
    """What the video tab asks of the server. ``api`` is looked up per call because the
    client core replaces its ApiClient on a new login."""

    def __init__(self, api: Callable[[], ApiClient],
                 user: Callable[[], dict[str, Any]]) -> None:
        self._api = api
        self._user = user
        self._names: dict[str, str] = {}

    @property
    def role(self) -> str | None:
        role = self._user().get("role")
        return str(role) if role else None

    @property
    def is_physician(self) -> bool:
        return self.role == ROLE_PHYSICIAN

    async def list_day(self, day: date) -> list[VideoAppointment]:
        rows = await self._api().request("GET", "/video/appointments",
                                         params={"day": day.isoformat()})
        items = [VideoAppointment.from_wire(r) for r in rows if isinstance(r, dict)]
        items.sort(key=lambda a: (a.scheduled_at, a.id))
        return items

    async def get(self, appointment_id: str) -> VideoAppointment:
        data = await self._api().request("GET", f"/video/appointments/{appointment_id}")
        return VideoAppointment.from_wire(data)

    async def create(self, patient_id: str, scheduled_at: datetime,
                     conversation_id: str | None = None) -> CreatedAppointment:
        body: dict[str, Any] = {"patient_id": patient_id,
                                "scheduled_at": scheduled_at.isoformat()}
        if conversation_id:
            body["conversation_id"] = conversation_id
        data = await self._api().request("POST", "/video/appointments", json=body)
        return CreatedAppointment(VideoAppointment.from_wire(data), str(data.get("link", "")))

    async def cancel(self, appointment_id: str) -> VideoAppointment:
        data = await self._api().request("POST", f"/video/appointments/{appointment_id}/cancel")
        return VideoAppointment.from_wire(data)

    async def resend(self, appointment_id: str) -> CreatedAppointment:
        data = await self._api().request("POST", f"/video/appointments/{appointment_id}/resend")
        return CreatedAppointment(VideoAppointment.from_wire(data), str(data.get("link", "")))

    async def admit(self, appointment_id: str, offerer: str = "physician") -> dict[str, Any]:
        """The bare admit request (the call window uses ``new_call`` instead, which admits in
        the right order); the server answers 403 for anyone but a physician."""
        data: dict[str, Any] = await self._api().request(
            "POST", f"/video/appointments/{appointment_id}/admit", json={"offerer": offerer})
        return data

    def new_call(self, appointment_id: str, options: CallOptions | None = None,
                 **kwargs: Any) -> PhysicianCall:
        from app.video.session import PhysicianCall

        return PhysicianCall(self._api(), appointment_id, options=options, **kwargs)

    async def calls_of(self, patient_id: str) -> list[VideoCallInfo]:
        rows = await self._api().request("GET", f"/patients/{patient_id}/video-calls")
        calls = [VideoCallInfo.from_wire(r) for r in rows if isinstance(r, dict)]
        calls.sort(key=lambda c: c.started_at, reverse=True)
        return calls

    async def patients(self, query: str | None = None,
                       limit: int = 200) -> list[tuple[str, str, str | None]]:
        """(id, name, date of birth) for the patient chooser."""
        params: dict[str, Any] = {"limit": limit}
        if query:
            params["q"] = query
        page = await self._api().request("GET", "/patients", params=params)
        items = page.get("items", []) if isinstance(page, dict) else []
        out = []
        for item in items:
            pid, name = str(item["id"]), str(item.get("name", ""))
            self._names[pid] = name
            out.append((pid, name, item.get("dob")))
        return out

    def known_name(self, patient_id: str) -> str | None:
        return self._names.get(patient_id)

    async def patient_names(self, patient_ids: list[str]) -> dict[str, str]:
        """Names for the list (in memory only; a patient that is gone keeps no name)."""
        for pid in patient_ids:
            if pid in self._names:
                continue
            try:
                data = await self._api().request("GET", f"/patients/{pid}")
            except ApiError:
                continue
            if isinstance(data, dict):
                self._names[pid] = str(data.get("name", ""))
        return {pid: self._names[pid] for pid in patient_ids if pid in self._names}

    def forget(self) -> None:
        """On logout: no patient names stay in memory."""
        self._names.clear()
