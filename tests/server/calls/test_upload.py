"""The generic recording upload (SIP gateways): per-practice API key, audio only, 50 MB."""

from __future__ import annotations

from pathlib import Path

from backend_server.config import Settings
from tests.server.calls.conftest import upload, upload_key
from tests.server.harness import Harness, assert_problem
from tests.support.audio import tone_wav


def _files(data_dir: Path) -> list[Path]:
    root = data_dir / "blobs"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_upload_key_type_and_size_are_checked(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    key = await upload_key(server, admin)
    assert key.startswith("pxdk_")

    missing = await server.client.post("/api/v1/telephony/upload",
                                       files={"file": ("a.wav", tone_wav(), "audio/wav")})
    assert_problem(missing, 401, "not_authenticated")
    wrong = await upload(server, "pxdk_wrong", tone_wav())
    assert_problem(wrong, 403, "upload_key_invalid")

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    assert_problem(await upload(server, key, png), 415, "unsupported_media_type")
    as_text = await server.client.post(
        "/api/v1/telephony/upload", headers={"X-Api-Key": key},
        files={"file": ("a.wav", tone_wav(), "text/plain")})
    assert_problem(as_text, 415, "unsupported_media_type")

    assert Settings(data_dir=server.data_dir).telephony_upload_max_bytes == 50 * 1024 * 1024
    server.settings.telephony_upload_max_bytes = 64 * 1024
    too_big = await upload(server, key, tone_wav(10.0))  # 160 KB
    body = assert_problem(too_big, 413, "recording_too_large")
    assert body["max_bytes"] == 64 * 1024

    assert _files(server.data_dir) == []  # refused uploads leave nothing behind
    listed = await server.client.get("/api/v1/calls", headers=admin.headers)
    assert listed.json() == []

    # A new key replaces the old one.
    newer = await upload_key(server, admin)
    assert_problem(await upload(server, key, tone_wav()), 403, "upload_key_invalid")
    server.settings.telephony_upload_max_bytes = 50 * 1024 * 1024
    accepted = await upload(server, newer, tone_wav(), external_id="sip-4711",
                            started_at="2026-11-28T09:15:00+01:00")
    assert accepted.status_code == 202, accepted.text
    call_id = accepted.json()["call_id"]
    retry = await upload(server, newer, tone_wav(), external_id="sip-4711")
    assert retry.status_code == 202
    assert retry.json()["call_id"] == call_id
    calls = (await server.client.get("/api/v1/calls", headers=admin.headers)).json()
    assert [c["id"] for c in calls] == [call_id]
    assert calls[0]["source"] == "upload"
    assert calls[0]["from_number"] == "+4917612345678"
    assert calls[0]["started_at"] == "2026-11-28T08:15:00Z"
    assert calls[0]["has_recording"] is True
    assert len(_files(server.data_dir)) == 1
