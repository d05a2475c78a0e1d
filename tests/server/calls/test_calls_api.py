"""The review queue over the API: a real recording (espeak-ng, German) goes through the job
queue and the assistant's pipeline; staff correct it, listen to it and take it over into
the inbox; retention removes it with its recording."""

from __future__ import annotations

import io
import json
import wave
import zipfile
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from backend_server.assistant.analysis import CATEGORIES
from backend_server.models import Call, CallJob, DeletionLog
from backend_server.retention.practice_end import delete_practice
from backend_server.retention.purge import run_purge
from tests.server.calls.conftest import upload, upload_key, wait_call
from tests.server.harness import Harness, assert_problem
from tests.support.audio import speech_wav, tone_wav

PRESCRIPTION = "Hier spricht Maria Schulz. Ich brauche ein neues Rezept."


def _settled(call: dict[str, Any]) -> bool:
    return call["processing"] in ("ready", "failed")


async def test_call_is_analysed_corrected_heard_and_taken_over(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    key = await upload_key(server, admin)
    accepted = await upload(server, key, speech_wav(PRESCRIPTION), caller="+4930111222")
    assert accepted.status_code == 202, accepted.text
    call_id = accepted.json()["call_id"]

    call = await wait_call(server, staff, call_id, lambda c: c["processing"] == "ready")
    assert "Schulz" in call["transcript"]  # espeak + Whisper base: not every word survives
    assert call["category"] in CATEGORIES
    assert call["processed_at"] is not None
    assert call["status"] == "new"

    # The recording plays as 16-bit PCM WAV.
    heard = await server.client.get(f"/api/v1/calls/{call_id}/recording",
                                    headers=staff.headers)
    assert heard.status_code == 200, heard.text
    assert heard.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(heard.content)) as wav:
        assert wav.getsampwidth() == 2
        assert wav.getnchannels() == 1
        assert wav.getnframes() > wav.getframerate()  # more than a second of speech

    # Staff correct what the assistant heard and assign it.
    patched = await server.client.patch(
        f"/api/v1/calls/{call_id}", headers=staff.headers,
        json={"caller": {"name": "Maria  Schulz", "dob": "1958-03-12"},
              "category": "prescription", "assignee_user_id": staff.user_id})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["caller"]["name"] == "Maria Schulz"
    assert body["caller"]["dob"] == "1958-03-12"
    assert body["category"] == "prescription"
    assert body["assignee_user_id"] == staff.user_id
    bad = await server.client.patch(f"/api/v1/calls/{call_id}", headers=staff.headers,
                                    json={"caller": {"dob": "12.03.1958"}})
    assert bad.status_code == 422

    # The patient exists already, with a conversation: the call lands there.
    patient = (await server.client.post("/api/v1/patients", headers=staff.headers,
                                        json={"name": "Maria Schulz", "dob": "1958-03-12"}))
    conversation = await server.client.post("/api/v1/conversations", headers=staff.headers,
                                            json={"patient_id": patient.json()["id"]})
    taken = await server.client.post(f"/api/v1/calls/{call_id}/inquiry",
                                     headers=staff.headers, json={})
    assert taken.status_code == 200, taken.text
    link = taken.json()
    assert link["patient_id"] == patient.json()["id"]
    assert link["conversation_id"] == conversation.json()["id"]
    again = await server.client.post(f"/api/v1/calls/{call_id}/inquiry", headers=staff.headers)
    assert again.json() == link  # idempotent: one inquiry per call
    inquiry = (await server.client.get(f"/api/v1/inquiries/{link['inquiry_id']}",
                                       headers=staff.headers)).json()
    assert inquiry["type"] == "prescription"
    assert inquiry["text"] == call["transcript"]
    assert inquiry["conversation_id"] == link["conversation_id"]
    call = (await server.client.get(f"/api/v1/calls/{call_id}", headers=staff.headers)).json()
    assert call["status"] == "in_progress"
    assert call["inquiry_id"] == link["inquiry_id"]
    assert call["patient_id"] == link["patient_id"]

    # Clients mirror calls through sync (kind "call", data = CallOut).
    changes = (await server.client.get("/api/v1/sync/changes", headers=staff.headers)).json()
    mirrored = [c for c in changes["changes"] if c["kind"] == "call"]
    assert [c["data"] for c in mirrored] == [call]

    # The audit log holds ids only.
    audit = (await server.client.get("/api/v1/audit", headers=admin.headers,
                                     params={"limit": 1000})).json()
    actions = {e["action"] for e in audit if e["object_id"] == call_id}
    assert {"call.create", "call.update", "call.recording.download", "call.inquiry"} <= actions


