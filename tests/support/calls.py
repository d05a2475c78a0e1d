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
            "urgent": urgent, "urgent_reasons": reasons or (["chest_pain"] if urgent else []),
            "transcript": transcript, "caller": {"name": name, "dob": dob, "phone": phone},
            "wished_time": None, "assignee_user_id": assignee, "has_recording": True,
            "patient_id": None, "inquiry_id": None, "created_at": stamp, "updated_at": stamp,
            "processed_at": stamp if processing == "ready" else None}


def change(data: dict[str, Any] | None, call_id: str | None = None) -> dict[str, Any]:
    """A sync change of kind ``call`` (None: its tombstone)."""
    oid = call_id or (data["id"] if data else "")
    return {"kind": "call", "op": "delete" if data is None else "upsert", "id": oid,
            "data": data}


class PhoneLine:
    """The practice's telephony system as the server sees it: recordings handed in through
    the generic upload endpoint (``X-Api-Key``), then analysed by the server's own job
    worker with the real pipeline (decode, Whisper base from the default model directory,
    triage). The recordings are German speech from espeak-ng at 16 kHz; Whisper does not
    hear every name, date or number right, so tests take those from the server's answer."""

    def __init__(self, server: Any, admin_email: str, password: str) -> None:
        import httpx

        self.server = server
        self.http = httpx.Client(base_url=server.url + "/api/v1", timeout=10)
        body = self.http.post("/auth/login", json={"email": admin_email,
                                                   "password": password}).json()
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        answer = self.http.post("/telephony/upload-key")
        assert answer.status_code == 200, answer.text
        self.key = str(answer.json()["api_key"])

    def call(self, caller_number: str, spoken_text: str) -> str:
        """Hands in ``spoken_text`` as a recorded call from ``caller_number``; returns the
        call id (processed in the background)."""
        from tests.support.audio import speech_wav

        answer = self.http.post("/telephony/upload", headers={"X-Api-Key": self.key},
                                files={"file": ("call.wav", speech_wav(spoken_text),
                                                "audio/wav")},
                                data={"caller": caller_number})
        assert answer.status_code == 202, answer.text
        return str(answer.json()["call_id"])

    def patch(self, call_id: str, **fields: Any) -> dict[str, Any]:
        """Corrects a call as staff would (e.g. the caller's name Whisper misheard)."""
        answer = self.http.patch(f"/calls/{call_id}", json=fields)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def recording(self, call_id: str) -> bytes:
        answer = self.http.get(f"/calls/{call_id}/recording")
        assert answer.status_code == 200, answer.text
        return answer.content

    def get(self, call_id: str) -> dict[str, Any]:
        answer = self.http.get(f"/calls/{call_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def wait_ready(self, call_id: str, timeout: float = 60.0) -> dict[str, Any]:
        """The call once the server's worker has analysed it. The call is only asked for
        when the worker has finished a job: polling the API meanwhile would take CPU from
        the speech pipeline it is waiting for."""
        import time

        worker = self.server.app.state.call_worker
        deadline = time.monotonic() + timeout
        seen = -1
        while True:
            if worker.completed != seen:
                seen = worker.completed
                call = self.get(call_id)
                if call["processing"] in ("ready", "failed"):
                    assert call["processing"] == "ready", call["processing"]
                    return call
            if time.monotonic() > deadline:
                raise AssertionError("the call was not processed in time")
            time.sleep(0.02)

    def close(self) -> None:
        self.http.close()
