"""Files go up and come back byte for byte, for staff and patients, encrypted at rest."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from urllib.parse import quote

import pytest
from sqlalchemy import select

from backend_server.attachments import crypto
from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.attachment import Attachment
from backend_server.models.audit_entry import AuditEntry
from tests.server.attachments.helpers import (
    API,
    HEIC,
    JPEG,
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
from tests.server.inbox.helpers import new_conversation, staff_send, token_of


async def test_staff_upload_and_download_roundtrip(server: Harness,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backend_server")
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)

    sent = await staff_upload(server, staff, conversation["id"], "Laborbefund Müller.pdf", PDF,
                              text="Ihr Befund", declared_type="image/png")
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["author"] == "staff"
    assert message["author_user_id"] == staff.user_id
    assert message["text"] == "Ihr Befund"
    attachment = first_attachment(message)
    assert attachment["filename"] == "Laborbefund Müller.pdf"
    assert attachment["content_type"] == "application/pdf"  # the bytes decide, not the claim
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["message_id"] == message["id"]
    assert attachment["conversation_id"] == conversation["id"]
    assert set(attachment) == {"id", "message_id", "conversation_id", "filename",
                               "content_type", "size", "sha256", "created_at"}

    got = await server.client.get(f"{API}/attachments/{attachment['id']}", headers=staff.headers)
    assert got.status_code == 200, got.text
    assert got.content == PDF
    assert hashlib.sha256(got.content).hexdigest() == attachment["sha256"]
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-length"] == str(len(PDF))
    assert got.headers["x-content-sha256"] == attachment["sha256"]
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Laborbefund Müller.pdf', safe='')}" in disposition
    assert 'filename="Laborbefund M_ller.pdf"' in disposition

    # The thread shows the file with its message.
    listed = (await server.client.get(f"{API}/conversations/{conversation['id']}/messages",
                                      headers=staff.headers)).json()["items"]
    assert [m["attachments"] for m in listed] == [[attachment]]

    async with server.ctx.db.session(system=True) as session:
        actions = [(e.action, e.object_id, e.actor_user_id) for e in (await session.execute(
            select(AuditEntry).where(AuditEntry.object_type == "attachment")
            .order_by(AuditEntry.seq).execution_options(**ALL_PRACTICES))).scalars()]
    assert actions == [("attachment.upload", attachment["id"], staff.user_id),
                       ("attachment.download", attachment["id"], staff.user_id)]
    for secret in ("Laborbefund", "Müller", "Ihr Befund"):
        assert secret not in caplog.text


async def test_blob_is_encrypted_and_needs_the_master_key(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    sent = await staff_upload(server, staff, conversation["id"], "Befund.pdf", PDF)
    attachment = first_attachment(sent.json())

    blob = server.data_dir / "blobs" / practice / attachment["id"]
    assert blob_files(server) == [blob]
    stored = blob.read_bytes()
    for plain in (b"%PDF", b"Laborbefund", b"Erika Mustermann", PDF[:64]):
        assert plain not in stored
    assert blob.stat().st_mode & 0o777 == 0o600
    for directory in (blob.parent.parent, blob.parent, blob.parent / ".tmp"):
        assert directory.stat().st_mode & 0o777 == 0o700, directory
    master = server.data_dir / "keys" / "master.key"
    assert master.stat().st_mode & 0o777 == 0o600
    assert master.parent.stat().st_mode & 0o777 == 0o700
    assert len(master.read_bytes()) == 32

    # The database holds no key; the key store holds them only wrapped: without the master
    # key they open nothing.
    async with server.ctx.db.session(system=True) as session:
        row = (await session.execute(select(Attachment).execution_options(
            **ALL_PRACTICES))).scalar_one()
    assert row.wrapped_key == b""
    practice_key = server.ctx.keystore.get_practice_key(practice)
    blob_key = server.ctx.keystore.get_blob_key(row.id)
    assert practice_key is not None
    assert blob_key is not None
    with pytest.raises(crypto.AttachmentKeyError):
        crypto.unwrap_practice_key(os.urandom(32), practice, practice_key)
    with pytest.raises(crypto.AttachmentKeyError):
        crypto.unwrap_blob_key(os.urandom(32), blob_key)
    with pytest.raises(crypto.BlobDamaged):
        list(crypto.open_chunks(io.BytesIO(stored).read, os.urandom(32), row.nonce, row.id))

    good = master.read_bytes()
    master.write_bytes(os.urandom(32))
    refused = await server.client.get(f"{API}/attachments/{attachment['id']}",
                                      headers=staff.headers)
    assert_problem(refused, 500, "internal_error")
    assert b"Laborbefund" not in refused.content
    master.unlink()
    assert_problem(await server.client.get(f"{API}/attachments/{attachment['id']}",
                                           headers=staff.headers), 500, "internal_error")
    # A missing master key is not silently replaced by a new one.
    assert not master.exists()
    master.write_bytes(good)
    again = await server.client.get(f"{API}/attachments/{attachment['id']}",
                                    headers=staff.headers)
    assert again.content == PDF


async def test_tampered_blob_is_refused(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    attachment = first_attachment((await staff_upload(
        server, staff, conversation["id"], "Foto.png", PNG)).json())
    blob = server.data_dir / "blobs" / practice / attachment["id"]
    damaged = bytearray(blob.read_bytes())
    damaged[40] ^= 0x01
    blob.write_bytes(bytes(damaged))
    assert_problem(await server.client.get(f"{API}/attachments/{attachment['id']}",
                                           headers=staff.headers), 500, "internal_error")


@pytest.mark.parametrize("size", [5, 64 * 1024, 2 * 64 * 1024, 2 * 64 * 1024 + 1, 300_000])
async def test_sizes_across_chunk_boundaries(server: Harness, size: int) -> None:
    """Blobs are sealed in 64 KiB chunks; files ending on and next to a boundary survive."""
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    data = b"%PDF-" if size == 5 else b"\x89PNG\r\n\x1a\n" + os.urandom(size - 8)
    assert len(data) == size
    sent = await staff_upload(server, staff, conversation["id"], "x.bin", data)
    assert sent.status_code == 201, sent.text
    got = await server.client.get(f"{API}/attachments/{first_attachment(sent.json())['id']}",
                                  headers=staff.headers)
    assert got.content == data


async def test_jpeg_and_heic_are_accepted(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    jpeg = first_attachment((await staff_upload(server, staff, conversation["id"],
                                                "IMG_0001.JPG", JPEG)).json())
    heic = first_attachment((await staff_upload(server, staff, conversation["id"],
                                                "IMG_0002.HEIC", HEIC)).json())
    assert (jpeg["content_type"], heic["content_type"]) == ("image/jpeg", "image/heic")


async def test_patient_uploads_and_downloads_with_the_link(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    token = token_of(conversation)

    sent = await patient_upload(server, token, "Hautausschlag.png", PNG)
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message["author"] == "patient"
    assert message["text"] == ""  # a file alone is a message
    assert "author_user_id" not in message
    attachment = first_attachment(message)
    assert attachment["content_type"] == "image/png"

    # The patient gets their own file back, and sees it in the thread.
    mine = await server.client.get(f"{API}/p/{token}/attachments/{attachment['id']}")
    assert mine.status_code == 200, mine.text
    assert mine.content == PNG
    assert mine.headers["x-content-sha256"] == hashlib.sha256(PNG).hexdigest()
    view = (await server.client.get(f"{API}/p/{token}/conversation")).json()
    assert [m["attachments"] for m in view["messages"]] == [[attachment]]

    # Staff see it unread in the conversation and can open it.
    shown = (await server.client.get(f"{API}/conversations/{conversation['id']}",
                                     headers=staff.headers)).json()
    assert shown["unread_count"] == 1
    by_staff = await server.client.get(f"{API}/attachments/{attachment['id']}",
                                       headers=staff.headers)
    assert by_staff.content == PNG

    # And the practice's file reaches the patient.
    reply = await staff_upload(server, staff, conversation["id"], "Merkblatt.pdf", PDF,
                               text="Bitte lesen")
    reply_file = first_attachment(reply.json())
    got = await server.client.get(f"{API}/p/{token}/attachments/{reply_file['id']}")
    assert got.content == PDF

    async with server.ctx.db.session(system=True) as session:
        entries = [(e.action, e.actor_user_id) for e in (await session.execute(
            select(AuditEntry).where(AuditEntry.object_id == attachment["id"])
            .order_by(AuditEntry.seq).execution_options(**ALL_PRACTICES))).scalars()]
    assert entries == [("attachment.upload", None), ("attachment.download", None),
                       ("attachment.download", staff.user_id)]


async def test_link_opens_only_its_own_conversations_files(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    mine, theirs = await new_conversation(server, staff), await new_conversation(server, staff)
    other_file = first_attachment((await staff_upload(server, staff, theirs["id"], "a.pdf",
                                                      PDF)).json())
    token = token_of(mine)
    stolen = await server.client.get(f"{API}/p/{token}/attachments/{other_file['id']}")
    unknown = await server.client.get(f"{API}/p/{token}/attachments/{os.urandom(4).hex()}")
    assert assert_problem(stolen, 404, "not_found") == assert_problem(unknown, 404,
                                                                      "not_found")
    assert PDF[:20] not in stolen.content
    # A dead link opens nothing, even the conversation's own files.
    own = first_attachment((await staff_upload(server, staff, mine["id"], "b.pdf",
                                               PDF)).json())
    revoked = await server.client.post(f"{API}/conversations/{mine['id']}/link/revoke",
                                       headers=staff.headers)
    assert revoked.status_code == 200
    assert_problem(await server.client.get(f"{API}/p/{token}/attachments/{own['id']}"),
                   404, "not_found")
    assert_problem(await patient_upload(server, token, "c.png", PNG), 404, "not_found")


async def test_other_practice_gets_404(server: Harness) -> None:
    practice_a, practice_b = await server.practice(), await server.practice()
    staff_a = await server.logged_in(practice_a)
    staff_b = await server.logged_in(practice_b)
    conversation = await new_conversation(server, staff_a)
    attachment = first_attachment((await staff_upload(
        server, staff_a, conversation["id"], "a.pdf", PDF)).json())
    assert_problem(await server.client.get(f"{API}/attachments/{attachment['id']}",
                                           headers=staff_b.headers), 404, "not_found")
    refused = await staff_upload(server, staff_b, conversation["id"], "b.pdf", PDF)
    assert_problem(refused, 404, "not_found")
    assert await row_counts(server) == (1, 1)
    assert len(blob_files(server)) == 1
    # Each practice's files sit under its own key and directory.
    own = await new_conversation(server, staff_b)
    await staff_upload(server, staff_b, own["id"], "b.pdf", PDF)
    assert {p.parent.name for p in blob_files(server)} == {practice_a, practice_b}
    keys = [server.ctx.keystore.get_practice_key(p) for p in (practice_a, practice_b)]
    assert None not in keys
    assert keys[0] != keys[1]


async def test_idempotent_retry_returns_the_same_message(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    first = await staff_upload(server, staff, conversation["id"], "Befund.pdf", PDF,
                               text="Anbei", key="upload-1")
    assert first.status_code == 201
    retry = await staff_upload(server, staff, conversation["id"], "Befund.pdf", PDF,
                               text="Anbei", key="upload-1")
    assert retry.status_code == 200, retry.text
    assert retry.json() == first.json()
    assert await row_counts(server) == (1, 1)
    assert len(blob_files(server)) == 1

    for other in ({"filename": "Befund.pdf", "data": PNG, "text": "Anbei"},
                  {"filename": "Anderes.pdf", "data": PDF, "text": "Anbei"},
                  {"filename": "Befund.pdf", "data": PDF, "text": "Anders"}):
        conflict = await staff_upload(server, staff, conversation["id"], other["filename"],
                                      other["data"], text=other["text"], key="upload-1")
        assert_problem(conflict, 409, "conflict")
    # A text message cannot reuse the key either, and the key space is shared with it.
    assert_problem(await staff_send(server, staff, conversation["id"], "Anbei",
                                    key="upload-1"), 409, "conflict")
    assert await row_counts(server) == (1, 1)
    assert len(blob_files(server)) == 1


async def test_text_may_be_empty_only_with_a_file(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    with_file = await staff_upload(server, staff, conversation["id"], "a.pdf", PDF, text="")
    assert with_file.status_code == 201
    assert with_file.json()["text"] == ""
    text_only = await server.client.post(
        f"{API}/conversations/{conversation['id']}/messages",
        headers={**staff.headers, "Idempotency-Key": "t"}, json={"text": ""})
    assert_problem(text_only, 422, "validation_error")


async def test_message_sync_carries_attachments(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    plain = await staff_send(server, staff, conversation["id"], "Hallo")
    sent = await staff_upload(server, staff, conversation["id"], "Befund.pdf", PDF,
                              text="Anbei")
    delta = (await server.client.get(f"{API}/sync/changes", headers=staff.headers)).json()
    messages = {c["id"]: c["data"] for c in delta["changes"] if c["kind"] == "message"}
    assert messages[plain.json()["id"]]["attachments"] == []
    assert messages[sent.json()["id"]]["attachments"] == sent.json()["attachments"]
    assert messages[sent.json()["id"]]["attachments"][0]["filename"] == "Befund.pdf"
    # Keys never leave the server.
    assert "wrapped_key" not in str(delta)
    assert "nonce" not in str(delta)


@pytest.mark.parametrize("chunk", [7, 64 * 1024, 10_000_000])
async def test_form_parts_split_anywhere_by_the_network(server: Harness, chunk: int) -> None:
    """Network reads cut the body at random places: through headers, or several parts in
    one read. The text and the file must come out the same either way."""
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    body, content_type = raw_multipart("Befund für Frau Öztürk.pdf".encode(), PDF,
                                       text="Grüße aus der Praxis")
    sent = await server.client.post(
        staff_upload_path(conversation["id"]), content=trickle(body, chunk, []),
        headers={**staff.headers, "Idempotency-Key": "k", "Content-Type": content_type})
    assert sent.status_code == 201, sent.text
    assert sent.json()["text"] == "Grüße aus der Praxis"
    attachment = first_attachment(sent.json())
    assert attachment["filename"] == "Befund für Frau Öztürk.pdf"
    got = await server.client.get(f"{API}/attachments/{attachment['id']}",
                                  headers=staff.headers)
    assert got.content == PDF
