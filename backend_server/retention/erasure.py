"""Erasure of one patient (Art. 17 GDPR) and its replay after a restore.

Order matters, so that a crash at any point leaves nothing readable behind for long:

1. the erasure goes into the key store's ledger first (an intent the next server start
   completes with :func:`reapply_erasures`, also after a restore of an older backup);
2. the attachments' blob keys are shredded, so the blob files (and their copies in
   backups) are unreadable from here on;
3. the rows go in the caller's transaction: content rows by bulk delete (their change-log
   rows are dropped), the conversations and the patient by ORM delete, whose flush writes
   the ``delete`` tombstones every client (and the live event hub) picks up;
4. the blob files are unlinked once the transaction has committed.

The deletion log gets ids and counts, never a name.
"""

from __future__ import annotations

import logging
from datetime import datetime

import anyio.to_thread
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.attachments.storage import BlobStore
from backend_server.calls import recording
from backend_server.calls.repository import CallRepository
from backend_server.context import ServerContext
from backend_server.db.after_commit import after_commit
from backend_server.errors import not_found
from backend_server.retention.deletion_log import record_deletion
from backend_server.retention.rights_repository import PatientDataRepository

log = logging.getLogger("backend_server.retention")

LEDGER_PATIENT = "patient"
LEDGER_PRACTICE = "practice"


async def secure_delete_on(session: AsyncSession) -> None:
    """SQLite: deleted rows are overwritten with zeros instead of lingering in free page
    space (per connection; it stays on for the pooled connection, which costs little)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA secure_delete = ON"))


async def scrub_freed_pages(ctx: ServerContext) -> None:
    """After the commit: moves the zeroed pages from the WAL into the database file and
    empties the WAL, whose older frames still hold the deleted rows. Best effort: a reader
    holding an old snapshot delays it to the next checkpoint."""
    if not ctx.settings.is_sqlite:
        return  # PostgreSQL reuses the space at its next VACUUM
    try:
        async with ctx.db.engine.connect() as connection:
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.first()
    except Exception as exc:  # the erasure is committed; SQLite checkpoints again later
        log.warning("WAL checkpoint after an erasure failed: %s", type(exc).__name__)
        return
    if busy is not None and busy[0]:
        log.warning("WAL checkpoint after an erasure was incomplete (readers active)")


async def erase_patient(
    ctx: ServerContext,
    session: AsyncSession,
    patient_id: str,
    *,
    actor_user_id: str | None,
    now: datetime,
    record_in_ledger: bool = True,
) -> dict[str, int]:
    """Removes the patient and everything of theirs in ``session``'s transaction (the caller
    commits); 404 if the session cannot see the patient. Returns counts per kind."""
    repo = PatientDataRepository(session)
    patient = await repo.patient(patient_id)
    if patient is None:
        raise not_found("No such patient.")
    await secure_delete_on(session)
    practice_id = patient.practice_id
    conversations = await repo.conversations(patient_id)
    conversation_ids = [c.id for c in conversations]
    ids = await repo.content_ids(conversation_ids)
    attachment_ids = ids["attachment"]

    if record_in_ledger:
        await anyio.to_thread.run_sync(ctx.keystore.record_erasure, practice_id,
                                       LEDGER_PATIENT, patient_id, now)
    await anyio.to_thread.run_sync(ctx.keystore.shred_blob_keys, attachment_ids)
    # Calls taken over for this patient (issue 5): recording keys first, like attachments.
    calls = await CallRepository(session).of_patient(patient_id)
    call_ids = [c.id for c in calls]
    await recording.shred(ctx, call_ids)

    await repo.delete_content(conversation_ids)
    content = ids["message"] + ids["inquiry"] + ids["note"] + ids["form_request"]
    idempotency = await repo.delete_idempotency_keys([patient_id, *conversation_ids, *content])
    for call in calls:
        await session.delete(call)
    for conversation in conversations:
        await session.delete(conversation)
    await session.delete(patient)
    await session.flush()  # writes the tombstones (db/change_tracking.py)
    await repo.drop_change_log(content, keep_tombstones=False)
    await repo.drop_change_log([patient_id, *conversation_ids, *call_ids],
                               keep_tombstones=True)

    counts = {"patient": 1, "conversation": len(conversation_ids),
              **{kind: len(values) for kind, values in ids.items()},
              "idempotency_key": idempotency, "call": len(call_ids)}
    await record_deletion(
        session, kind="erasure", at=now, practice_id=practice_id, counts=counts,
        ids={"patient": [patient_id], "conversation": conversation_ids, **ids,
             "call": call_ids},
        actor_user_id=actor_user_id)

    store = BlobStore(ctx.settings.data_dir)

    def unlink_blobs() -> None:
        for blob_id in [*attachment_ids, *call_ids]:
            store.remove(practice_id, blob_id)

    after_commit(session, unlink_blobs)
    log.info("patient %s erased: %s", patient_id, counts)
    return counts


async def reapply_erasures(ctx: ServerContext) -> int:
    """Erases again what the key store's ledger says is erased but the database still holds
    (a restored backup older than the erasure). Patients and whole practices; returns how
    many were erased now. Run at server start, before requests are served."""
    from backend_server.retention import practice_end  # practice_end imports this module

    entries = await anyio.to_thread.run_sync(ctx.keystore.erasures)
    done = 0
    for entry in entries:
        if entry.object_kind == LEDGER_PATIENT:
            async with ctx.db.session(system=True) as session:
                if await PatientDataRepository(session).patient(entry.object_id) is None:
                    continue
                await erase_patient(ctx, session, entry.object_id, actor_user_id=None,
                                    now=ctx.clock.now(), record_in_ledger=False)
                await session.commit()
            await scrub_freed_pages(ctx)
            done += 1
        elif entry.object_kind == LEDGER_PRACTICE:
            if await practice_end.practice_exists(ctx, entry.object_id):
                await practice_end.delete_practice(ctx, entry.object_id,
                                                   record_in_ledger=False)
                done += 1
    if done:
        log.warning("re-applied %d erasure(s) from the key store's ledger", done)
    return done
