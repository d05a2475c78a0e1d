"""End to end: Chromium (fake camera and microphone) is the patient, the physician is the
desktop's call engine driven through ``app/`` (headless, no devices), through the real
server's signalling. Both offerer modes; media both ways; DTLS-SRTP; metadata with quality."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.api.client import ApiClient
from app.video.engine import CallOptions
from app.video.session import PhysicianCall
from tests.e2e.video_support import LoopThread, api, login_token
from tests.support.live_server import LiveServer

TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def tokens(live: LiveServer) -> dict[str, str]:
    practice_id = live.create_practice("Hausarztpraxis Dr. Engine")
    return {"staff": login_token(live, practice_id, "staff"),
            "physician": login_token(live, practice_id, "physician")}


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
        webrtc_browser: Browser, live: LiveServer, tokens: dict[str, str], loop_thread: LoopThread,
        offerer: str) -> None:
    patient_id = api(live, tokens["staff"], "POST", "/patients",
                        json={"name": "Erika Mustermann", "dob": "1984-08-12"})["id"]
    appointment = api(live, tokens["staff"], "POST", "/video/appointments", json={
        "patient_id": patient_id,
        "scheduled_at": (live.clock.now() + timedelta(minutes=5)).isoformat()})
    patient = _patient_waits(webrtc_browser, appointment["link"])
    deadline = time.monotonic() + 5
    while api(live, tokens["staff"], "GET",
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
    calls = api(live, tokens["staff"], "GET", f"/patients/{patient_id}/video-calls")
    assert len(calls) == 1
    assert calls[0]["ended_at"] is not None
    assert calls[0]["quality"]["send_resolution_min"] == "640x480"
    # RTT from Chromium's receiver reports, loss and bitrate from aiortc's counters.
    quality = calls[0]["quality"]
    assert set(quality) == {"rtt_ms_median", "loss_pct_max", "bitrate_kbps_median",
                            "send_resolution_min"}
    assert 0 <= quality["rtt_ms_median"] < 1000
    assert quality["bitrate_kbps_median"] > 0
