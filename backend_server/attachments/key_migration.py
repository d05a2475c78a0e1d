"""Moves key material older versions kept in the database into the key store, at server start.

Crash-safe and idempotent: every key is committed to the key store before its database copy
is blanked, and the key store keeps a key it already has. A run cut short simply runs again
at the next start. Afterwards the database holds no key at all, so a database backup (and
anything restored from one) cannot bring a shredded key back.

If the key store already holds a different practice key than the database row (only possible
when databases were copied around by hand), the database's blob keys are re-wrapped under the
key store's practice key so they keep opening.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import anyio.to_thread

from backend_server.attachments import crypto
from backend_server.attachments.repository import LegacyKeyRepository
from backend_server.context import ServerContext

log = logging.getLogger("backend_server.attachments")

BATCH = 1000


@dataclass(frozen=True)
class MovedKeys:
    practice_keys: int
    blob_keys: int


async def move_keys_to_keystore(ctx: ServerContext) -> MovedKeys:
    async with ctx.db.session(system=True) as session:
        repo = LegacyKeyRepository(session)
        practice_rows = await repo.practice_keys()
        if not practice_rows and not await repo.wrapped_blob_keys(1):
            return MovedKeys(practice_keys=0, blob_keys=0)  # the usual case: nothing to do
    keystore = ctx.keystore
    rewrap: dict[str, tuple[bytes, bytes]] = {}  # practice -> (database key, key store key)
    for practice_id, wrapped, created_at in practice_rows:
        if await anyio.to_thread.run_sync(keystore.put_practice_key, practice_id, wrapped,
                                          created_at):
            continue
        existing = keystore.get_practice_key(practice_id)
        if existing is None or existing == wrapped:
            continue
        master = crypto.load_master_key(ctx.settings.effective_keys_dir, create=False)
        old = crypto.unwrap_practice_key(master, practice_id, wrapped)
        new = crypto.unwrap_practice_key(master, practice_id, existing)
        if old != new:
            rewrap[practice_id] = (old, new)

    moved = 0
    while True:
        async with ctx.db.session(system=True) as session:
            rows = await LegacyKeyRepository(session).wrapped_blob_keys(BATCH)
        if not rows:
            break
        entries = [(p, a, _rewrapped(rewrap.get(p), w), c) for p, a, w, c in rows]
        # The key store commits first; only then does the database forget its copy.
        await anyio.to_thread.run_sync(keystore.add_missing_blob_keys, entries)
        async with ctx.db.session(system=True) as session:
            await LegacyKeyRepository(session).blank_blob_keys([a for _, a, _, _ in rows])
            await session.commit()
        moved += len(rows)

    if practice_rows:
        async with ctx.db.session(system=True) as session:
            await LegacyKeyRepository(session).delete_practice_keys(
                [p for p, _, _ in practice_rows])
            await session.commit()
    if practice_rows or moved:
        log.info("moved %d practice keys and %d blob keys into the key store",
                 len(practice_rows), moved)
    return MovedKeys(practice_keys=len(practice_rows), blob_keys=moved)


def _rewrapped(keys: tuple[bytes, bytes] | None, wrapped: bytes) -> bytes:
    if keys is None:
        return wrapped
    old, new = keys
    try:
        return crypto.wrap_blob_key(new, crypto.unwrap_blob_key(old, wrapped))
    except crypto.AttachmentKeyError:
        return wrapped  # unreadable either way; moved as it is rather than lost
