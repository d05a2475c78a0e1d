"""The server's retention purge: communication content past its practice's period goes.

Per practice, with its own cutoff (``now - content_days``):

1. attachments, messages, notes, inquiries, patient links and idempotency keys created
   before the cutoff;
2. conversations whose ``last_activity_at`` is before the cutoff, whole (with whatever
   children they still hold);
3. conversations that lost content but stay get their summary columns (and the link expiry
   mirror) recomputed, which clients receive as a ``conversation`` upsert;
4. one deletion log entry (ids and counts, no content) and ``last_purge_at`` on the
   practice's retention policy (a ``retention_policy`` change: clients purge at once).

Every step deletes in bounded batches, each its own short transaction, so the server keeps
answering requests while a large purge runs, and a failure loses at most one batch of work
(the next run resumes). Change-log rows of purged objects are deleted with them. Attachment
keys are shredded in the key store before their rows go, blob files are unlinked after the
rows' transaction committed. The boundary is strict: content created exactly ``content_days``
before ``now`` is kept; a microsecond older is expired.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.attachments.service import blob_store
from backend_server.calls import recording
from backend_server.calls.repository import CallRetentionRepository
from backend_server.context import ServerContext
from backend_server.conversations.summary import refresh_summaries
from backend_server.models.attachment import Attachment
from backend_server.models.call import Call
from backend_server.models.conversation import Conversation
from backend_server.models.deletion_log import DELETION_KINDS
from backend_server.models.idempotency import IdempotencyKey
from backend_server.models.inquiry import Inquiry
from backend_server.models.message import Message
from backend_server.models.note import Note
from backend_server.models.patient_link import PatientLink
from backend_server.retention.deletion_log import MAX_IDS_PER_KIND, record_deletion
from backend_server.retention.policy import Periods, periods_by_practice, policy_row
from backend_server.retention.repository import ContentModel, PurgeRepository

log = logging.getLogger("backend_server.retention")

# The counts every report and deletion log entry carries, in this order.
KINDS = ("message", "attachment", "inquiry", "note", "patient_link", "conversation",
         "idempotency_key", "video", "form_request", "call")
# Ids per statement, and statements per transaction. A commit writes out every index page
# the transaction touched, and the UUID-keyed indexes (ids, idempotency keys, change-log
# object ids) are touched all over: on a large table a commit costs nearly the same whatever
# it holds, so the number of commits decides the time. Measured on the 2-core test machine
# for a million messages: 20,000 rows per transaction ~100 s, 50,000 ~45 s, 100,000 ~37 s.
# 50,000 rows hold SQLite's writer lock for about two seconds on a table that large (well
# under one on ordinary ones); requests wait that long at most, and only during a mass
# purge: an hourly run deletes an hour's worth.
BATCH = 5000
STATEMENTS_PER_TRANSACTION = 10
# Conversations deleted whole per round (their children are drained in BATCH-sized bites).
CONVERSATION_BATCH = 500
# Surviving conversations whose summaries are recomputed per transaction (ORM work).
SUMMARY_BATCH = 200
# Kinds whose rows have change-log entries (the others are not synced).
SYNCED_KINDS = frozenset({"message", "inquiry", "note", "conversation", "form_request",
                          "call"})


def _zero_counts() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


@dataclass
class PurgeReport:
    now: datetime
    dry_run: bool
    counts: dict[str, int] = field(default_factory=_zero_counts)
    practices: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def deleted_anything(self) -> bool:
        return not self.dry_run and any(self.counts.values())

    def as_json(self) -> dict[str, object]:
        return {"now": self.now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "dry_run": self.dry_run, "counts": dict(self.counts),
                "practices": {p: dict(c) for p, c in self.practices.items()}}


@dataclass
class PracticeJob:
    """One practice's purge: its cutoffs and what has been removed so far."""

    ctx: ServerContext
    practice_id: str
    periods: Periods
    now: datetime
    dry_run: bool
    counts: dict[str, int] = field(default_factory=_zero_counts)
    ids: dict[str, list[str]] = field(default_factory=dict)
    # Surviving conversations that lost content, and those that lost a patient link.
    touched: set[str] = field(default_factory=set)
    lost_links: set[str] = field(default_factory=set)
    gone_conversations: set[str] = field(default_factory=set)
    # Change-log rows kept because they were the newest of the table (kind, object id).
    spared: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content_cutoff(self) -> datetime:
        return self.periods.content_cutoff(self.now)

    @property
    def video_cutoff(self) -> datetime:
        return self.periods.video_cutoff(self.now)

    def spare(self, kind: str, object_ids: list[str]) -> None:
        self.spared.extend((kind, object_id) for object_id in object_ids)

    def tally(self, kind: str, ids: Sequence[str]) -> None:
        self.counts[kind] += len(ids)
        kept = self.ids.setdefault(kind, [])
        if len(kept) < MAX_IDS_PER_KIND:
            kept.extend(ids[:MAX_IDS_PER_KIND - len(kept)])

    async def batch(self, work: Callable[..., Awaitable[int]], *args: Any) -> int:
        """One transaction: ``work(repo, *args)`` deletes and returns how many rows it
        removed."""
        counts = dict(self.counts)
        id_lengths = {kind: len(ids) for kind, ids in self.ids.items()}
        spared = len(self.spared)
        try:
            async with self.ctx.db.bulk_session() as session:
                removed = await work(PurgeRepository(session), *args)
                await session.commit()
        except BaseException:
            # Rolled back: the tallies must not claim what is still there.
            self.counts = counts
            for kind, ids in self.ids.items():
                del ids[id_lengths.get(kind, 0):]
            del self.spared[spared:]
            raise
        await asyncio.sleep(0)  # let requests waiting for the database in between
        return removed


