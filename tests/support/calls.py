"""Calls in their wire shape (``CallOut``), for client tests that feed sync pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def call_out(call_id: str, *, minutes_ago: int = 0, urgent: bool = False,
             processing: str = "ready", status: str = "new", category: str | None = "other",
             name: str | None = None, dob: str | None = None, phone: str | None = None,
             transcript: str | None = "Guten Tag, ich möchte einen Termin.",
             created_at: datetime | None = None, now: datetime | None = None,
             duration: int = 42, assignee: str | None = None,
             reasons: list[str] | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    started = (created_at or now) - timedelta(minutes=minutes_ago)
    stamp = started.isoformat().replace("+00:00", "Z")
    return {"id": call_id, "source": "upload", "from_number": "+4930123456",
            "to_number": "+4930999000", "started_at": stamp, "duration_seconds": duration,
            "status": status, "processing": processing, "category": category,
            "urgent": urgent, "urgent_reasons": reasons or (["Brustschmerz"] if urgent else []),
            "transcript": transcript, "caller": {"name": name, "dob": dob, "phone": phone},
            "wished_time": None, "assignee_user_id": assignee, "has_recording": True,
            "patient_id": None, "inquiry_id": None, "created_at": stamp, "updated_at": stamp,
            "processed_at": stamp if processing == "ready" else None}


def change(data: dict[str, Any] | None, call_id: str | None = None) -> dict[str, Any]:
    """A sync change of kind ``call`` (None: its tombstone)."""
    oid = call_id or (data["id"] if data else "")
    return {"kind": "call", "op": "delete" if data is None else "upsert", "id": oid,
            "data": data}
