"""The bundle ships without the Whisper model: a server without it starts, says so once in
its log (naming the directory), serves everything else, and recorded calls end ``failed``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from backend_server.app import create_app
from backend_server.assistant.synth import synthesize
from backend_server.clock import MutableClock
from backend_server.config import Settings
from tests.server.calls.conftest import FAST, upload, upload_key, wait_call
from tests.server.harness import Harness


@pytest.fixture
async def modelless(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    caplog.set_level(logging.WARNING, logger="backend_server")
    settings = Settings(data_dir=tmp_path / "data", database_url="",  # type: ignore[arg-type]
                        assistant_model_dir=tmp_path / "nowhere" / "whisper-base", **FAST)
    app = create_app(settings, clock=MutableClock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=MutableClock(), data_dir=tmp_path / "data",
                          settings=settings)


async def test_missing_model_is_named_at_start_and_calls_fail(
        modelless: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Logged while the fixture started the server.
    warnings = [r.getMessage() for r in caplog.get_records("setup")
                if "phone assistant" in r.getMessage()]
    assert len(warnings) == 1
    assert str(tmp_path / "nowhere" / "whisper-base") in warnings[0]
    assert "PRAXISDESK_ASSISTANT_MODEL_DIR" in warnings[0]

    health = await modelless.client.get("/api/v1/health")
    assert health.json()["status"] == "ok"
    practice = await modelless.practice()
    admin = await modelless.logged_in(practice, "admin")
    recording = synthesize("Guten Tag, ich brauche ein neues Rezept.")
    accepted = await upload(modelless, await upload_key(modelless, admin), recording)
    assert accepted.status_code == 202, accepted.text
    call = await wait_call(modelless, admin, accepted.json()["call_id"],
                           lambda c: c["processing"] == "failed")
    assert call["processing"] == "failed"
    assert any("TranscriberUnavailable" in r.getMessage() for r in caplog.records)