class PurgeStep(Protocol):
    """One kind of data the purge removes. ``count`` answers a dry run (no writes);
    ``apply`` deletes in bounded batches and tallies into ``job``."""

    name: str

    async def count(self, session: AsyncSession, job: PracticeJob) -> dict[str, int]: ...

    async def apply(self, job: PracticeJob) -> None: ...


class ContentStep:
    """Messages, attachments, inquiries, notes, patient links, idempotency keys and whole
    conversations, by ``content_days``."""

    name = "content"

    async def count(self, session: AsyncSession, job: PracticeJob) -> dict[str, int]:
        return await PurgeRepository(session).count_expired(job.practice_id,
                                                            job.content_cutoff)

    async def apply(self, job: PracticeJob) -> None:
        try:
            await self._attachments_by_time(job)
            await self._messages(job)
            # Notes before inquiries: deleting an inquiry nulls notes.inquiry_id, a scan of
            # the notes table per inquiry (no index there), so keep that table small first.
            await self._content(job, Note, "note")
            await self._content(job, Inquiry, "inquiry")
            await self._content(job, PatientLink, "patient_link")
            await self._idempotency_keys(job)
            await self._whole_conversations(job)
        finally:
            # Also after a failure: a preview must not keep quoting a purged message.
            await self._refresh_survivors(job)

    # Attachments go before their rows: the key shredded, then the row, then the file.
    async def _drop_attachments(self, job: PracticeJob, repo: PurgeRepository,
                                attachment_ids: list[str]) -> list[str]:
        if not attachment_ids:
            return []
        await asyncio.to_thread(job.ctx.keystore.shred_blob_keys, attachment_ids)
        deleted = await repo.delete_ids(Attachment, job.practice_id, attachment_ids)
        job.tally("attachment", deleted)
        return deleted

    async def _unlink_blobs(self, job: PracticeJob, attachment_ids: list[str]) -> None:
        if not attachment_ids:
            return
        store = blob_store(job.ctx)

        def unlink_all() -> None:
            for attachment_id in attachment_ids:
                try:
                    store.remove(job.practice_id, attachment_id)
                except OSError as exc:  # the key is shredded already: the file is noise
                    log.warning("could not remove blob of attachment %s: %s", attachment_id,
                                type(exc).__name__)

        await asyncio.to_thread(unlink_all)

    async def _attachments_by_time(self, job: PracticeJob) -> None:
        while True:
            unlink: list[str] = []
            removed = await job.batch(self._attachments_by_time_batch, job, unlink)
            await self._unlink_blobs(job, unlink)
            if removed == 0:
                return

    async def _attachments_by_time_batch(self, repo: PurgeRepository, job: PracticeJob,
                                         unlink: list[str]) -> int:
        ids = await repo.expired_attachments(job.practice_id, job.content_cutoff, BATCH)
        unlink.extend(await self._drop_attachments(job, repo, ids))
        return len(unlink)

    async def _messages(self, job: PracticeJob) -> None:
        while True:
            unlink: list[str] = []
            removed = await job.batch(self._messages_batch, job, unlink)
            await self._unlink_blobs(job, unlink)
            if removed == 0:
                return

    async def _messages_batch(self, repo: PurgeRepository, job: PracticeJob,
                              unlink: list[str]) -> int:
        removed = 0
        for _ in range(STATEMENTS_PER_TRANSACTION):
            rows = await repo.expired_rows(Message, job.practice_id, job.content_cutoff, BATCH)
            if not rows:
                break
            ids = [i for i, _ in rows]
            unlink.extend(await self._drop_attachments(
                job, repo, await repo.attachments_of_messages(job.practice_id, ids)))
            deleted = await repo.delete_ids(Message, job.practice_id, ids,
                                            Message.created_at < job.content_cutoff)
            job.spare("message",
                      await repo.delete_change_log(job.practice_id, "message", deleted))
            job.tally("message", deleted)
            job.touched.update(c for _, c in rows)
            removed += len(deleted)
            if len(deleted) < len(rows):
                break  # some changed under us: commit what we have, look again
        return removed

    async def _content(self, job: PracticeJob, model: type[Note] | type[Inquiry]
                       | type[PatientLink], kind: str) -> None:
        while await job.batch(self._content_batch, job, model, kind):
            pass

    async def _content_batch(self, repo: PurgeRepository, job: PracticeJob,
                             model: type[Note] | type[Inquiry] | type[PatientLink],
                             kind: str) -> int:
        removed = 0
        for _ in range(STATEMENTS_PER_TRANSACTION):
            rows = await repo.expired_rows(model, job.practice_id, job.content_cutoff, BATCH)
            if not rows:
                break
            deleted = await repo.delete_ids(model, job.practice_id, [i for i, _ in rows],
                                            model.created_at < job.content_cutoff)
            if kind in SYNCED_KINDS:
                job.spare(kind, await repo.delete_change_log(job.practice_id, kind, deleted))
            job.tally(kind, deleted)
            conversations = {c for _, c in rows}
            job.touched.update(conversations)
            if kind == "patient_link":
                job.lost_links.update(conversations)
            removed += len(deleted)
            if len(deleted) < len(rows):
                break
        return removed

    async def _idempotency_keys(self, job: PracticeJob) -> None:
        while await job.batch(self._idempotency_keys_batch, job):
            pass

    async def _idempotency_keys_batch(self, repo: PurgeRepository, job: PracticeJob) -> int:
        ids = await repo.expired_idempotency_keys(job.practice_id, job.content_cutoff, BATCH)
        deleted = await repo.delete_ids(IdempotencyKey, job.practice_id, ids)
        job.tally("idempotency_key", deleted)
        return len(deleted)

    async def _whole_conversations(self, job: PracticeJob) -> None:
        while True:
            async with job.ctx.db.session(system=True) as session:
                batch = await PurgeRepository(session).expired_conversations(
                    job.practice_id, job.content_cutoff, CONVERSATION_BATCH)
            if not batch:
                return
            await self._drain_children(job, batch)
            if await job.batch(self._conversations_batch, job, batch) == 0:
                return  # all came back to life; the next run looks again

    async def _conversations_batch(self, repo: PurgeRepository, job: PracticeJob,
                                   batch: list[str]) -> int:
        # Checked again: a message that arrived meanwhile moved last_activity_at.
        deleted = await repo.delete_ids(Conversation, job.practice_id, batch,
                                        Conversation.last_activity_at < job.content_cutoff)
        job.spare("conversation",
                  await repo.delete_change_log(job.practice_id, "conversation", deleted))
        job.tally("conversation", deleted)
        job.gone_conversations.update(deleted)
        return len(deleted)

    async def _drain_children(self, job: PracticeJob, conversation_ids: list[str]) -> None:
        """Deletes what is left in these conversations, kind by kind, BATCH rows at a time
        (the conversation rows' own delete would otherwise cascade in one statement, and
        without shredding keys or unlinking files)."""
        job.touched.update(conversation_ids)  # refreshed if one comes back to life
        while True:
            unlink: list[str] = []
            removed = await job.batch(self._leftover_attachments_batch, job,
                                      conversation_ids, unlink)
            await self._unlink_blobs(job, unlink)
            if removed == 0:
                break
        for model, kind in ((Message, "message"), (Note, "note"), (Inquiry, "inquiry"),
                            (PatientLink, "patient_link")):
            while await job.batch(self._leftover_batch, job, conversation_ids, model, kind):
                pass

    async def _leftover_attachments_batch(self, repo: PurgeRepository, job: PracticeJob,
                                          conversation_ids: list[str],
                                          unlink: list[str]) -> int:
        ids = await repo.children_of(Attachment, job.practice_id, conversation_ids,
                                     job.content_cutoff, BATCH)
        unlink.extend(await self._drop_attachments(job, repo, ids))
        return len(unlink)

    async def _leftover_batch(self, repo: PurgeRepository, job: PracticeJob,
                              conversation_ids: list[str], model: ContentModel,
                              kind: str) -> int:
        ids = await repo.children_of(model, job.practice_id, conversation_ids,
                                     job.content_cutoff, BATCH)
        deleted = await repo.delete_ids(model, job.practice_id, ids)
        if kind in SYNCED_KINDS:
            job.spare(kind, await repo.delete_change_log(job.practice_id, kind, deleted))
        job.tally(kind, deleted)
        return len(deleted)

    async def _refresh_survivors(self, job: PracticeJob) -> None:
        survivors = sorted(job.touched - job.gone_conversations)
        for start in range(0, len(survivors), SUMMARY_BATCH):
            await job.batch(self._refresh_batch, job, survivors[start:start + SUMMARY_BATCH])

    async def _refresh_batch(self, repo: PurgeRepository, job: PracticeJob,
                             chunk: list[str]) -> int:
        conversations = await repo.conversations(chunk)
        for conversation in conversations:
            if conversation.id in job.lost_links:
                expiry = await repo.newest_link_expiry(conversation.id)
                if conversation.link_expires_at != expiry:
                    conversation.link_expires_at = expiry
        await repo.session.run_sync(refresh_summaries, chunk)
        await repo.session.flush()
        return len(conversations)


