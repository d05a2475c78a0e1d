"""The end of a practice's contract: export everything, then delete everything.

``export-practice`` writes one ZIP: every patient as in the patient export (under
``patients/<patient id>/``), the users (never password hashes or TOTP secrets), reply
templates, the practice's audit log entries and deletion log entries, and a manifest with
the sha256 of every file.

``delete-practice`` removes every row of the practice (also from tables without a foreign
key to it, e.g. the change log), its refresh tokens and login throttles, its blob directory
and, in the key store, the practice key and every blob key. What stays: the audit log
(append-only and hash-chained; ids only) and the deletion log, which gets a
``practice_delete`` entry. The key store's ledger records the deletion first, so a restore
of an older backup deletes the practice again at the next start.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio.to_thread

from backend_server.attachments.storage import BlobStore
from backend_server.audit import service as audit
from backend_server.context import ServerContext
from backend_server.forms.seal import seal_path
from backend_server.models.audit_entry import AuditEntry
from backend_server.models.deletion_log import DeletionLog
from backend_server.retention.deletion_log import record_deletion
from backend_server.retention.erasure import LEDGER_PRACTICE, scrub_freed_pages, secure_delete_on
from backend_server.retention.export import ExportArchive, iso, write_patient
from backend_server.retention.rights_repository import (
    PatientDataRepository,
    PracticeDataRepository,
)
from backend_server.users.repository import normalize_email


class UnknownPractice(LookupError):
    """No practice with this id exists."""


def _practice_id(value: str) -> str:
    # Used in paths (the blob directory): a UUID and nothing else.
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise UnknownPractice(f"{value!r} is not a practice id") from None


async def practice_exists(ctx: ServerContext, practice_id: str) -> bool:
    async with ctx.db.session(system=True) as session:
        return await PracticeDataRepository(session).practice(practice_id) is not None


# --- export --------------------------------------------------------------------------------

def _audit_json(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": iso(entry.at), "actor_user_id": entry.actor_user_id,
            "action": entry.action, "object_type": entry.object_type,
            "object_id": entry.object_id, "detail_hash": entry.detail_hash,
            "prev_hash": entry.prev_hash, "hash": entry.hash}


def _deletion_json(entry: DeletionLog) -> dict[str, Any]:
    return {"id": entry.id, "at": iso(entry.at), "kind": entry.kind,
            "actor_user_id": entry.actor_user_id, "counts": entry.counts, "ids": entry.ids,
            "payload_sha256": entry.payload_sha256}


async def _write_audit_log(repo: PracticeDataRepository, archive: ExportArchive,
                           practice_id: str) -> int:
    """A JSON array streamed batch by batch into the archive (the log can be long)."""
    count = 0
    member = archive.open_member("audit_log.json")
    try:
        await anyio.to_thread.run_sync(member.write, b"[")
        async for batch in repo.audit_entries(practice_id):
            text = ",\n".join(json.dumps(_audit_json(e), ensure_ascii=False) for e in batch)
            piece = (b"\n" if count == 0 else b",\n") + text.encode("utf-8")
            count += len(batch)
            await anyio.to_thread.run_sync(member.write, piece)
        await anyio.to_thread.run_sync(member.write, b"\n]\n")
    finally:
        await anyio.to_thread.run_sync(member.close)
    return count


def _temp_beside(target: Path) -> tuple[Path, Path]:
    """(absolute target, a free private name in its directory for the unfinished file)."""
    target = target.absolute()
    if target.exists():
        raise FileExistsError(f"{target} exists already; choose a new file name")
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".praxisdesk-export-")
    os.close(fd)
    os.unlink(temp_name)  # ExportArchive creates it exclusively (0600)
    return target, Path(temp_name)


async def export_practice(ctx: ServerContext, practice_id: str, target: Path) -> dict[str, Any]:
    """Writes the archive to ``target`` (atomically: a private temporary file in the same
    directory, renamed when complete). Returns counts for the operator."""
    practice_id = _practice_id(practice_id)
    now = ctx.clock.now()
    target, temp = await anyio.to_thread.run_sync(_temp_beside, target)
    archive = ExportArchive(temp, now)
    try:
        async with ctx.db.session(system=True) as session:
            repo = PracticeDataRepository(session)
            practice = await repo.practice(practice_id)
            if practice is None:
                raise UnknownPractice(f"no practice with id {practice_id}")
            patients = PatientDataRepository(session)
            summary: dict[str, Any] = {"practice_id": practice_id, "patients": 0,
                                       "conversations": 0, "messages": 0, "attachments": 0,
                                       "unreadable_attachments": []}
            await anyio.to_thread.run_sync(archive.add_json, "practice.json", {
                "id": practice.id, "name": practice.name,
                "created_at": iso(practice.created_at)})
            users = [{"id": u.id, "email": u.email, "display_name": u.display_name,
                      "role": u.role, "active": u.active, "totp_enabled": u.totp_enabled,
                      "created_at": iso(u.created_at), "updated_at": iso(u.updated_at)}
                     for u in await repo.users(practice_id)]
            summary["users"] = len(users)
            await anyio.to_thread.run_sync(archive.add_json, "users.json", users)
            templates = [{"id": t.id, "title": t.title, "body": t.body,
                          "created_at": iso(t.created_at), "updated_at": iso(t.updated_at)}
                         for t in await repo.templates(practice_id)]
            summary["templates"] = len(templates)
            await anyio.to_thread.run_sync(archive.add_json, "templates.json", templates)
            for patient_id in await patients.patient_ids_of_practice(practice_id):
                patient = await patients.patient(patient_id)
                if patient is None:
                    continue  # erased meanwhile
                written = await write_patient(ctx, session, archive, patient,
                                              prefix=f"patients/{patient_id}/",
                                              actor_user_id=None, now=now)
                summary["patients"] += 1
                summary["conversations"] += written.conversations
                summary["messages"] += written.messages
                summary["attachments"] += written.attachments
                summary["unreadable_attachments"] += written.unreadable_attachments
                await session.commit()
                session.expunge_all()  # memory stays flat over many patients
            summary["audit_entries"] = await _write_audit_log(repo, archive, practice_id)
            deletions = [_deletion_json(d) for d in await repo.deletion_log(practice_id)]
            summary["deletion_log_entries"] = len(deletions)
            await anyio.to_thread.run_sync(archive.add_json, "deletion_log.json", deletions)
            await audit.record(session, "practice.export", at=now, practice_id=practice_id,
                               object_type="practice", object_id=practice_id)
            await anyio.to_thread.run_sync(archive.finish, {
                "kind": "practice", "practice_id": practice_id, "exported_at": iso(now),
                **{k: v for k, v in summary.items() if k != "practice_id"}})
            os.replace(archive.path, target)
            await session.commit()
    except BaseException:
        archive.discard()
        raise
    return summary


# --- deletion ------------------------------------------------------------------------------

def _email_hash(email: str) -> str:
    # The login throttle's key (auth.service): sha256 of the normalised address.
    return hashlib.sha256(normalize_email(email).encode("utf-8")).hexdigest()


async def delete_practice(ctx: ServerContext, practice_id: str, *,
                          record_in_ledger: bool = True,
                          now: datetime | None = None) -> dict[str, int]:
    """Deletes the practice completely; returns the removed rows per table."""
    practice_id = _practice_id(practice_id)
    now = now or ctx.clock.now()
    async with ctx.db.session(system=True) as session:
        repo = PracticeDataRepository(session)
        if await repo.practice(practice_id) is None:
            raise UnknownPractice(f"no practice with id {practice_id}")
        await secure_delete_on(session)
        email_hashes = [_email_hash(u.email) for u in await repo.users(practice_id)]
        counts = {name: n for name, n in (await repo.count_rows(practice_id)).items() if n}
        counts["practices"] = 1
        if record_in_ledger:
            await anyio.to_thread.run_sync(ctx.keystore.record_erasure, practice_id,
                                           LEDGER_PRACTICE, practice_id, now)
        counts["keys_shredded"] = await anyio.to_thread.run_sync(ctx.keystore.shred_practice,
                                                                 practice_id)
        await repo.delete_practice_rows(practice_id, email_hashes)
        await record_deletion(session, kind="practice_delete", at=now,
                              practice_id=practice_id, counts=counts,
                              ids={"practice": [practice_id]}, actor_user_id=None)
        await session.commit()
    await scrub_freed_pages(ctx)
    blob_dir = BlobStore(ctx.settings.data_dir).directory(practice_id)
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(blob_dir, ignore_errors=True))
    # The practice's form seal (certificate and encrypted key) goes with it.
    seal_file = seal_path(ctx.settings.effective_keys_dir, practice_id)
    await anyio.to_thread.run_sync(lambda: seal_file.unlink(missing_ok=True))
    return counts
