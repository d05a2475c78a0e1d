"""The optional LLM refinement against a local stand-in that speaks the OpenAI
chat-completions protocol on 127.0.0.1: it may change the category, never lowers urgency,
and any failure (timeout, HTTP error, nonsense) leaves the rules' answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from backend_server.assistant.triage import analyze_text
from backend_server.config import Settings

TODAY = date(2026, 11, 28)
RESULTS_CALL = ("Guten Tag, hier ist Greta Hansen. Ich wollte fragen, ob meine Blutwerte "
                "schon da sind.")
EMERGENCY_CALL = "Mein Mann ist umgekippt und wacht nicht auf."


@dataclass
class StandIn:
    """What the stand-in answers next, and what it was asked."""
    content: str = "{}"
    status: int = 200
    hang: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[str, StandIn]]:
    state = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "body": body,
                                   "authorization": self.headers.get("Authorization")})
            if state.hang:
                # Longer than the client's timeout; released at teardown (bounded anyway).
                state.release.wait(timeout=10)
                return
            answer = json.dumps({"id": "x", "object": "chat.completion", "choices": [
                {"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": state.content}}]}).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def llm(stand_in: tuple[str, StandIn]) -> tuple[Settings, StandIn]:
    url, state = stand_in
    state.content, state.status, state.hang = "{}", 200, False
    state.requests.clear()
    settings = Settings(assistant_llm_url=url, assistant_llm_model="stand-in-7b",
                        assistant_llm_api_key="sk-test", assistant_llm_timeout_seconds=2.0)
    return settings, state


def test_llm_may_change_the_category(llm: tuple[Settings, StandIn]) -> None:
    settings, state = llm
    state.content = 'Hier ist meine Antwort: {"category": "appointment", "urgent": false}'
    result = analyze_text(RESULTS_CALL, today=TODAY, settings=settings)
    assert result.category == "appointment"
    assert not result.urgent
    [request] = state.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["authorization"] == "Bearer sk-test"
    assert request["body"]["model"] == "stand-in-7b"
    assert RESULTS_CALL in request["body"]["messages"][-1]["content"]


def test_llm_cannot_lower_urgency(llm: tuple[Settings, StandIn]) -> None:
    settings, state = llm
    state.content = '{"category": "other", "urgent": false}'
    result = analyze_text(EMERGENCY_CALL, today=TODAY, settings=settings)
    assert len(state.requests) == 1
    assert result.urgent
    # A rule-found emergency also keeps its category.
    assert result.category == "emergency"
    assert result.urgent_reasons == ("unconscious",)


def test_llm_may_raise_urgency(llm: tuple[Settings, StandIn]) -> None:
    settings, state = llm
    state.content = '```json\n{"category": "emergency", "urgent": true}\n```'
    result = analyze_text(RESULTS_CALL, today=TODAY, settings=settings)
    assert result.category == "emergency"
    assert result.urgent
    assert result.urgent_reasons == ("llm",)


def test_timeout_keeps_the_rules_answer(llm: tuple[Settings, StandIn]) -> None:
    settings, state = llm
    state.hang = True
    quick = settings.model_copy(update={"assistant_llm_timeout_seconds": 0.3})
    result = analyze_text(RESULTS_CALL, today=TODAY, settings=quick)
    assert len(state.requests) == 1
    assert result.category == "results"
    assert not result.urgent


@pytest.mark.parametrize(("status", "content"), [
    (500, '{"category": "appointment"}'),
    (200, "Das kann ich nicht beurteilen."),
    (200, '{"category": "Terminwunsch", "urgent": false}'),
])
def test_errors_keep_the_rules_answer(llm: tuple[Settings, StandIn], status: int,
                                      content: str) -> None:
    settings, state = llm
    state.status, state.content = status, content
    result = analyze_text(RESULTS_CALL, today=TODAY, settings=settings)
    assert len(state.requests) == 1
    assert result.category == "results"
    assert not result.urgent


def test_unreachable_endpoint_keeps_the_rules_answer() -> None:
    # Port 9 (discard) on loopback: nothing listens there.
    settings = Settings(assistant_llm_url="http://127.0.0.1:9",
                        assistant_llm_timeout_seconds=1.0)
    result = analyze_text(EMERGENCY_CALL, today=TODAY, settings=settings)
    assert result.category == "emergency"
    assert result.urgent


def test_off_without_a_url(llm: tuple[Settings, StandIn]) -> None:
    _, state = llm
    result = analyze_text(RESULTS_CALL, today=TODAY, settings=Settings(assistant_llm_url=""))
    assert result.category == "results"
    assert state.requests == []
