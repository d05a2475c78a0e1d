"""Keys that older versions kept in the database move into the key store at server start,
and the database forgets them; files keep opening throughout."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from backend_server.attachments import crypto
from backend_server.attachments.key_migration import move_keys_to_keystore
from backend_server.config import Settings
from backend_server.keystore import KeyStore
from tests.server.backup.helpers import download, running, seed


def _db_keys(settings: Settings) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    conn = sqlite3.connect(settings.sqlite_path)
    try:
        practice = [(p, bytes(w)) for p, w in conn.execute(
            "SELECT practice_id, wrapped_key FROM practice_keys ORDER BY practice_id")]
        blobs = [(a, bytes(w)) for a, w in conn.execute(
            "SELECT id, wrapped_key FROM attachments ORDER BY id")]
    finally:
        conn.close()
    return practice, blobs


def _make_legacy(settings: Settings, *, keep_in_keystore: bool) -> dict[str, bytes]:
    """Puts every key back where the previous version kept it (the database)."""
    store = KeyStore(settings.effective_keys_dir)
    conn = sqlite3.connect(settings.sqlite_path)
    try:
        blob_keys = {a: store.get_blob_key(a) for (a,) in conn.execute(
            "SELECT id FROM attachments")}
        practices = {p for (p,) in conn.execute("SELECT DISTINCT practice_id FROM attachments")}
        now = datetime.now(UTC).isoformat()
        for practice_id in practices:
            conn.execute("INSERT INTO practice_keys VALUES (?, ?, ?)",
                         (practice_id, store.get_practice_key(practice_id), now))
        for attachment_id, wrapped in blob_keys.items():
            conn.execute("UPDATE attachments SET wrapped_key = ? WHERE id = ?",
                         (wrapped, attachment_id))
        conn.commit()
        if not keep_in_keystore:
            for practice_id in practices:
                store.shred_practice(practice_id)
    finally:
        conn.close()
        store.close()
    return {a: w for a, w in blob_keys.items() if w is not None}


async def test_keys_move_out_of_the_database_at_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    async with running(settings) as server:
        seeded = await seed(server)
    practice_keys, blob_keys = _db_keys(settings)
    assert practice_keys == []  # new uploads never write keys into the database
    assert blob_keys
    assert all(w == b"" for _, w in blob_keys)

    legacy = _make_legacy(settings, keep_in_keystore=False)
    assert len(legacy) == len(blob_keys)
    store = KeyStore(settings.effective_keys_dir)
    assert store.blob_ids() == set()
    store.close()

    async with running(settings) as server:
        # Moved before the first request is answered.
        assert server.ctx.keystore.blob_ids() == set(legacy)
        for attachment_id, wrapped in legacy.items():
            assert server.ctx.keystore.get_blob_key(attachment_id) == wrapped
        staff = await server.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            assert (await download(server, staff, attachment_id)).content == data
        again = await move_keys_to_keystore(server.ctx)
        assert (again.practice_keys, again.blob_keys) == (0, 0)
    practice_keys, blob_keys = _db_keys(settings)
    assert practice_keys == []
    assert all(w == b"" for _, w in blob_keys)


async def test_a_move_cut_short_by_a_crash_completes_at_the_next_start(
        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    async with running(settings) as server:
        seeded = await seed(server)
    # The key store already has everything, the database was not blanked yet.
    legacy = _make_legacy(settings, keep_in_keystore=True)
    async with running(settings) as server:
        for attachment_id, wrapped in legacy.items():
            assert server.ctx.keystore.get_blob_key(attachment_id) == wrapped
        staff = await server.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            assert (await download(server, staff, attachment_id)).content == data
    practice_keys, blob_keys = _db_keys(settings)
    assert practice_keys == []
    assert all(w == b"" for _, w in blob_keys)


async def test_a_different_practice_key_in_the_store_is_reconciled(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    async with running(settings) as server:
        seeded = await seed(server)
    legacy = _make_legacy(settings, keep_in_keystore=False)
    practice_id = seeded.staff.practice_id
    # A practice key made in the key store meanwhile (databases copied around by hand).
    master = crypto.load_master_key(settings.effective_keys_dir, create=False)
    store = KeyStore(settings.effective_keys_dir)
    store.put_practice_key(practice_id, crypto.wrap_practice_key(master, practice_id,
                                                                 crypto.new_key()),
                           datetime.now(UTC))
    store.close()
    async with running(settings) as server:
        staff = await server.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            got = await download(server, staff, attachment_id)
            assert got.status_code == 200, got.text
            assert got.content == data
            assert server.ctx.keystore.get_blob_key(attachment_id) != legacy[attachment_id]
