"""End to end in real Firefox: Debian's firefox-esr (fake camera and microphone, driven through
WebDriver BiDi) is the patient, the physician is the desktop's call engine (aiortc) driven
through ``app/``, through the real server's signalling. Media both ways; DTLS-SRTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from app.api.client import ApiClient
from app.video.engine import CallOptions
from app.video.session import PhysicianCall
from tests.e2e.video_support import LoopThread, api, login_token
from tests.support.firefox_bidi import FIREFOX, FirefoxBidi, firefox_bidi
from tests.support.live_server import LiveServer

VISIBLE = ("(() => {{ const e = document.getElementById({id!r});"
           " return !!e && e.checkVisibility(); }})()")
FILL_AND_SUBMIT = """(name) => {
  document.getElementById("name").value = name;
  document.querySelector("#name-form button[type=submit]").click();
}"""


@pytest.fixture(scope="module")
def firefox() -> Iterator[FirefoxBidi]:
    if not FIREFOX.exists():
        pytest.skip("needs firefox-esr (Debian package)")
    with firefox_bidi() as browser:
        yield browser


@pytest.fixture(scope="module")
def tokens(live: LiveServer) -> dict[str, str]:
    practice_id = live.create_practice("Hausarztpraxis Dr. Firefox")
    return {"staff": login_token(live, practice_id, "staff"),
            "physician": login_token(live, practice_id, "physician")}


def _visible(element_id: str) -> str:
    return VISIBLE.format(id=element_id)


@pytest.mark.parametrize("offerer", ["physician", "patient"])
def test_firefox_patient_calls_the_desktop_engine(
        firefox: FirefoxBidi, live: LiveServer, tokens: dict[str, str], loop_thread: LoopThread,
        offerer: str) -> None:
    patient_id = api(live, tokens["staff"], "POST", "/patients",
                        json={"name": "Erika Mustermann", "dob": "1984-08-12"})["id"]
    appointment = api(live, tokens["staff"], "POST", "/video/appointments", json={
        "patient_id": patient_id,
        "scheduled_at": (live.clock.now() + timedelta(minutes=5)).isoformat()})
    tab = firefox.new_tab()
    call: PhysicianCall | None = None
    try:
        # The patient: link, name, device check (fake devices), waiting room.
        firefox.navigate(tab, appointment["link"])
        firefox.call(tab, FILL_AND_SUBMIT, "Erika Mustermann")
        firefox.wait_for(tab, "!document.getElementById('to-waiting').disabled")
        firefox.evaluate(tab, "document.getElementById('to-waiting').click()")
        firefox.wait_for(tab, _visible("waiting-text"))
        deadline = time.monotonic() + 5
        while api(live, tokens["staff"], "GET",
                     f"/video/appointments/{appointment['id']}")["status"] != "waiting":
            assert time.monotonic() < deadline
            time.sleep(0.05)

        async def admit() -> PhysicianCall:
            api = ApiClient(live.url)
            api.access_token = tokens["physician"]
            started = PhysicianCall(api, appointment["id"], offerer=offerer,
                                    options=CallOptions(host_addresses=["127.0.0.1"],
                                                        use_devices=False))
            await started.start()
            return started

        call = loop_thread.run(admit())
        engine = call.engine
        assert engine is not None
        firefox.wait_for(tab, _visible("call-step"))
        deadline = time.monotonic() + 15
        stats: dict[str, Any] = {}
        while time.monotonic() < deadline:
            stats = firefox.evaluate(tab, "window.praxisdeskVideoStats()") or {}
            loop_thread.run(engine.sample_stats())
            totals = engine.stats.last_totals
            if (stats.get("framesDecoded", 0) >= 30 and stats.get("audioPacketsReceived", 0) > 0
                    and engine.remote_video.received >= 30
                    and totals.audio_packets_received > 0 and totals.audio_packets_sent > 0):
                break
            time.sleep(0.1)
        # Media both ways: Firefox decoded the engine's video and got its audio, and back.
        assert stats.get("framesDecoded", 0) >= 30, stats
        assert stats.get("audioPacketsReceived", 0) > 0, stats
        assert engine.remote_video.received >= 30
        frame = engine.remote_video.take()
        assert frame is not None
        assert frame.width > 0
        assert engine.stats.last_totals.audio_packets_received > 0
        assert engine.stats.last_totals.audio_packets_sent > 0
        # Encrypted: DTLS connected, SRTP keys derived from it, the secure SDP profile.
        info = engine.transport_info()
        assert set(info["dtls_states"]) == {"connected"}
        assert info["srtp"]
        assert info["profile_secure"]
        assert info["remote_has_fingerprint"]
        assert firefox.evaluate(tab, "document.getElementById('conn-state').textContent") \
            == "Verbunden"
        loop_thread.run(call.hangup())
        firefox.wait_for(tab, _visible("ended-step"))
    finally:
        if call is not None:
            loop_thread.run(call._finish(local=True))
            loop_thread.run(call.api.aclose())
        firefox.command("browsingContext.close", {"context": tab})
    calls = api(live, tokens["staff"], "GET", f"/patients/{patient_id}/video-calls")
    assert len(calls) == 1
    assert calls[0]["ended_at"] is not None