class FormRequestStep:
    """Form requests (issue 8) with their drafts: by their last change (a draft is
    content) or with their conversation. Runs before :class:`ContentStep`, whose deletion
    of whole conversations would otherwise take them along unlogged. The submitted result
    (message, PDF attachment, inquiry) is ordinary content of that step."""

    name = "form_request"

    async def count(self, session: AsyncSession, job: PracticeJob) -> dict[str, int]:
        return {"form_request": await PurgeRepository(session).count_expired_form_requests(
            job.practice_id, job.content_cutoff)}

    async def apply(self, job: PracticeJob) -> None:
        while await job.batch(self._batch, job):
            pass

    async def _batch(self, repo: PurgeRepository, job: PracticeJob) -> int:
        ids = await repo.expired_form_requests(job.practice_id, job.content_cutoff, BATCH)
        deleted = await repo.delete_form_requests(job.practice_id, ids, job.content_cutoff)
        job.spare("form_request",
                  await repo.delete_change_log(job.practice_id, "form_request", deleted))
        job.tally("form_request", deleted)
        return len(deleted)


# The extension point for further kinds: issue 4 (video calls) appends a step here that
# deletes call metadata older than ``job.video_cutoff`` and tallies it as "video". Until
# then no video table exists and the "video" count stays 0.
class CallStep:
    """Phone assistant calls (issue 5): row, transcript, jobs and the recording, by the
    content period from ``created_at``. Keys are shredded before the rows go, the files are
    unlinked after the rows' transaction committed (as for attachments). Runs before
    :class:`ContentStep`: a call's inquiry is ordinary content of that step."""

    name = "call"

    async def count(self, session: AsyncSession, job: PracticeJob) -> dict[str, int]:
        return {"call": await CallRetentionRepository(session).count_expired(
            job.practice_id, job.content_cutoff)}

    async def apply(self, job: PracticeJob) -> None:
        while True:
            gone: list[str] = []
            removed = await job.batch(self._batch, job, gone)
            await recording.unlink(job.ctx, job.practice_id, gone)
            if removed == 0:
                return

    async def _batch(self, repo: PurgeRepository, job: PracticeJob, gone: list[str]) -> int:
        ids = await CallRetentionRepository(repo.session).expired(
            job.practice_id, job.content_cutoff, BATCH)
        if not ids:
            return 0
        await recording.shred(job.ctx, ids)
        deleted = await repo.delete_ids(Call, job.practice_id, ids,
                                        Call.created_at < job.content_cutoff)
        job.spare("call", await repo.delete_change_log(job.practice_id, "call", deleted))
        job.tally("call", deleted)
        gone.extend(deleted)
        return len(deleted)


