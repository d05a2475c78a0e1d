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
    worker. Only the speech pipeline's answer is given by the test (the analyzer seam of
    ``CallWorker``): a per-caller :class:`CallAnalysis`, so no speech model is needed."""

    def __init__(self, server: Any, admin_email: str, password: str) -> None:
        import httpx

        from backend_server.assistant.analysis import CallAnalysis

        self.server = server
        self.http = httpx.Client(base_url=server.url + "/api/v1", timeout=10)
        body = self.http.post("/auth/login", json={"email": admin_email,
                                                   "password": password}).json()
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        answer = self.http.post("/telephony/upload-key")
        assert answer.status_code == 200, answer.text
        self.key = str(answer.json()["api_key"])
        self.analyses: dict[str, CallAnalysis] = {}
        worker = server.app.state.call_worker
        worker.analyzer = self._analyze

    def _analyze(self, _data: bytes, caller_id: str | None) -> Any:
        return self.analyses[caller_id or ""]

    def call(self, caller_number: str, transcript: str, *, category: str = "other",
             urgent: bool = False, name: str | None = None, dob: str | None = None,
             phone: str | None = None, seconds: float = 0.3,
             reasons: tuple[str, ...] = ()) -> str:
        """Hands in one recording; returns the call id (processed in the background)."""
        from backend_server.assistant.analysis import CallAnalysis, CallerInfo
        from tests.support.audio import tone_wav

        self.analyses[caller_number] = CallAnalysis(
            transcript=transcript, category=category, urgent=urgent,  # type: ignore[arg-type]
            caller=CallerInfo(name=name, dob=dob, phone=phone),
            urgent_reasons=reasons or (("chest_pain",) if urgent else ()))
        answer = self.http.post("/telephony/upload", headers={"X-Api-Key": self.key},
                                files={"file": ("call.wav", tone_wav(seconds), "audio/wav")},
                                data={"caller": caller_number})
        assert answer.status_code == 202, answer.text
        return str(answer.json()["call_id"])

    def get(self, call_id: str) -> dict[str, Any]:
        answer = self.http.get(f"/calls/{call_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def wait_ready(self, call_id: str, timeout: float = 30.0) -> dict[str, Any]:
        import time

        deadline = time.monotonic() + timeout
        while True:
            call = self.get(call_id)
            if call["processing"] in ("ready", "failed"):
                assert call["processing"] == "ready", call["processing"]
                return call
            if time.monotonic() > deadline:
                raise AssertionError("the call was not processed in time")
            time.sleep(0.02)

    def close(self) -> None:
        self.http.close()
