"""Azure Speech (short-audio REST) against a local stand-in speaking its protocol on 127.0.0.1."""

from __future__ import annotations

import io
import json
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from backend_server.assistant.stt import (
    AzureTranscriber,
    TranscriberUnavailable,
    TranscriptionError,
    get_transcriber,
)
from backend_server.config import Settings

KEY = "test-subscription-key"
PATH = "/speech/recognition/conversation/cognitiveservices/v1"


@dataclass
class StandIn:
    """What the fake service answers next, and what it was sent."""
    url: str = ""
    status: int = 200
    body: dict[str, object] = field(default_factory=dict)
    requests: list[dict[str, object]] = field(default_factory=list)


@pytest.fixture(scope="module")
def _service() -> Iterator[StandIn]:
    state = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with wave.open(io.BytesIO(body)) as wav:
                seconds = wav.getnframes() / wav.getframerate()
                fmt = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            url = urlsplit(self.path)
            state.requests.append({"path": url.path, "query": parse_qs(url.query),
                                   "key": self.headers.get("Ocp-Apim-Subscription-Key"),
                                   "content_type": self.headers.get("Content-Type"),
                                   "seconds": seconds, "format": fmt})
            if self.headers.get("Ocp-Apim-Subscription-Key") != KEY:
                status, answer = 401, {"error": "access denied"}
            elif state.body:
                status, answer = state.status, state.body
            else:
                status, answer = 200, {"RecognitionStatus": "Success",
                                       "DisplayText": f"Teil {len(state.requests)}.",
                                       "Offset": 0, "Duration": int(seconds * 1e7)}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}{PATH}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def azure(_service: StandIn) -> StandIn:
    """The module's stand-in, answering normally and with no requests recorded yet."""
    _service.status, _service.body = 200, {}
    _service.requests.clear()
    return _service


def speech(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16_000)) / 16_000
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_recording_is_sent_as_16k_wav_and_the_display_text_returned(azure: StandIn) -> None:
    settings = Settings(assistant_stt_engine="azure", assistant_azure_endpoint=azure.url,
                        assistant_azure_key=KEY)
    transcriber = get_transcriber(settings)
    assert transcriber.transcribe(speech(4.0)) == "Teil 1."
    (request,) = azure.requests
    assert request["path"] == PATH
    assert request["query"] == {"language": ["de-DE"], "format": ["simple"]}
    assert request["key"] == KEY
    assert request["content_type"] == "audio/wav; codecs=audio/pcm; samplerate=16000"
    assert request["format"] == (1, 2, 16_000)
    assert request["seconds"] == pytest.approx(4.0)


def test_long_call_goes_in_pieces_under_the_60_second_limit(azure: StandIn) -> None:
    text = AzureTranscriber(azure.url, KEY).transcribe(speech(130.0))
    assert text == "Teil 1. Teil 2. Teil 3."
    assert [r["seconds"] for r in azure.requests] == [55.0, 55.0, 20.0]


def test_nothing_heard_is_an_empty_transcript(azure: StandIn) -> None:
    azure.body = {"RecognitionStatus": "InitialSilenceTimeout", "Offset": 0, "Duration": 0}
    assert AzureTranscriber(azure.url, KEY).transcribe(speech(2.0)) == ""


def test_service_errors_are_reported_not_swallowed(azure: StandIn) -> None:
    azure.status, azure.body = 503, {"error": "overloaded"}
    with pytest.raises(TranscriptionError, match="HTTP 503"):
        AzureTranscriber(azure.url, KEY).transcribe(speech(2.0))
    azure.status, azure.body = 200, {"RecognitionStatus": "Error"}
    with pytest.raises(TranscriptionError, match="status Error"):
        AzureTranscriber(azure.url, KEY).transcribe(speech(2.0))
    with pytest.raises(TranscriberUnavailable, match="refused the key"):
        AzureTranscriber(azure.url, "wrong-key").transcribe(speech(2.0))


def test_unreachable_service_and_plain_http_are_refused() -> None:
    with pytest.raises(TranscriptionError, match="unreachable"):
        AzureTranscriber("http://127.0.0.1:9/v1", KEY, timeout_seconds=2).transcribe(
            speech(1.0))
    with pytest.raises(TranscriberUnavailable, match="https"):
        AzureTranscriber("http://speech.example.com/v1", KEY)
