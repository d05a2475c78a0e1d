"""Uploading and downloading attachments, for staff and for patients.

An upload streams into an encrypted temporary blob while it is checked (name, type, size;
see ``upload_form``). Only then is the message row written; the blob is renamed into place
and the transaction committed together, and if any step fails the blob is removed again, so
a refused or failed upload leaves neither a file nor a row behind.

Keys live in the key store (``ctx.keystore``), never in the database: the practice key
wrapped by the master key, each blob's key wrapped by the practice key. The blob key is
written to the key store before the row commits (a row never exists without its key) and
shredded again if the commit fails. A blob whose key was shredded (retention purge,
erasure, or a restored backup older than the shredding) answers 410 ``attachment_deleted``.

Nothing here logs names or content; the audit log gets ids only.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.attachments import crypto
from backend_server.attachments.filenames import sanitize_filename
from backend_server.attachments.repository import AttachmentRepository
from backend_server.attachments.sniff import sniff
from backend_server.attachments.storage import BlobStore, BlobWriter
from backend_server.attachments.upload_form import (
    StagedFile,
    check_declared_length,
    read_upload_form,
    unsupported_type,
)
from backend_server.audit import service as audit
from backend_server.context import ServerContext
from backend_server.conversations import service as conversations
from backend_server.conversations.service import PostedMessage
from backend_server.errors import ProblemError, not_found
from backend_server.models.attachment import Attachment
from backend_server.models.base import new_id
from backend_server.models.conversation import Conversation

log = logging.getLogger("backend_server.attachments")


@dataclass(frozen=True)
class _BlobSecrets:
    attachment_id: str
    key: bytes
    nonce_prefix: bytes


@dataclass(frozen=True)
class OpenedAttachment:
    attachment: Attachment
    chunks: Iterator[bytes]  # decrypted, each authenticated before it is yielded


def blob_store(ctx: ServerContext) -> BlobStore:
    return BlobStore(ctx.settings.data_dir)


def _new_blob(ctx: ServerContext, practice_id: str) -> tuple[_BlobSecrets, BlobWriter]:
    secrets = _BlobSecrets(new_id(), crypto.new_key(), crypto.new_nonce_prefix())
    writer = blob_store(ctx).begin(practice_id, secrets.attachment_id, key=secrets.key,
                                   nonce_prefix=secrets.nonce_prefix)
    return secrets, writer


async def practice_key(ctx: ServerContext, practice_id: str, *, now: datetime,
                       create: bool) -> bytes:
    """The practice's unwrapped key; made (with the master key, if need be) on first use."""
    keys_dir = ctx.settings.effective_keys_dir
    wrapped = ctx.keystore.get_practice_key(practice_id)
    if wrapped is None:
        if not create:
            raise crypto.AttachmentKeyError("the practice has no key")
        master = crypto.load_master_key(keys_dir, create=True)
        # Two first uploads of a practice may race: the second insert does nothing and both
        # then use the key that won.
        await anyio.to_thread.run_sync(
            ctx.keystore.put_practice_key, practice_id,
            crypto.wrap_practice_key(master, practice_id, crypto.new_key()), now)
        wrapped = ctx.keystore.get_practice_key(practice_id)
        assert wrapped is not None
    master = crypto.load_master_key(keys_dir, create=False)
    return crypto.unwrap_practice_key(master, practice_id, wrapped)


def attachment_deleted() -> ProblemError:
    return ProblemError(410, "attachment_deleted",
                        "This file was deleted under the retention rules.")


async def upload_message(
    session: AsyncSession, ctx: ServerContext, conversation: Conversation, *,
    author: str, author_user_id: str | None, idempotency_key: str,
    body: AsyncIterator[bytes], content_type: str | None, content_length: str | None,
) -> PostedMessage:
    """A message with one attachment from a multipart stream (see ``upload_form``). It is
    dated when the file has fully arrived, not when the upload began."""
    limit = ctx.settings.attachment_max_bytes
    check_declared_length(content_length, limit)
    # No database lock may be held while the body trickles in (SQLite has one writer):
    # end the transaction the authentication may have opened.
    await session.commit()
    holder: list[_BlobSecrets] = []

    def open_writer() -> BlobWriter:
        secrets, writer = _new_blob(ctx, conversation.practice_id)
        holder.append(secrets)
        return writer

    form = await read_upload_form(body, content_type, limit=limit, open_writer=open_writer)
    try:
        # Others may have written to the conversation while the file arrived.
        await session.refresh(conversation)
    except BaseException:
        form.file.writer.abort()
        raise
    return await _store(session, ctx, conversation, form.file, holder[0], text=form.text,
                        author=author, author_user_id=author_user_id,
                        idempotency_key=idempotency_key, now=ctx.clock.now())


