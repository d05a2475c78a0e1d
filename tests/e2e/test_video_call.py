"""End to end: Chromium (fake camera and microphone) is the patient, the physician is the
desktop's call engine driven through ``app/`` (headless, no devices), through the real
server's signalling. Both offerer modes; media both ways; DTLS-SRTP; metadata with quality."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from app.api.client import ApiClient
from app.video.engine import CallOptions
from app.video.session import PhysicianCall
from tests.support.fast_passwords import cheap_password_hashing
from tests.support.live_server import LiveServer, start_live_server
from tests.support.video_physician import chromium_webrtc_launch_args

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
TIMEOUT_MS = 10_000


class LoopThread:
    """The physician's asyncio loop in its own thread: Playwright's sync API owns this one."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="physician-loop",
                                       daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with cheap_password_hashing():
        server = start_live_server(tmp_path_factory.mktemp("video-call-e2e"))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_webrtc_launch_args(str(CHROMIUM)))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def loop_thread() -> Iterator[LoopThread]:
    runner = LoopThread()
    try:
        yield runner
    finally:
        runner.stop()


def _login(live: LiveServer, practice_id: str, role: str) -> str:
    email = f"{uuid.uuid4().hex[:10]}@praxis.example"
    live.create_user(practice_id, email, role, PASSWORD)
    response = httpx.post(f"{live.url}/api/v1/auth/login",
                          json={"email": email, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture(scope="module")
def tokens(live: LiveServer) -> dict[str, str]:
    practice_id = live.create_practice("Hausarztpraxis Dr. Engine")
    return {"staff": _login(live, practice_id, "staff"),
            "physician": _login(live, practice_id, "physician")}


def _staff(live: LiveServer, token: str, method: str, path: str, **kw: Any) -> Any:
    response = httpx.request(method, f"{live.url}/api/v1{path}", timeout=10,
                             headers={"Authorization": f"Bearer {token}"}, **kw)
    assert response.status_code < 300, response.text
    return response.json()


def _wait_js(page: Page, expression: str, timeout: float = 10.0) -> None:
    # Polled from here: the page's CSP forbids the eval() behind wait_for_function(str).
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        time.sleep(0.05)


def _patient_waits(browser: Browser, link: str) -> Page:
    page = browser.new_context(locale="de-DE").new_page()
    page.goto(link)
    page.fill("#name", "Erika Mustermann")
    page.click("#name-form button[type=submit]")
    expect(page.locator("#to-waiting")).to_be_enabled(timeout=TIMEOUT_MS)
    page.click("#to-waiting")
    expect(page.locator("#waiting-text")).to_be_visible(timeout=TIMEOUT_MS)
    return page


@pytest.mark.parametrize("offerer", ["physician", "patient"])
def test_desktop_engine_calls_the_patients_browser(
        browser: Browser, live: LiveServer, tokens: dict[str, str], loop_thread: LoopThread,
        offerer: str) -> None:
    patient_id = _staff(live, tokens["staff"], "POST", "/patients",
                        json={"name": "Erika Mustermann", "dob": "1984-08-12"})["id"]
    appointment = _staff(live, tokens["staff"], "POST", "/video/appointments", json={
        "patient_id": patient_id,
        "scheduled_at": (live.clock.now() + timedelta(minutes=5)).isoformat()})
    patient = _patient_waits(browser, appointment["link"])
    deadline = time.monotonic() + 5
    while _staff(live, tokens["staff"], "GET",
                 f"/video/appointments/{appointment['id']}")["status"] != "waiting":
        assert time.monotonic() < deadline
        time.sleep(0.05)

    async def admit() -> PhysicianCall:
        api = ApiClient(live.url)
        api.access_token = tokens["physician"]
        call = PhysicianCall(api, appointment["id"], offerer=offerer, options=CallOptions(
            host_addresses=["127.0.0.1"], use_devices=False))
        await call.start()
        return call

    call = loop_thread.run(admit())
    engine = call.engine
    assert engine is not None
    try:
        expect(patient.locator("#call-step")).to_be_visible(timeout=TIMEOUT_MS)
        deadline = time.monotonic() + 15
        browser_stats: dict[str, Any] = {}
        while time.monotonic() < deadline:
            browser_stats = patient.evaluate("window.praxisdeskVideoStats()") or {}
            loop_thread.run(engine.sample_stats())
            totals = engine.stats.last_totals
            if (browser_stats.get("framesDecoded", 0) >= 30
                    and browser_stats.get("audioPacketsReceived", 0) > 0
                    and engine.remote_video.received >= 30
                    and totals.audio_packets_received > 0 and totals.audio_packets_sent > 0
                    and totals.rtt_ms is not None):
                break
            time.sleep(0.1)
        # Media both ways: decoded video frames and audio packets on each side.
        assert browser_stats.get("framesDecoded", 0) >= 30, browser_stats
        assert browser_stats.get("audioPacketsReceived", 0) > 0, browser_stats
        assert engine.remote_video.received >= 30
        frame = engine.remote_video.take()
        assert frame is not None
        assert frame.width > 0
        assert engine.stats.last_totals.audio_packets_received > 0
        assert engine.stats.last_totals.audio_packets_sent > 0
        assert engine.stats.last_totals.rtt_ms is not None
        # Encrypted: DTLS connected, SRTP keys derived from it, the secure SDP profile.
        info = engine.transport_info()
        assert set(info["dtls_states"]) == {"connected"}
        assert info["srtp"]
        assert info["profile_secure"]
        assert info["remote_has_fingerprint"]
        expect(patient.locator("#conn-state")).to_have_text("Verbunden")
        loop_thread.run(call.hangup())
        expect(patient.locator("#ended-step")).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        loop_thread.run(call._finish(local=True))
        loop_thread.run(call.api.aclose())
        patient.context.close()
    calls = _staff(live, tokens["staff"], "GET", f"/patients/{patient_id}/video-calls")
    assert len(calls) == 1
    assert calls[0]["ended_at"] is not None
    assert calls[0]["quality"]["send_resolution_min"] == "640x480"
    # RTT from Chromium's receiver reports, loss and bitrate from aiortc's counters.
    quality = calls[0]["quality"]
    assert set(quality) == {"rtt_ms_median", "loss_pct_max", "bitrate_kbps_median",
                            "send_resolution_min"}
    assert 0 <= quality["rtt_ms_median"] < 1000
    assert quality["bitrate_kbps_median"] > 0
