"""The video patient page in real Chromium (fake camera and microphone): name, device
check, waiting room, then a Chromium-to-Chromium call through the server's signalling with
a second page playing the physician (tests/support/video_physician.html), in both offerer
modes; and the German message when camera access is denied."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.video_support import login_token, wait_js
from tests.support.live_server import LiveServer
from tests.support.video_physician import physician_page

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def physician_url() -> Iterator[str]:
    with physician_page() as url:
        yield url


@dataclass
class Practice:
    live: LiveServer
    staff: dict[str, str]
    physician_token: str

    @property
    def physician(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.physician_token}"}

    def api(self, method: str, path: str, headers: dict[str, str], **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.live.url}/api/v1{path}", headers=headers,
                             timeout=10, **kw)

    def appointment(self) -> dict[str, Any]:
        patient = self.api("POST", "/patients", self.staff,
                           json={"name": "Erika Mustermann", "dob": "1984-08-12"})
        assert patient.status_code == 201, patient.text
        created = self.api("POST", "/video/appointments", self.staff, json={
            "patient_id": patient.json()["id"],
            "scheduled_at": (self.live.clock.now() + timedelta(minutes=5)).isoformat()})
        assert created.status_code == 201, created.text
        body: dict[str, Any] = created.json()
        return body


@pytest.fixture(scope="module")
def practice(live: LiveServer) -> Practice:
    practice_id = live.create_practice("Hausarztpraxis Dr. Video")
    return Practice(live, {"Authorization": f"Bearer {login_token(live, practice_id, 'staff')}"},
                    login_token(live, practice_id, "physician"))


def _patient_to_waiting_room(browser: Browser, link: str) -> Page:
    page = browser.new_context(locale="de-DE").new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(link)
    expect(page.locator("#name-step")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#practice-name")).to_have_text("Hausarztpraxis Dr. Video")
    page.fill("#name", "Erika Mustermann")
    page.click("#name-form button[type=submit]")
    # Device check: the camera preview plays and the level meter moves (fake beep).
    expect(page.locator("#to-waiting")).to_be_enabled(timeout=TIMEOUT_MS)
    wait_js(page, "document.getElementById('preview').videoWidth > 0")
    wait_js(page, "Number(document.body.dataset.level || 0) > 0")
    page.click("#to-waiting")
    expect(page.locator("#waiting-text")).to_have_text(
        "Bitte warten, die Praxis lässt Sie gleich herein.", timeout=TIMEOUT_MS)
    # Nothing from a third party: every request went to the practice's server.
    origin = link.split("/v/", 1)[0]
    assert requested
    assert all(url.startswith(origin + "/") for url in requested), requested
    return page


def _wait_status(p: Practice, appointment_id: str, status: str) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        got = p.api("GET", f"/video/appointments/{appointment_id}", p.staff).json()["status"]
        if got == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"appointment stayed {got}, expected {status}")


def _frames(page: Page, fn: str) -> dict[str, Any]:
    stats: dict[str, Any] | None = page.evaluate(f"window.{fn}()")
    return stats or {"framesDecoded": 0, "audioPacketsReceived": 0}


@pytest.mark.parametrize("offerer", ["physician", "patient"])
def test_patient_joins_waits_and_talks_to_the_physician(
        webrtc_browser: Browser, practice: Practice, physician_url: str, offerer: str) -> None:
    appointment = practice.appointment()
    patient = _patient_to_waiting_room(webrtc_browser, appointment["link"])
    _wait_status(practice, appointment["id"], "waiting")
    assert practice.api("GET", f"/video/appointments/{appointment['id']}",
                        practice.staff).json()["patient_display_name"] == "Erika Mustermann"

    doctor = webrtc_browser.new_context().new_page()
    doctor.goto(physician_url)
    signal = (practice.live.url.replace("http://", "ws://", 1)
              + f"/api/v1/video/appointments/{appointment['id']}/signal")
    doctor.evaluate("([u, t]) => window.startPhysician(u, t, [])",
                    [signal, practice.physician_token])
    admitted = practice.api("POST", f"/video/appointments/{appointment['id']}/admit",
                            practice.physician, json={"offerer": offerer})
    assert admitted.status_code == 200, admitted.text

    expect(patient.locator("#call-step")).to_be_visible(timeout=TIMEOUT_MS)
    # Media both ways: at least 30 decoded video frames and audio packets on each side.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        mine, theirs = _frames(patient, "praxisdeskVideoStats"), _frames(doctor, "physicianStats")
        if (mine["framesDecoded"] >= 30 and theirs["framesDecoded"] >= 30
                and mine["audioPacketsReceived"] > 0 and theirs["audioPacketsReceived"] > 0):
            break
        time.sleep(0.1)
    assert mine["framesDecoded"] >= 30, mine
    assert theirs["framesDecoded"] >= 30, theirs
    assert mine["audioPacketsReceived"] > 0
    assert theirs["audioPacketsReceived"] > 0
    expect(patient.locator("#conn-state")).to_have_text("Verbunden")
    assert doctor.evaluate("window.physician.firstFrameAt") is not None
    # No recording controls anywhere on the patient's page.
    assert patient.locator("button", has_text=re.compile("aufnahme|aufzeichn|record",
                                                          re.IGNORECASE)).count() == 0

    # Mute and camera off change the local tracks; hang up ends for both.
    patient.click("#mute")
    assert patient.evaluate(
        "document.getElementById('self').srcObject.getAudioTracks()[0].enabled") is False
    patient.click("#camera")
    assert patient.evaluate(
        "document.getElementById('self').srcObject.getVideoTracks()[0].enabled") is False
    patient.click("#hangup")
    expect(patient.locator("#ended-step")).to_be_visible(timeout=TIMEOUT_MS)
    wait_js(doctor, "window.physician.ended === true")
    _wait_status(practice, appointment["id"], "ended")
    calls = practice.api("GET", f"/patients/{appointment['patient_id']}/video-calls",
                         practice.staff).json()
    assert len(calls) == 1
    assert calls[0]["ended_at"] is not None
    patient.context.close()
    doctor.context.close()


def test_denied_camera_shows_the_german_message(webrtc_browser: Browser,
                                                practice: Practice) -> None:
    appointment = practice.appointment()
    context = webrtc_browser.new_context(locale="de-DE")
    page = context.new_page()
    # The fake media UI grants every prompt, so the denial comes from the document's
    # permissions policy instead: Chromium refuses getUserMedia with NotAllowedError, the
    # same error a patient's "Block" produces.
    def deny_devices(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "permissions-policy": "camera=(), microphone=()"}
        route.fulfill(response=response, headers=headers)

    page.route(appointment["link"], deny_devices)
    page.goto(appointment["link"])
    page.fill("#name", "Erika Mustermann")
    page.click("#name-form button[type=submit]")
    error = page.locator("#device-error")
    expect(error).to_be_visible(timeout=TIMEOUT_MS)
    expect(error).to_contain_text("Sie haben den Zugriff auf Kamera und Mikrofon nicht erlaubt")
    assert page.evaluate("document.body.dataset.deviceError") == "NotAllowedError"
    expect(page.locator("#to-waiting")).to_be_disabled()
    expect(page.locator("#retry")).to_be_visible()
    context.close()


def test_dead_link_terms_and_code_join(webrtc_browser: Browser, practice: Practice) -> None:
    page = webrtc_browser.new_context(locale="de-DE").new_page()
    response = page.goto(f"{practice.live.url}/v/not-a-real-token")
    assert response is not None
    assert response.status == 404
    expect(page.locator("#invalid")).to_be_visible()
    expect(page.locator("#invalid h2")).to_have_text("Dieser Zugang ist nicht (mehr) gültig.")
    terms = page.goto(f"{practice.live.url}/v/terms")
    assert terms is not None
    assert terms.status == 200
    expect(page.locator("h1")).to_have_text("Nutzungsbedingungen")
    expect(page.locator("body")).to_contain_text("aufgezeichnet")
    # Join by code: the form leads to the same call page (name step).
    appointment = practice.appointment()
    page.goto(f"{practice.live.url}/v")
    code = appointment["code"]
    page.fill("#code", f"{code[:3]}-{code[3:6]}-{code[6:]}".lower())
    page.click("#join-form button[type=submit]")
    expect(page.locator("#name-step")).to_be_visible(timeout=TIMEOUT_MS)
    page.goto(f"{practice.live.url}/v")
    page.fill("#code", "AAAAAAAAA")
    page.click("#join-form button[type=submit]")
    expect(page.locator("#badcode")).to_be_visible(timeout=TIMEOUT_MS)
    page.context.close()
