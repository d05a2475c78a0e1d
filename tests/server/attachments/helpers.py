"""Request helpers and sample files for the attachment tests (all through the real app)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from backend_server.attachments.samples import lab_report_pdf, rash_photo_png
from backend_server.models.attachment import Attachment
from backend_server.models.message import Message
from tests.server.harness import Account, Harness

API = "/api/v1"

PDF = lab_report_pdf("Erika Mustermann", ["Hämoglobin 13,9 g/dl", "Ferritin 18 µg/l"])
PNG = rash_photo_png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(300)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(500)


def staff_upload_path(conversation_id: str) -> str:
    return f"{API}/conversations/{conversation_id}/messages/upload"


async def staff_upload(server: Harness, who: Account, conversation_id: str, filename: str,
                       data: bytes, *, text: str | None = None, key: str | None = None,
                       declared_type: str = "application/octet-stream") -> httpx.Response:
    return await server.client.post(
        staff_upload_path(conversation_id),
        headers={**who.headers, "Idempotency-Key": key or str(uuid.uuid4())},
        files={"file": (filename, data, declared_type)},
        data={"text": text} if text is not None else None)


async def patient_upload(server: Harness, token: str, filename: str, data: bytes, *,
                         text: str | None = None, key: str | None = None) -> httpx.Response:
    return await server.client.post(
        f"{API}/p/{token}/messages/upload",
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
        files={"file": (filename, data, "application/octet-stream")},
        data={"text": text} if text is not None else None)


def raw_multipart(filename: bytes, data: bytes, boundary: str = "pxd-boundary-1", *,
                  text: str | None = None) -> tuple[bytes, str]:
    """A hand-built body, for names no well-behaved client library would send."""
    text_part = b"" if text is None else (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="text"\r\n\r\n' + text.encode() + b"\r\n")
    body = (text_part + f"--{boundary}\r\n".encode()
            + b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            + b"Content-Type: application/pdf\r\n\r\n" + data
            + f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


async def trickle(data: bytes, chunk: int, pulled: list[int]) -> AsyncIterator[bytes]:
    """A streamed request body that records how much of it the server asked for."""
    for start in range(0, len(data), chunk):
        pulled.append(start)
        yield data[start:start + chunk]


def blob_files(server: Harness) -> list[Path]:
    """Everything under blobs/, temporary files included."""
    root = server.data_dir / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def row_counts(server: Harness) -> tuple[int, int]:
    async with server.ctx.db.session(system=True) as session:
        attachments = (await session.execute(
            select(func.count()).select_from(Attachment))).scalar_one()
        messages = (await session.execute(
            select(func.count()).select_from(Message))).scalar_one()
    return int(attachments), int(messages)


def first_attachment(message: dict[str, Any]) -> dict[str, Any]:
    attachments = message["attachments"]
    assert len(attachments) == 1, message
    item: dict[str, Any] = attachments[0]
    return item
