"""Export of one patient (Art. 15/20 GDPR) and of a whole practice (end of contract).

Archive layout of one patient (the practice export repeats it under
``patients/<patient id>/``)::

    patient.json
    conversations/<conversation id>.json   messages (with attachment metadata), inquiries,
                                           notes, links' created/expiry/revoked times
    attachments/<attachment id>/<name>     decrypted, exactly the uploaded bytes
    summary.html                           German, self-contained
    manifest.json                          sha256 and size of every other file

The ZIP is written to a private temporary file under ``<data_dir>/tmp/exports`` (memory
stays bounded: attachments are copied chunk by chunk in a worker thread) and only then
streamed, so a failure becomes a clean error answer instead of a cut-off download. Reading
an attachment's plaintext is audited as a download, like every other read; the session is
committed after each one so that no database write lock is held while files are copied.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.attachments import crypto
from backend_server.attachments import service as attachments
from backend_server.attachments.filenames import sanitize_filename
from backend_server.audit import service as audit
from backend_server.calls.repository import CallRepository
from backend_server.calls.schemas import call_out
from backend_server.context import ServerContext
from backend_server.errors import ProblemError, not_found
from backend_server.models.attachment import Attachment
from backend_server.models.patient import Patient
from backend_server.retention.rights_repository import PatientDataRepository
from backend_server.retention.summary_html import render_summary

EXPORT_TEMP_DIR = Path("tmp") / "exports"
STALE_EXPORT_SECONDS = 24 * 3600
FORMAT_VERSION = 1


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def safe_member_name(filename: str) -> str:
    """The stored name (already sanitised at upload), checked again: it becomes a path
    inside the archive, so a name that could climb out of its folder is replaced."""
    try:
        return sanitize_filename(filename)
    except ProblemError:
        return "anhang"


# --- the archive file ----------------------------------------------------------------------

def temp_export_dir(ctx: ServerContext) -> Path:
    directory = ctx.settings.data_dir
    for part in EXPORT_TEMP_DIR.parts:
        directory = directory / part
        directory.mkdir(exist_ok=True, mode=0o700)
    return directory


def new_temp_archive_path(ctx: ServerContext) -> Path:
    """A fresh private file name; exports a crashed process left behind are swept."""
    directory = temp_export_dir(ctx)
    cutoff = time.time() - STALE_EXPORT_SECONDS
    for entry in os.scandir(directory):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except FileNotFoundError:
            continue
    return directory / f"export-{secrets.token_hex(8)}.zip"


class ExportArchive:
    """A ZIP under construction that remembers each member's sha256 for the manifest.
    Synchronous: callers run its writes in a worker thread, one at a time."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "w+b")
        self._zip = zipfile.ZipFile(self._fh, "w", compression=zipfile.ZIP_DEFLATED,
                                    allowZip64=True)
        stamp = now.astimezone(UTC)
        self._date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour,
                           stamp.minute, stamp.second)
        self.files: list[dict[str, Any]] = []

    def _info(self, name: str, compress: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self._date_time)
        info.compress_type = compress
        info.external_attr = 0o600 << 16
        return info

    def add_bytes(self, name: str, data: bytes) -> None:
        self._zip.writestr(self._info(name, zipfile.ZIP_DEFLATED), data)
        self.files.append({"path": name, "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest()})

    def add_json(self, name: str, value: Any) -> None:
        self.add_bytes(name, json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8"))

    def add_chunks(self, name: str, chunks: Iterator[bytes]) -> str:
        """Copies a stream (attachments: mostly compressed already, so stored as is)."""
        digest, size = hashlib.sha256(), 0
        with self._zip.open(self._info(name, zipfile.ZIP_STORED), "w",
                            force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.files.append({"path": name, "size": size, "sha256": digest.hexdigest()})
        return digest.hexdigest()

    def open_member(self, name: str) -> StreamMember:
        """A member written piece by piece; close it before adding the next one."""
        return StreamMember(self, name)

    def finish(self, manifest: dict[str, Any]) -> None:
        """Writes manifest.json (all members so far) and closes the file durably."""
        body = {**manifest, "format_version": FORMAT_VERSION, "files": list(self.files)}
        self._zip.writestr(self._info("manifest.json", zipfile.ZIP_DEFLATED),
                           json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))
        self._zip.close()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()

    def discard(self) -> None:
        try:
            self._zip.close()
        except Exception:  # noqa: S110 - the file is removed below either way
            pass
        self._fh.close()
        self.path.unlink(missing_ok=True)


class StreamMember:
    def __init__(self, archive: ExportArchive, name: str) -> None:
        self._archive = archive
        self._name = name
        self._digest = hashlib.sha256()
        self._size = 0
        self._out = archive._zip.open(archive._info(name, zipfile.ZIP_DEFLATED), "w",
                                      force_zip64=True)

    def write(self, data: bytes) -> None:
        self._digest.update(data)
        self._size += len(data)
        self._out.write(data)

    def close(self) -> None:
        if self._out.closed:
            return
        self._out.close()
        self._archive.files.append({"path": self._name, "size": self._size,
                                    "sha256": self._digest.hexdigest()})


async def _run(fn: Any, *args: Any) -> Any:
    return await anyio.to_thread.run_sync(fn, *args)


# --- one patient ---------------------------------------------------------------------------

def patient_json(patient: Patient) -> dict[str, Any]:
    return {"id": patient.id, "name": patient.name, "dob": iso(patient.dob),
            "email": patient.email, "phone": patient.phone,
            "created_at": iso(patient.created_at), "updated_at": iso(patient.updated_at)}


def _attachment_json(attachment: Attachment, file: str | None) -> dict[str, Any]:
    return {"id": attachment.id, "filename": attachment.filename,
            "content_type": attachment.content_type, "size": attachment.size,
            "sha256": attachment.sha256, "created_at": iso(attachment.created_at),
            "file": file}


@dataclass
class PatientExport:
    patient_id: str
    conversations: int = 0
    messages: int = 0
    attachments: int = 0
    unreadable_attachments: list[str] = field(default_factory=list)


async def _copy_attachment(ctx: ServerContext, session: AsyncSession, archive: ExportArchive,
                           attachment: Attachment, member: str, *,
                           actor_user_id: str | None, now: datetime) -> bool:
    try:
        opened = await attachments.open_attachment(session, ctx, attachment,
                                                   actor_user_id=actor_user_id, now=now)
    except (crypto.AttachmentKeyError, crypto.BlobDamaged, FileNotFoundError):
        return False  # logged (id only) by the attachments service; the export goes on
    await session.commit()  # the download's audit entry; no write lock while copying
    await _run(archive.add_chunks, member, opened.chunks)
    return True


async def write_patient(ctx: ServerContext, session: AsyncSession, archive: ExportArchive,
                        patient: Patient, *, prefix: str, actor_user_id: str | None,
                        now: datetime) -> PatientExport:
    repo = PatientDataRepository(session)
    result = PatientExport(patient.id)
    master = patient_json(patient)
    await _run(archive.add_json, f"{prefix}patient.json", master)
    summaries: list[dict[str, Any]] = []
    for conversation in await repo.conversations(patient.id):
        messages = await repo.messages(conversation.id)
        inquiries = await repo.inquiries(conversation.id)
        notes = await repo.notes(conversation.id)
        links = await repo.links(conversation.id)
        form_requests = await repo.form_requests(conversation.id)
        message_items = []
        for message in messages:
            files = []
            for attachment in message.attachments:
                member = (f"{prefix}attachments/{attachment.id}/"
                          f"{safe_member_name(attachment.filename)}")
                copied = await _copy_attachment(ctx, session, archive, attachment, member,
                                                actor_user_id=actor_user_id, now=now)
                if copied:
                    result.attachments += 1
                else:
                    result.unreadable_attachments.append(attachment.id)
                files.append(_attachment_json(attachment, member if copied else None))
            message_items.append({
                "id": message.id, "author": message.author,
                "author_user_id": message.author_user_id, "text": message.text,
                "created_at": iso(message.created_at), "read_at": iso(message.read_at),
                "attachments": files})
        body = {
            "id": conversation.id, "patient_id": patient.id,
            "created_at": iso(conversation.created_at),
            "updated_at": iso(conversation.updated_at),
            "last_activity_at": iso(conversation.last_activity_at),
            "messages": message_items,
            "inquiries": [{"id": i.id, "type": i.type, "details": i.details, "text": i.text,
                           "status": i.status, "assignee_user_id": i.assignee_user_id,
                           "created_at": iso(i.created_at), "updated_at": iso(i.updated_at)}
                          for i in inquiries],
            "notes": [{"id": n.id, "inquiry_id": n.inquiry_id,
                       "author_user_id": n.author_user_id, "text": n.text,
                       "created_at": iso(n.created_at)} for n in notes],
            "links": [{"created_at": iso(link.created_at), "expires_at": iso(link.expires_at),
                       "revoked_at": iso(link.revoked_at), "reason": link.reason}
                      for link in links],
            # The filled-in PDF itself is among the attachments; the draft is the patient's
            # data too, so it is exported.
            "form_requests": [{
                "id": r.id, "form_definition_id": r.form_definition_id,
                "form_id": r.form_definition.form_id, "version": r.form_definition.version,
                "title": r.form_definition.title, "status": r.status,
                "sent_by_user_id": r.sent_by_user_id, "inquiry_id": r.inquiry_id,
                "attachment_id": r.attachment_id, "draft_answers": r.draft_answers,
                "created_at": iso(r.created_at), "updated_at": iso(r.updated_at),
                "submitted_at": iso(r.submitted_at)} for r in form_requests],
        }
        await _run(archive.add_json, f"{prefix}conversations/{conversation.id}.json", body)
        summaries.append(body)
        result.conversations += 1
        result.messages += len(messages)
    # Calls taken over for this patient (issue 5): what was said and extracted.
    calls = [call_out(c).model_dump(mode="json")
             for c in await CallRepository(session).of_patient(patient.id)]
    await _run(archive.add_json, f"{prefix}calls.json", calls)
    html = render_summary(master, summaries, now)
    await _run(archive.add_bytes, f"{prefix}summary.html", html.encode("utf-8"))
    return result


async def export_patient(ctx: ServerContext, session: AsyncSession, patient_id: str, *,
                         actor_user_id: str | None, now: datetime) -> Path:
    """The finished archive as a private temporary file; the caller streams and removes it.
    404 if the session cannot see the patient. Audited as ``patient.export``."""
    patient = await PatientDataRepository(session).patient(patient_id)
    if patient is None:
        raise not_found("No such patient.")
    archive = ExportArchive(new_temp_archive_path(ctx), now)
    try:
        written = await write_patient(ctx, session, archive, patient, prefix="",
                                      actor_user_id=actor_user_id, now=now)
        await audit.record(session, "patient.export", at=now, practice_id=patient.practice_id,
                           actor_user_id=actor_user_id, object_type="patient",
                           object_id=patient.id)
        await _run(archive.finish, {
            "kind": "patient", "patient_id": patient.id, "practice_id": patient.practice_id,
            "exported_at": iso(now),
            "unreadable_attachments": written.unreadable_attachments})
    except BaseException:
        archive.discard()
        raise
    return archive.path
