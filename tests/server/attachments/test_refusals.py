"""Uploads that are too big, of the wrong type or badly named are refused, and leave no
blob, no temporary file and no row behind."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from tests.server.attachments.helpers import (
    API,
    EXE,
    PDF,
    PNG,
    blob_files,
    first_attachment,
    patient_upload,
    raw_multipart,
    row_counts,
    staff_upload,
    staff_upload_path,
    trickle,
)
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import new_conversation, token_of


async def _nothing_left(server: Harness) -> None:
    assert blob_files(server) == []
    assert await row_counts(server) == (0, 0)


async def test_too_large_is_refused_while_streaming(server: Harness) -> None:
    server.settings.attachment_max_bytes = 100_000
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)

    # Exactly at the limit is fine (and then removed again for the checks below).
    fits = b"\x89PNG\r\n\x1a\n" + bytes(100_000 - 8)
    ok = await staff_upload(server, staff, conversation["id"], "ok.png", fits)
    assert ok.status_code == 201, ok.text

    too_big = b"\x89PNG\r\n\x1a\n" + bytes(100_001 - 8)
    refused = await staff_upload(server, staff, conversation["id"], "big.png", too_big)
    body = assert_problem(refused, 413, "attachment_too_large")
    assert body["max_bytes"] == 100_000
    assert await row_counts(server) == (1, 1)
    assert len(blob_files(server)) == 1

    patient = await patient_upload(server, token_of(conversation), "big.png", too_big)
    assert_problem(patient, 413, "attachment_too_large")
    assert await row_counts(server) == (1, 1)
    assert len(blob_files(server)) == 1


async def test_upload_without_length_is_cut_off_at_the_limit(server: Harness) -> None:
    server.settings.attachment_max_bytes = 50_000
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    body, content_type = raw_multipart(b"huge.png", b"\x89PNG\r\n\x1a\n" + bytes(5_000_000))
    pulled: list[int] = []
    refused = await server.client.post(
        staff_upload_path(conversation["id"]), content=trickle(body, 16 * 1024, pulled),
        headers={**staff.headers, "Idempotency-Key": "k", "Content-Type": content_type})
    assert_problem(refused, 413, "attachment_too_large")
    # It stopped reading soon after the limit instead of taking all 5 MB in.
    assert len(pulled) * 16 * 1024 < 200_000
    await _nothing_left(server)


async def test_announced_length_over_the_limit_is_refused_before_reading(
        server: Harness) -> None:
    server.settings.attachment_max_bytes = 50_000
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    body, content_type = raw_multipart(b"huge.png", b"\x89PNG\r\n\x1a\n" + bytes(1_000_000))
    pulled: list[int] = []
    refused = await server.client.post(
        staff_upload_path(conversation["id"]), content=trickle(body, 16 * 1024, pulled),
        headers={**staff.headers, "Idempotency-Key": "k", "Content-Type": content_type,
                 "Content-Length": str(len(body))})
    assert_problem(refused, 413, "attachment_too_large")
    assert pulled == []
    await _nothing_left(server)


@pytest.mark.parametrize(("filename", "data"), [
    ("x.pdf", b"Dies ist nur Text, kein PDF.\n" * 20),
    ("setup.exe", EXE),
    ("Befund.pdf", EXE),
    ("leer.pdf", b""),
    ("script.png", b"<script>alert(1)</script>"),
])
async def test_unsupported_types_are_refused(server: Harness, filename: str,
                                             data: bytes) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    refused = await staff_upload(server, staff, conversation["id"], filename, data,
                                 declared_type="application/pdf")
    assert_problem(refused, 415, "unsupported_media_type")
    assert_problem(await patient_upload(server, token_of(conversation), filename, data),
                   415, "unsupported_media_type")
    await _nothing_left(server)


@pytest.mark.parametrize("filename", [
    "../../etc/passwd.pdf", "a/b.pdf", "..\\evil.pdf", "a\\b.pdf", "C:\\Users\\x\\Befund.pdf", "..",
    "Befund..pdf", "bad\nname.pdf", "tab\there.pdf", "   ", "...", "",
])
async def test_bad_names_are_refused(server: Harness, filename: str) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    refused = await staff_upload(server, staff, conversation["id"], filename, PDF)
    if filename == "":
        # No name at all: not a file upload as far as the form goes.
        assert_problem(refused, 422, "validation_error")
    else:
        assert_problem(refused, 422, "invalid_filename")
    await _nothing_left(server)


@pytest.mark.parametrize("raw_name", [b"evil\x00.pdf", b"a\x00/../b.pdf", b"x\x1b.pdf",
                                      b"caf\xe9.pdf", b"a\\b.pdf", b'a\\".pdf'])
async def test_raw_control_bytes_in_names_are_refused(server: Harness,
                                                      raw_name: bytes) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    body, content_type = raw_multipart(raw_name, PDF)
    for path, headers in ((staff_upload_path(conversation["id"]), staff.headers),
                          (f"{API}/p/{token_of(conversation)}/messages/upload", {})):
        refused = await server.client.post(path, content=body, headers={
            **headers, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": content_type})
        assert_problem(refused, 422, "invalid_filename")
    await _nothing_left(server)


@pytest.mark.parametrize(("sent", "stored"), [
    ("Mu\u0308ller Befund.pdf", "Müller Befund.pdf"),  # NFD from a Mac becomes NFC
    (".versteckt.pdf", "versteckt.pdf"),
    ("  Befund vom 3.5.pdf  ", "Befund vom 3.5.pdf"),
    ("Befund: Blut? <neu>.pdf", "Befund_ Blut_ _neu_.pdf"),
    ("Überweisung \"Dr. Groß\".pdf", "Überweisung _Dr. Groß_.pdf"),
    ("rechnung\u202efdp.exe.pdf", "rechnungfdp.exe.pdf"),
    ("Ä" * 300 + ".pdf", "Ä" * 116 + ".pdf"),
    ("x" * 200, "x" * 120),
    ("😷 Foto vom Ausschlag.png", "😷 Foto vom Ausschlag.png"),
])
async def test_names_are_tidied_but_stay_readable(server: Harness, sent: str,
                                                  stored: str) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    response = await staff_upload(server, staff, conversation["id"], sent, PDF)
    assert response.status_code == 201, response.text
    attachment = first_attachment(response.json())
    assert attachment["filename"] == stored
    assert len(attachment["filename"]) <= 120
    got = await server.client.get(f"{API}/attachments/{attachment['id']}",
                                  headers=staff.headers)
    assert got.status_code == 200
    assert "\n" not in got.headers["content-disposition"]


async def test_form_mistakes_are_validation_errors(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    path = staff_upload_path(conversation["id"])
    headers = {**staff.headers, "Idempotency-Key": "k"}
    no_file = await server.client.post(path, headers=headers, data={"text": "Hallo"},
                                       files={"other": ("x.pdf", PDF)})
    assert_problem(no_file, 422, "validation_error")
    as_json = await server.client.post(path, headers=headers, json={"text": "Hallo"})
    assert_problem(as_json, 422, "validation_error")
    two_files = await server.client.post(path, headers=headers, files=[
        ("file", ("a.pdf", PDF)), ("file", ("b.png", PNG))])
    assert_problem(two_files, 422, "validation_error")
    too_long = await staff_upload(server, staff, conversation["id"], "a.pdf", PDF,
                                  text="x" * 10_001)
    assert_problem(too_long, 422, "validation_error")
    no_key = await server.client.post(path, headers=staff.headers,
                                      files={"file": ("a.pdf", PDF)})
    assert_problem(no_key, 422, "validation_error")
    await _nothing_left(server)


async def test_temporary_files_of_dead_uploads_are_swept(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    temp_dir = server.data_dir / "blobs" / practice / ".tmp"
    temp_dir.mkdir(parents=True)
    stale, fresh = temp_dir / "stale-upload", temp_dir / "upload-in-progress"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    sent = await staff_upload(server, staff, conversation["id"], "a.pdf", PDF)
    assert sent.status_code == 201
    assert not stale.exists()
    assert fresh.exists()  # another upload may still be writing it
