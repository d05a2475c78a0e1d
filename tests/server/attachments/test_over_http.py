"""Uploads and downloads over real HTTP (uvicorn on 127.0.0.1), where refusing a body that
is still arriving must not leave the client hanging."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.attachments.helpers import PDF, raw_multipart
from tests.support.live_server import LiveServer, start_live_server


@pytest.fixture
def small_limit_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv("PRAXISDESK_ATTACHMENT_MAX_BYTES", "100000")
    server = start_live_server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def _staff_and_conversation(server: LiveServer, client: httpx.Client) -> tuple[dict[str, str],
                                                                                str, str]:
    practice = server.create_practice("Praxis Live")
    server.create_user(practice, "live@example.org", "staff", "live password")
    login = client.post("/api/v1/auth/login", json={"email": "live@example.org",
                                                    "password": "live password"})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    patient = client.post("/api/v1/patients", headers=headers,
                          json={"name": "Erika Mustermann", "dob": "1984-08-12"}).json()
    conversation = client.post("/api/v1/conversations", headers=headers,
                               json={"patient_id": patient["id"]}).json()
    token = conversation["patient_link"].rsplit("/p/", 1)[1]
    return headers, conversation["id"], token


def test_upload_and_download_over_http(small_limit_server: LiveServer) -> None:
    server = small_limit_server
    with httpx.Client(base_url=server.url, timeout=20) as client:
        headers, conversation_id, token = _staff_and_conversation(server, client)
        sent = client.post(f"/api/v1/p/{token}/messages/upload",
                           headers={"Idempotency-Key": "1"}, data={"text": "Mein Befund"},
                           files={"file": ("Befund.pdf", PDF, "application/pdf")})
        assert sent.status_code == 201, sent.text
        attachment = sent.json()["attachments"][0]
        got = client.get(f"/api/v1/attachments/{attachment['id']}", headers=headers)
        assert got.status_code == 200
        assert got.content == PDF
        assert got.headers["x-content-sha256"] == hashlib.sha256(PDF).hexdigest()

        too_big = b"\x89PNG\r\n\x1a\n" + bytes(400_000)
        refused = client.post(f"/api/v1/conversations/{conversation_id}/messages/upload",
                              headers={**headers, "Idempotency-Key": "2"},
                              files={"file": ("gross.png", too_big, "image/png")})
        assert refused.status_code == 413
        assert refused.json()["code"] == "attachment_too_large"

        # Without a length the body is cut off mid-stream; the client still gets the answer.
        body, content_type = raw_multipart(b"gross.png", too_big)

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 32 * 1024):
                yield body[start:start + 32 * 1024]

        try:
            streamed = client.post(
                f"/api/v1/conversations/{conversation_id}/messages/upload", content=chunks(),
                headers={**headers, "Idempotency-Key": "3", "Content-Type": content_type})
        except httpx.WriteError:
            streamed = None  # the server closed while the client was still sending
        if streamed is not None:
            assert streamed.status_code == 413
        # The server is fine afterwards and nothing was kept.
        listed = client.get(f"/api/v1/conversations/{conversation_id}/messages",
                            headers=headers).json()["items"]
        assert [m["text"] for m in listed] == ["Mein Befund"]
    blobs = [p for p in (server.data_dir / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