PURGE_STEPS: list[PurgeStep] = [FormRequestStep(), CallStep(), ContentStep()]


async def _finish_practice(job: PracticeJob, kind: str) -> None:
    """The deletion log entry and ``last_purge_at`` (ORM, so clients get the change)."""
    counts = dict(job.counts)
    for name, ids in job.ids.items():
        if counts.get(name, 0) > len(ids):
            counts[f"{name}_ids_truncated"] = counts[name] - len(ids)
    async with job.ctx.db.session(system=True) as session:
        await record_deletion(session, kind=kind, at=job.now, practice_id=job.practice_id,
                              counts=counts, ids=job.ids)
        policy = await policy_row(session, job.practice_id, job.now)
        policy.last_purge_at = job.now
        await session.flush()  # its change-log row is now the newest
        await PurgeRepository(session).delete_spared(job.practice_id, job.spared)
        await session.commit()


async def _run_practices(ctx: ServerContext, report: PurgeReport, kind: str) -> None:
    now, dry_run = report.now, report.dry_run
    async with ctx.db.session(system=True) as session:
        practice_ids = await PurgeRepository(session).practice_ids()
        periods = await periods_by_practice(session)
    for practice_id in practice_ids:
        job = PracticeJob(ctx=ctx, practice_id=practice_id,
                          periods=periods.get(practice_id, Periods()), now=now,
                          dry_run=dry_run)
        if dry_run:
            async with ctx.db.session(system=True) as session:
                for step in PURGE_STEPS:
                    for name, value in (await step.count(session, job)).items():
                        job.counts[name] += value
        else:
            try:
                for step in PURGE_STEPS:
                    await step.apply(job)
            finally:
                # Also after a failure: what was committed gets its deletion log entry.
                if any(job.counts.values()):
                    await _finish_practice(job, kind)
                    log.info("retention purge of practice %s removed %s", practice_id,
                             {k: v for k, v in job.counts.items() if v})
        report.practices[practice_id] = dict(job.counts)
        for name, value in job.counts.items():
            report.counts[name] = report.counts.get(name, 0) + value


async def run_purge(ctx: ServerContext, now: datetime | None = None, *,
                    dry_run: bool = False, kind: str = "purge") -> PurgeReport:
    """Applies every practice's retention periods at ``now`` (default: the context's
    clock). A dry run only counts. ``kind`` names the deletion log entries (``purge``, or
    ``restore_purge`` for the run after a restore)."""
    now = now if now is not None else ctx.clock.now()
    if now.tzinfo is None:
        raise ValueError("the purge time must be timezone-aware")
    if kind not in DELETION_KINDS:
        raise ValueError(f"unknown deletion kind {kind!r}")
    report = PurgeReport(now=now, dry_run=dry_run)
    try:
        await _run_practices(ctx, report, kind)
    finally:
        await ctx.db.release_bulk()
    if report.deleted_anything:
        # secure_delete zeroed the freed pages; the WAL may still hold old page images.
        await ctx.db.checkpoint_wal()
    return report
