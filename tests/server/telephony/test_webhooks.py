"""Twilio's webhooks end to end: the stand-in plays Twilio over real HTTP against a live
server, signing with the ``twilio`` package; the server downloads the recording back from
the stand-in with basic auth."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from typing import Any

import httpx

from backend_server.telephony.twiml import EMERGENCY_NOTICE
from tests.server.telephony.helpers import (
    ALL_DAY,
    audit_actions,
    calls,
    configure,
    practice_with_twilio,
    wait_for,
)
from tests.support.audio import tone_wav
from tests.support.live_server import LiveServer
from tests.support.twilio_standin import TwilioStandin

ISSUE_SENTENCE = ("Bei lebensbedrohlichen Notfällen legen Sie bitte auf und wählen Sie 112; "
                  "den ärztlichen Bereitschaftsdienst erreichen Sie unter 116117")


def _twiml(response: httpx.Response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer


def _said(doc: ET.Element) -> list[str]:
    return [e.text or "" for e in doc.iter("Say")]


def _call(live: LiveServer, headers: dict[str, str], call_id: str) -> dict[str, Any]:
    response = httpx.get(f"{live.url}/api/v1/calls/{call_id}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_incoming_call_answers_twiml_and_the_recording_is_fetched_once(
        telephony_server: LiveServer, module_twilio: TwilioStandin) -> None:
    live, twilio = telephony_server, module_twilio
    practice = practice_with_twilio(live, twilio, "Praxis Webhook")
    wav = tone_wav(1.0)
    played = twilio.play_call(live.url, practice.practice_id, wav, caller="+4917612345678")

    assert played.voice.status_code == 200, played.voice.text
    assert played.voice.headers["content-type"].startswith("application/xml")
    doc = _twiml(played.voice)
    said = _said(doc)
    assert said[0] == "Guten Tag, Praxis Dr. Sonnenschein."
    assert any("aufgezeichnet" in s for s in said)
    assert ISSUE_SENTENCE in said
    assert EMERGENCY_NOTICE == ISSUE_SENTENCE
    assert doc.find("Gather") is None  # no forward number: no DTMF choice
    record = doc.find("Record")
    assert record is not None
    assert record.get("maxLength") == "90"
    assert record.get("recordingStatusCallback") == twilio.hook(
        live.url, practice.practice_id, "recording-status")
    assert played.status is not None
    assert played.status.status_code == 204

    # The call shows up with From/To of the voice webhook; the recording arrives encrypted.
    queue = calls(live, practice.staff)
    assert [c["from_number"] for c in queue] == ["+4917612345678"]
    call_id = queue[0]["id"]
    wait_for(lambda: _call(live, practice.staff, call_id), lambda c: c["has_recording"],
             what="the download")
    assert twilio.downloads == [played.recording_sid]
    call = _call(live, practice.staff, call_id)
    assert call["duration_seconds"] == 5
    assert call["to_number"] == "+4930555000"
    blob = live.data_dir / "blobs" / practice.practice_id / call_id
    assert blob.is_file()
    assert wav[:44] not in blob.read_bytes()

    # A replayed recording callback (Twilio retries) changes nothing: one call, one download.
    again = twilio.recording_status(live.url, practice.practice_id, played.call_sid,
                                    played.recording_sid)
    assert again.status_code == 204
    replay_voice = twilio.voice(live.url, practice.practice_id, played.call_sid,
                                caller="+4900000000")
    assert replay_voice.status_code == 200
    queue = calls(live, practice.staff)
    assert len(queue) == 1
    assert queue[0]["from_number"] == "+4917612345678"
    conn = sqlite3.connect(live.data_dir / "praxisdesk.sqlite3")
    try:
        jobs = conn.execute("SELECT kind FROM call_jobs WHERE call_id = ? AND kind = "
                            "'download'", (call_id,)).fetchall()
    finally:
        conn.close()
    assert jobs == [("download",)]
    assert twilio.downloads == [played.recording_sid]


def test_bad_signatures_are_refused_and_audited(telephony_server: LiveServer,
                                                module_twilio: TwilioStandin) -> None:
    live, twilio = telephony_server, module_twilio
    practice = practice_with_twilio(live, twilio, "Praxis Signatur")
    url = twilio.hook(live.url, practice.practice_id, "voice")
    params = {"CallSid": "CAtampered", "From": "+4917600000001", "To": "+4930555000"}
    signature = twilio.sign(url, params)

    tampered = httpx.post(url, data={**params, "From": "+4917699999999"},
                          headers={"X-Twilio-Signature": signature}, timeout=10)
    wrong_token = twilio.post(url, params, token="not-the-practice-token-000000000")
    missing = twilio.post(url, params, sign=False)
    for response in (tampered, wrong_token, missing):
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "signature_invalid"
    assert calls(live, practice.staff) == []  # nothing was created
    assert audit_actions(live, practice.admin).count("telephony.signature_rejected") == 3

    # The correct signature over the same parameters is accepted.
    assert twilio.post(url, params, signature=signature).status_code == 200
    assert len(calls(live, practice.staff)) == 1

    # A recording callback with a bad signature queues no download.
    status = twilio.recording_status(live.url, practice.practice_id, "CAtampered", "RE1",
                                     token="not-the-practice-token-000000000")
    assert status.status_code == 403
    assert audit_actions(live, practice.admin).count("telephony.signature_rejected") == 4
    assert twilio.downloads.count("RE1") == 0


def test_unconfigured_practice_answers_404(telephony_server: LiveServer,
                                           module_twilio: TwilioStandin) -> None:
    live = telephony_server
    practice_id = live.create_practice("Praxis ohne Telefon")
    response = module_twilio.voice(live.url, practice_id, "CA1", caller="+491")
    assert response.status_code == 404
    assert module_twilio.voice(live.url, "not-a-uuid", "CA1", caller="+491").status_code == 404


def test_dtmf_choice_puts_through_during_opening_hours(telephony_server: LiveServer,
                                                       module_twilio: TwilioStandin) -> None:
    live, twilio = telephony_server, module_twilio
    practice = practice_with_twilio(live, twilio, "Praxis Offen", forward="+4930555111",
                                    hours=ALL_DAY)
    voice = twilio.voice(live.url, practice.practice_id, "CAopen", caller="+4917600000002")
    doc = _twiml(voice)
    gather = doc.find("Gather")
    assert gather is not None
    assert gather.get("numDigits") == "1"
    gather_url = twilio.hook(live.url, practice.practice_id, "gather")
    assert gather.get("action") == gather_url
    pressed = twilio.post(gather_url, {"CallSid": "CAopen", "Digits": "1"})
    assert pressed.status_code == 200
    dial = _twiml(pressed).find("Dial")
    assert dial is not None
    assert dial.text == "+4930555111"
    other = twilio.post(gather_url, {"CallSid": "CAopen", "Digits": "5"})
    assert _twiml(other).find("Record") is not None

    configure(live, twilio, practice, forward="+4930555111", hours={})  # closed now
    closed = practice
    voice = twilio.voice(live.url, closed.practice_id, "CAclosed", caller="+4917600000003")
    assert _twiml(voice).find("Gather") is None
    recorded = twilio.post(twilio.hook(live.url, closed.practice_id, "recorded"),
                           {"CallSid": "CAclosed"})
    assert _twiml(recorded).find("Hangup") is not None


def test_failed_downloads_are_retried_with_backoff_then_marked_failed(
        telephony_server: LiveServer, twilio: TwilioStandin) -> None:
    live = telephony_server
    practice = practice_with_twilio(live, twilio, "Praxis Wackel")
    twilio.fail_next = 2  # Twilio hiccups twice, the third attempt works
    played = twilio.play_call(live.url, practice.practice_id, tone_wav(0.3))
    call_id = calls(live, practice.staff)[0]["id"]
    wait_for(lambda: _call(live, practice.staff, call_id), lambda c: c["has_recording"],
             what="the download after retries")
    assert [r.split()[0] for r in twilio.refused] == ["500", "500"]
    assert twilio.downloads == [played.recording_sid]

    # A recording that never becomes available: bounded attempts, then "failed" is shown.
    twilio.fail_next = 100
    twilio.play_call(live.url, practice.practice_id, tone_wav(0.3))
    call_id = next(c["id"] for c in calls(live, practice.staff) if not c["has_recording"])
    failed = wait_for(lambda: _call(live, practice.staff, call_id),
                      lambda c: c["processing"] == "failed", what="the failed state")
    assert failed["has_recording"] is False
    assert 100 - twilio.fail_next == 3  # calls_download_attempts
    twilio.fail_next = 0
