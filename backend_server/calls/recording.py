"""Call recordings, encrypted exactly like attachments (``attachments.crypto``): a random
key per recording sealing 64 KiB AES-256-GCM chunks, that key wrapped by the practice key
and kept in the key store under the call id, the blob at
``<data_dir>/blobs/<practice_id>/<call_id>`` (so backups carry it like any other blob).

Shredding the key makes the recording unreadable everywhere, backups included; the file is
removed after that.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime

import anyio.to_thread

from backend_server.attachments import crypto
from backend_server.attachments.service import blob_store, practice_key
from backend_server.attachments.storage import BlobWriter
from backend_server.context import ServerContext

log = logging.getLogger("backend_server.calls")


class RecordingMissing(LookupError):
    """The call has no recording (never had one, or it was purged)."""


@dataclass
class StagedRecording:
    """Plaintext goes in through ``writer``; ``publish`` after the row is written."""

    call_id: str
    practice_id: str
    key: bytes
    nonce: bytes
    writer: BlobWriter
    key_stored: bool = False

    @property
    def size(self) -> int:
        return self.writer.size

    async def store_key(self, ctx: ServerContext, now: datetime) -> None:
        """Puts the wrapped key into the key store (before the row commits: a row never
        exists without its key)."""
        pkey = await practice_key(ctx, self.practice_id, now=now, create=True)
        await anyio.to_thread.run_sync(ctx.keystore.put_blob_key, self.practice_id,
                                       self.call_id, crypto.wrap_blob_key(pkey, self.key), now)
        self.key_stored = True

    def abort(self, ctx: ServerContext) -> None:
        """Takes back file and key; safe to call more than once."""
        self.writer.abort()
        if self.key_stored:
            ctx.keystore.shred_blob_keys([self.call_id])
            self.key_stored = False


def stage(ctx: ServerContext, practice_id: str, call_id: str) -> StagedRecording:
    key, nonce = crypto.new_key(), crypto.new_nonce_prefix()
    writer = blob_store(ctx).begin(practice_id, call_id, key=key, nonce_prefix=nonce)
    return StagedRecording(call_id, practice_id, key, nonce, writer)


async def stage_bytes(ctx: ServerContext, practice_id: str, call_id: str,
                      data: bytes) -> StagedRecording:
    staged = stage(ctx, practice_id, call_id)
    try:
        staged.writer.write(data)
        await staged.writer.finish()
    except BaseException:
        staged.abort(ctx)
        raise
    return staged


async def read(ctx: ServerContext, practice_id: str, call_id: str, nonce: bytes | None,
               *, now: datetime) -> bytes:
    """The decrypted recording; RecordingMissing if there is none or its key is gone."""
    wrapped = ctx.keystore.get_blob_key(call_id)
    if nonce is None or wrapped is None:
        raise RecordingMissing(call_id)
    pkey = await practice_key(ctx, practice_id, now=now, create=False)
    blob_key = crypto.unwrap_blob_key(pkey, wrapped)

    def read_all() -> bytes:
        try:
            chunks = blob_store(ctx).read_chunks(practice_id, call_id, key=blob_key,
                                                 nonce_prefix=nonce)
        except FileNotFoundError:
            raise RecordingMissing(call_id) from None
        return b"".join(chunks)

    try:
        return await anyio.to_thread.run_sync(read_all)
    except (crypto.AttachmentKeyError, crypto.BlobDamaged) as exc:
        log.error("recording of call %s cannot be opened: %s", call_id, type(exc).__name__)
        raise


async def shred(ctx: ServerContext, call_ids: Iterable[str]) -> int:
    """Destroys the recordings' keys (the files become unreadable at once)."""
    ids = list(call_ids)
    if not ids:
        return 0
    return await anyio.to_thread.run_sync(ctx.keystore.shred_blob_keys, ids)


async def unlink(ctx: ServerContext, practice_id: str, call_ids: Iterable[str]) -> None:
    """Removes the files (after their keys were shredded and the rows' deletion committed)."""
    ids = list(call_ids)
    store = blob_store(ctx)

    def remove_all() -> None:
        for call_id in ids:
            try:
                store.remove(practice_id, call_id)
            except OSError as exc:  # the key is gone already: the file is noise
                log.warning("could not remove the recording of call %s: %s", call_id,
                            type(exc).__name__)

    await anyio.to_thread.run_sync(remove_all)


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]