async def test_unknown_caller_becomes_a_patient_and_queue_orders_urgent_first(
        server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    key = await upload_key(server, admin)
    first = (await upload(server, key, tone_wav(0.5))).json()["call_id"]
    second = (await upload(server, key, tone_wav(0.5))).json()["call_id"]
    for call_id in (first, second):
        await wait_call(server, admin, call_id, _settled)
    not_yet = await server.client.post(f"/api/v1/calls/{first}/inquiry", headers=admin.headers)
    assert_problem(not_yet, 422, "validation_error")  # no name + dob heard: choose a patient
    await server.client.patch(f"/api/v1/calls/{first}", headers=admin.headers,
                              json={"urgent": True, "category": "emergency",
                                    "caller": {"name": "Jonas Neu", "dob": "1990-01-02"}})
    queue = (await server.client.get("/api/v1/calls", headers=admin.headers)).json()
    assert [c["id"] for c in queue] == [first, second]  # urgent first, then newest
    taken = (await server.client.post(f"/api/v1/calls/{first}/inquiry",
                                      headers=admin.headers)).json()
    patient = (await server.client.get(f"/api/v1/patients/{taken['patient_id']}",
                                       headers=admin.headers)).json()
    assert patient["name"] == "Jonas Neu"
    assert patient["dob"] == "1990-01-02"
    inquiry = (await server.client.get(f"/api/v1/inquiries/{taken['inquiry_id']}",
                                       headers=admin.headers)).json()
    assert inquiry["type"] == "other"  # emergencies are not an inquiry type

    done = await server.client.patch(f"/api/v1/calls/{second}", headers=admin.headers,
                                     json={"status": "done"})
    assert done.json()["status"] == "done"
    open_calls = (await server.client.get("/api/v1/calls", headers=admin.headers,
                                          params={"status": "open"})).json()
    assert [c["id"] for c in open_calls] == [first]

    # The patient export lists the call; erasure removes it with its recording.
    export = await server.client.get(f"/api/v1/patients/{taken['patient_id']}/export",
                                     headers=admin.headers)
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        listed = json.loads(archive.read("calls.json"))
    assert [c["id"] for c in listed] == [first]
    erased = await server.client.post(f"/api/v1/patients/{taken['patient_id']}/erase",
                                      headers=admin.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["counts"]["call"] == 1
    gone = await server.client.get(f"/api/v1/calls/{first}", headers=admin.headers)
    assert_problem(gone, 404, "not_found")
    assert server.ctx.keystore.get_blob_key(first) is None
    assert not (server.data_dir / "blobs" / practice / first).exists()
    assert (server.data_dir / "blobs" / practice / second).exists()


async def test_purge_after_105_days_removes_row_recording_and_key(server: Harness) -> None:
    await server.app.state.call_worker.stop()  # no analysis needed here
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    key = await upload_key(server, admin)
    call_id = (await upload(server, key, tone_wav(0.5))).json()["call_id"]
    blob = server.data_dir / "blobs" / practice / call_id
    assert blob.is_file()
    assert server.ctx.keystore.get_blob_key(call_id) is not None

    server.clock.advance(timedelta(days=104))
    report = await run_purge(server.ctx)
    assert report.counts["call"] == 0
    server.clock.advance(timedelta(days=2))
    report = await run_purge(server.ctx)
    assert report.counts["call"] == 1
    assert not blob.exists()
    assert server.ctx.keystore.get_blob_key(call_id) is None
    # A fresh login: the clock jump outlived the old access token.
    admin = await server.logged_in(practice, "admin")
    gone = await server.client.get(f"/api/v1/calls/{call_id}", headers=admin.headers)
    assert_problem(gone, 404, "not_found")
    async with server.ctx.db.session(system=True) as session:
        entries = (await session.execute(select(DeletionLog))).scalars().all()
        jobs = (await session.execute(select(CallJob))).scalars().all()
    assert [e.counts["call"] for e in entries] == [1]
    assert entries[0].ids["call"] == [call_id]
    assert jobs == []


async def test_another_practices_call_answers_404(server: Harness) -> None:
    await server.app.state.call_worker.stop()  # no analysis needed here
    practice_a, practice_b = await server.practice(), await server.practice()
    admin_a = await server.logged_in(practice_a, "admin")
    admin_b = await server.logged_in(practice_b, "admin")
    call_id = (await upload(server, await upload_key(server, admin_a),
                            tone_wav(0.3))).json()["call_id"]
    for method, path in (("GET", f"/api/v1/calls/{call_id}"),
                         ("GET", f"/api/v1/calls/{call_id}/recording"),
                         ("PATCH", f"/api/v1/calls/{call_id}"),
                         ("POST", f"/api/v1/calls/{call_id}/inquiry")):
        response = await server.client.request(method, path, headers=admin_b.headers,
                                               json={"status": "done"} if method == "PATCH"
                                               else None)
        assert_problem(response, 404, "not_found")
    assert (await server.client.get("/api/v1/calls", headers=admin_b.headers)).json() == []
    mine = (await server.client.get(f"/api/v1/calls/{call_id}", headers=admin_a.headers))
    assert mine.json()["status"] == "new"

    # The end of practice A's contract takes its calls, jobs, settings, recordings and keys.
    counts = await delete_practice(server.ctx, practice_a)
    assert counts["calls"] == 1
    assert counts["telephony_settings"] == 1
    assert not (server.data_dir / "blobs" / practice_a).exists()
    assert server.ctx.keystore.get_blob_key(call_id) is None
    async with server.ctx.db.session(system=True) as session:
        assert (await session.execute(select(Call))).scalars().all() == []
        assert (await session.execute(select(CallJob))).scalars().all() == []
