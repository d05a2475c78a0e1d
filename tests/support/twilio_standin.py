"""Twilio's part in telephony tests, over real HTTP on 127.0.0.1.

- It serves recordings like Twilio's REST API (``/2010-04-01/Accounts/<sid>/Recordings/<id>``)
  behind HTTP basic auth (account sid + auth token), and can be told to fail the first
  downloads (500) to exercise the server's retries.
- It plays a call against a Praxisdesk server: the incoming-call webhook, optionally a DTMF
  digit, the recording-status callback; each request signed with ``X-Twilio-Signature`` by
  the ``twilio`` package's own ``RequestValidator`` (an independent reference for the
  server's check).
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

__all__ = ["PlayedCall", "TwilioStandin", "twilio_standin"]


@dataclass
class PlayedCall:
    call_sid: str
    recording_sid: str
    voice: httpx.Response
    status: httpx.Response | None = None


@dataclass
class TwilioStandin:
    account_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    auth_token: str = field(default_factory=lambda: secrets.token_hex(16))
    recordings: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)  # recording sids served (200)
    refused: list[str] = field(default_factory=list)  # requests answered 401/404/500
    fail_next: int = 0  # answer the next N downloads with 500
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def recording_url(self, recording_sid: str) -> str:
        return f"{self.url}/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}"

    # --- the REST side ------------------------------------------------------------------

    def start(self) -> None:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet test output

            def do_GET(self) -> None:
                expected = base64.b64encode(
                    f"{standin.account_sid}:{standin.auth_token}".encode()).decode()
                sid = self.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".wav")
                with standin._lock:
                    if self.headers.get("Authorization") != f"Basic {expected}":
                        standin.refused.append(f"401 {sid}")
                        self._answer(401, b"")
                        return
                    if standin.fail_next > 0:
                        standin.fail_next -= 1
                        standin.refused.append(f"500 {sid}")
                        self._answer(500, b"")
                        return
                    data = standin.recordings.get(sid)
                    if data is None:
                        standin.refused.append(f"404 {sid}")
                        self._answer(404, b"")
                        return
                    standin.downloads.append(sid)
                self._answer(200, data, "audio/x-wav")

            def _answer(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="twilio-standin",
                         daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- the webhook side ---------------------------------------------------------------

    def sign(self, url: str, params: Mapping[str, str], token: str | None = None) -> str:
        validator = RequestValidator(token or self.auth_token)
        return str(validator.compute_signature(url, dict(params)))

    def post(self, url: str, params: Mapping[str, str], *, token: str | None = None,
             signature: str | None = None, sign: bool = True) -> httpx.Response:
        headers = {}
        if sign:
            headers["X-Twilio-Signature"] = signature or self.sign(url, params, token)
        return httpx.post(url, data=dict(params), headers=headers, timeout=15)

    def hook(self, server_url: str, practice_id: str, name: str) -> str:
        return f"{server_url}/api/v1/telephony/twilio/{practice_id}/{name}"

    def voice(self, server_url: str, practice_id: str, call_sid: str, *, caller: str,
              called: str = "+4930555000", **kw: object) -> httpx.Response:
        params = {"CallSid": call_sid, "AccountSid": self.account_sid, "From": caller,
                  "To": called, "CallStatus": "ringing", "Direction": "inbound",
                  "ApiVersion": "2010-04-01"}
        return self.post(self.hook(server_url, practice_id, "voice"), params, **kw)  # type: ignore[arg-type]

    def recording_status(self, server_url: str, practice_id: str, call_sid: str,
                         recording_sid: str, *, duration: int = 5,
                         **kw: object) -> httpx.Response:
        params = {"CallSid": call_sid, "AccountSid": self.account_sid,
                  "RecordingSid": recording_sid, "RecordingUrl": self.recording_url(recording_sid),
                  "RecordingStatus": "completed", "RecordingDuration": str(duration),
                  "RecordingChannels": "1", "RecordingSource": "RecordVerb"}
        return self.post(self.hook(server_url, practice_id, "recording-status"), params,
                         **kw)  # type: ignore[arg-type]

    def play_call(self, server_url: str, practice_id: str, wav: bytes, *,
                  caller: str = "+4917612345678") -> PlayedCall:
        """A whole call: incoming-call webhook, the caller speaks (the recording appears
        here), the recording-status callback."""
        call_sid = "CA" + secrets.token_hex(16)
        recording_sid = "RE" + secrets.token_hex(16)
        voice = self.voice(server_url, practice_id, call_sid, caller=caller)
        played = PlayedCall(call_sid, recording_sid, voice)
        if voice.status_code != 200:
            return played
        with self._lock:
            self.recordings[recording_sid] = wav
        played.status = self.recording_status(server_url, practice_id, call_sid, recording_sid)
        return played


def twilio_standin() -> Iterator[TwilioStandin]:
    """Body of a fixture: ``fixture(twilio_standin)`` in a conftest."""
    standin = TwilioStandin()
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()