async def add_file_message(
    session: AsyncSession, ctx: ServerContext, conversation: Conversation, *,
    author: str, author_user_id: str | None, idempotency_key: str, filename: str,
    data: bytes, text: str, now: datetime,
    before_commit: Callable[[PostedMessage], Awaitable[None]] | None = None,
) -> PostedMessage:
    """The same as an upload, from bytes in memory (demo content, filled-in forms).
    ``before_commit`` runs inside the transaction once the new message exists (not on a
    retry): rows it writes commit together with the message, and if it raises, the blob
    and its key are taken away again."""
    name = sanitize_filename(filename)
    content_type = sniff(data[:16])
    if content_type is None:
        raise unsupported_type()
    secrets, writer = _new_blob(ctx, conversation.practice_id)
    try:
        writer.write(data)
        await writer.finish()
    except BaseException:
        writer.abort()
        raise
    return await _store(session, ctx, conversation, StagedFile(name, content_type, writer),
                        secrets, text=text, author=author, author_user_id=author_user_id,
                        idempotency_key=idempotency_key, now=now, before_commit=before_commit)


async def _store(
    session: AsyncSession, ctx: ServerContext, conversation: Conversation, staged: StagedFile,
    secrets: _BlobSecrets, *, text: str, author: str, author_user_id: str | None,
    idempotency_key: str, now: datetime,
    before_commit: Callable[[PostedMessage], Awaitable[None]] | None = None,
) -> PostedMessage:
    writer = staged.writer
    key_stored = False
    try:
        key = await practice_key(ctx, conversation.practice_id, now=now, create=True)
        attachment = Attachment(
            id=secrets.attachment_id, practice_id=conversation.practice_id,
            conversation_id=conversation.id, filename=staged.filename,
            content_type=staged.content_type, size=staged.size, sha256=staged.sha256,
            wrapped_key=b"", nonce=secrets.nonce_prefix, created_at=now)
        posted = await conversations.post_message(
            session, conversation, author=author, author_user_id=author_user_id, text=text,
            idempotency_key=idempotency_key, now=now, attachments=[attachment])
        if not posted.created:
            writer.abort()  # a retry: the first upload's file is the one that counts
            return posted
        await anyio.to_thread.run_sync(
            ctx.keystore.put_blob_key, conversation.practice_id, attachment.id,
            crypto.wrap_blob_key(key, secrets.key), now)
        key_stored = True
        await audit.record(session, "attachment.upload", at=now,
                           practice_id=conversation.practice_id, actor_user_id=author_user_id,
                           object_type="attachment", object_id=attachment.id)
        if before_commit is not None:
            await before_commit(posted)
        writer.publish()
        # Committed here, not at the request boundary, so that a failing commit can still
        # take the already published blob away again.
        await session.commit()
    except BaseException:
        writer.abort()
        if key_stored:
            ctx.keystore.shred_blob_keys([secrets.attachment_id])
        raise
    return posted


async def _open(session: AsyncSession, ctx: ServerContext, attachment: Attachment, *,
                actor_user_id: str | None, now: datetime) -> OpenedAttachment:
    wrapped = ctx.keystore.get_blob_key(attachment.id)
    if wrapped is None:
        # Shredded: the row outlived its key (a restored backup before the purge re-ran).
        raise attachment_deleted()
    try:
        key = await practice_key(ctx, attachment.practice_id, now=now, create=False)
        blob_key = crypto.unwrap_blob_key(key, wrapped)
        chunks = blob_store(ctx).read_chunks(attachment.practice_id, attachment.id,
                                             key=blob_key, nonce_prefix=attachment.nonce)
        # The first chunk is opened before any answer starts, so a wrong key or a damaged
        # file becomes a clean error response; a later failure cuts the download short.
        first = next(chunks)
    except (crypto.AttachmentKeyError, crypto.BlobDamaged, FileNotFoundError) as exc:
        log.error("attachment %s cannot be opened: %s", attachment.id, type(exc).__name__)
        raise
    await audit.record(session, "attachment.download", at=now,
                       practice_id=attachment.practice_id, actor_user_id=actor_user_id,
                       object_type="attachment", object_id=attachment.id)
    return OpenedAttachment(attachment, _prepend(first, chunks))


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _no_attachment() -> Exception:
    return not_found("No such attachment.")


async def open_for_staff(session: AsyncSession, ctx: ServerContext, attachment_id: str, *,
                         actor_user_id: str, now: datetime) -> OpenedAttachment:
    attachment = await AttachmentRepository(session).get(attachment_id)
    if attachment is None:
        raise _no_attachment()
    return await _open(session, ctx, attachment, actor_user_id=actor_user_id, now=now)


async def open_for_patient(session: AsyncSession, ctx: ServerContext, token: str,
                           attachment_id: str, *, now: datetime) -> OpenedAttachment:
    """Only attachments of the conversation the patient's link opens."""
    conversation = await conversations.conversation_for_token(session, token, now=now)
    attachment = await AttachmentRepository(session).get_in_conversation(conversation.id,
                                                                         attachment_id)
    if attachment is None:
        raise _no_attachment()
    return await _open(session, ctx, attachment, actor_user_id=None, now=now)


async def open_attachment(session: AsyncSession, ctx: ServerContext, attachment: Attachment, *,
                          actor_user_id: str | None, now: datetime) -> OpenedAttachment:
    """An already loaded attachment, decrypted (the patient and practice exports); audited
    as a download like every other read of the plaintext."""
    return await _open(session, ctx, attachment, actor_user_id=actor_user_id, now=now)
