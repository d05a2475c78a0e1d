"""What the UI gets to see of a call (the server's ``CallOut``, as cached)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class CallStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class CallFilter(enum.StrEnum):
    """Which calls the queue lists."""

    ALL = "all"
    OPEN = "open"  # new or in progress
    DONE = "done"


# The triage categories (backend_server.assistant.analysis.CATEGORIES; the client does not
# import the server).
CATEGORIES = ("appointment", "prescription", "referral", "sick_note", "results", "emergency",
              "other")


@dataclass(frozen=True)
class CallerFields:
    """The extracted caller details (edited by staff in the detail view)."""

    name: str | None = None
    dob: str | None = None  # ISO date
    phone: str | None = None  # E.164 when the server could normalise it


@dataclass(frozen=True)
class CallRow:
    id: str
    source: str
    from_number: str | None
    to_number: str | None
    started_at: str
    duration_seconds: int | None
    status: CallStatus
    processing: str  # pending | processing | ready | failed
    category: str | None
    urgent: bool
    urgent_reasons: tuple[str, ...]
    transcript: str | None
    caller: CallerFields
    wished_time: str | None
    assignee_user_id: str | None
    has_recording: bool
    patient_id: str | None
    inquiry_id: str | None
    created_at: str
    updated_at: str | None
    processed_at: str | None

    @property
    def callback_number(self) -> str | None:
        """The number to call back: the extracted one, else the caller id."""
        return self.caller.phone or self.from_number or None

    @property
    def is_alerting(self) -> bool:
        """An urgent call whose analysis is done and that nobody has closed."""
        return self.urgent and self.processing == "ready" and self.status is not CallStatus.DONE


@dataclass(frozen=True)
class TakenInquiry:
    """``POST /calls/{id}/inquiry``'s answer."""

    inquiry_id: str
    patient_id: str
    conversation_id: str


class CallQueries(Protocol):
    """The queue's reads (``app.cache.calls.CallsCache``)."""

    def call_ids(self, flt: CallFilter = CallFilter.ALL) -> list[str]: ...

    def call_rows(self, ids: list[str]) -> dict[str, CallRow]: ...

    def call(self, call_id: str) -> CallRow | None: ...
