"""Backup of a running server, restore into an empty data dir: everything comes back, and
nothing readable is in the archive; a key shredded after the backup stays shredded."""

from __future__ import annotations

from pathlib import Path

from backend_server import backup
from backend_server.config import Settings
from tests.server.attachments.helpers import API
from tests.server.backup.helpers import (
    MARKED_PDF,
    MARKER,
    all_rows,
    blob_tree,
    download,
    running,
    seed,
)
from tests.server.harness import assert_problem


async def test_restore_into_an_empty_data_dir_brings_back_every_row_and_file(
        tmp_path: Path) -> None:
    live = Settings(data_dir=tmp_path / "live")
    archive = tmp_path / "offsite" / "praxis.pxbak"
    async with running(live) as server:
        seeded = await seed(server)
        # Online: taken while the server runs.
        result = backup.backup(live, archive)
        rows_before = await all_rows(live.database_url)
        blobs_before = blob_tree(live.data_dir)
    assert result.blobs == len(blobs_before) >= 4  # the demo's files and ours
    assert archive.stat().st_mode & 0o777 == 0o600
    assert not archive.with_name("praxis.pxbak.partial").exists()
    assert not list(live.data_dir.glob(".backup-*"))  # the plaintext snapshot is gone

    # Encrypted: neither the message text nor the attachment's text is in the archive.
    stored = archive.read_bytes()
    assert MARKER.encode() in MARKED_PDF
    assert MARKER.encode() not in stored
    assert MARKER.encode("utf-16-le") not in stored
    assert b"SQLite format 3" not in stored
    assert b"demo.praxisdesk.de" not in stored

    # The key store and the master key stay out of the archive: the same keys dir is used.
    fresh = Settings(data_dir=tmp_path / "fresh", keys_dir=live.effective_keys_dir)
    restored = backup.restore(fresh, archive, force=False)
    assert restored.kept_database is None
    assert restored.kept_blobs is None
    assert restored.blobs == len(blobs_before)
    assert restored.info is not None
    assert restored.info.practices == 2
    assert not list(fresh.data_dir.glob(".restore-*"))

    assert await all_rows(fresh.database_url) == rows_before
    assert blob_tree(fresh.data_dir) == blobs_before
    assert fresh.sqlite_path.stat().st_mode & 0o777 == 0o600

    async with running(fresh) as again:
        staff = await again.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            got = await download(again, staff, attachment_id)
            assert got.status_code == 200, got.text
            assert got.content == data


async def test_a_key_shredded_after_the_backup_stays_shredded_after_restore(
        tmp_path: Path) -> None:
    live = Settings(data_dir=tmp_path / "live")
    archive = tmp_path / "praxis.pxbak"
    async with running(live) as server:
        seeded = await seed(server)
        backup.backup(live, archive)
        shredded, kept = list(seeded.files)
        # What a purge or an erasure does to a file after the backup was taken.
        assert server.ctx.keystore.shred_blob_keys([shredded]) == 1

    fresh = Settings(data_dir=tmp_path / "fresh", keys_dir=live.effective_keys_dir)
    backup.restore(fresh, archive, force=False)
    # The ciphertext came back with the backup, but nothing opens it any more.
    assert any(name.endswith(shredded) for name in blob_tree(fresh.data_dir))
    async with running(fresh) as again:
        staff = await again.login(seeded.staff)
        gone = await download(again, staff, shredded)
        body = assert_problem(gone, 410, "attachment_deleted")
        assert "retention" in body["detail"]
        ok = await download(again, staff, kept)
        assert ok.status_code == 200
        assert ok.content == seeded.files[kept]
        # The patient's link says the same.
        patient = f"{API}/p/{seeded.token}/attachments"
        assert_problem(await again.client.get(f"{patient}/{shredded}"), 410,
                       "attachment_deleted")
        assert (await again.client.get(f"{patient}/{kept}")).content == seeded.files[kept]


async def test_force_restore_over_live_data_keeps_the_old_database_and_files(
        tmp_path: Path) -> None:
    live = Settings(data_dir=tmp_path / "live")
    archive = tmp_path / "praxis.pxbak"
    async with running(live) as server:
        seeded = await seed(server)
        backup.backup(live, archive)
        rows_at_backup = await all_rows(live.database_url)
        blobs_at_backup = blob_tree(live.data_dir)
        later = await server.practice("Später angelegt")

    refused = None
    try:
        backup.restore(live, archive, force=False)
    except backup.BackupError as exc:
        refused = str(exc)
    assert refused is not None
    assert "--force" in refused

    restored = backup.restore(live, archive, force=True)
    assert restored.kept_database is not None
    assert restored.kept_blobs is not None
    assert blob_tree(live.data_dir) == blobs_at_backup
    assert {p.name for p in restored.kept_blobs.rglob("*") if p.is_file()} >= {
        Path(name).name for name in blobs_at_backup}
    assert await all_rows(live.database_url) == rows_at_backup
    kept_rows = await all_rows(f"sqlite+aiosqlite:///{restored.kept_database}")
    assert later in {row[0] for row in kept_rows["practices"]}
    async with running(live) as again:
        staff = await again.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            assert (await download(again, staff, attachment_id)).content == data
