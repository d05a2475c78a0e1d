"""The demo practice shows conversations with real, openable files."""

from __future__ import annotations

import re
import struct
import zlib

from sqlalchemy import select

from backend_server.demo import seed_demo
from backend_server.models.attachment import Attachment
from backend_server.models.call import Call
from tests.server.attachments.helpers import API, blob_files, row_counts
from tests.server.harness import Account, Harness


def _check_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-1.4")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[startxref:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", data)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    stream = re.search(rb"/Length (\d+) >>\nstream\n", data)
    assert stream is not None
    content = data[stream.end():stream.end() + int(stream.group(1))]
    assert content.endswith(b"ET")
    assert "Hämoglobin".encode("cp1252") in content


def _check_png(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pos, idat, size = 8, b"", (0, 0)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = size
    assert len(zlib.decompress(idat)) == height * (1 + 3 * width)
    return width, height


async def test_demo_conversations_carry_files(server: Harness) -> None:
    practice_id, logins = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # a second start adds nothing
    assert await row_counts(server) == (2, 16)
    # Beside the two files, the blobs directory holds the demo calls' recordings (issue 5).
    async with server.ctx.db.session(system=True) as session:
        attachment_ids = set((await session.execute(select(Attachment.id))).scalars())
        call_ids = set((await session.execute(
            select(Call.id).where(Call.recording_nonce.is_not(None)))).scalars())
    assert len(attachment_ids) == 2
    assert {p.name for p in blob_files(server)} == attachment_ids | call_ids

    staff = await server.login(Account(user_id="", practice_id=practice_id,
                                       email=logins[2].email, password=logins[2].password,
                                       role=logins[2].role))
    conversations = (await server.client.get(f"{API}/conversations",
                                             headers=staff.headers)).json()["items"]
    files = {}
    for conversation in conversations:
        messages = (await server.client.get(
            f"{API}/conversations/{conversation['id']}/messages",
            headers=staff.headers)).json()["items"]
        for message in messages:
            for attachment in message["attachments"]:
                files[attachment["filename"]] = (message, attachment, conversation)
            # Demo files are the newest message of their conversation.
            if message["attachments"]:
                assert message is messages[-1]
    assert set(files) == {"Laborbefund.pdf", "Hautausschlag.png"}

    lab_message, lab, _ = files["Laborbefund.pdf"]
    assert lab_message["author"] == "staff"
    assert lab["content_type"] == "application/pdf"
    pdf = await server.client.get(f"{API}/attachments/{lab['id']}", headers=staff.headers)
    _check_pdf(pdf.content)

    photo_message, photo, conversation = files["Hautausschlag.png"]
    assert photo_message["author"] == "patient"
    assert "Ausschlag" in photo_message["text"]
    assert photo["content_type"] == "image/png"
    # The practice read Frau Müller's thread before the photo came: only the photo is unread.
    assert conversation["unread_count"] == 1
    png = await server.client.get(f"{API}/attachments/{photo['id']}", headers=staff.headers)
    assert _check_png(png.content) == (160, 120)
