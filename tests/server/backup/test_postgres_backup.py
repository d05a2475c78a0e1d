"""The same round trip on PostgreSQL: pg_dump into the encrypted archive, pg_restore into an
empty database and an empty data dir."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend_server import backup
from backend_server.config import Settings
from tests.server.backup.helpers import MARKER, all_rows, blob_tree, download, running, seed
from tests.server.postgres import PostgresServer, find_pg_bindir, throwaway_postgres

PG_BINDIR = find_pg_bindir()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_BINDIR is None or shutil.which("pg_dump") is None,
                       reason="PostgreSQL server binaries or pg_dump not installed"),
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    assert PG_BINDIR is not None
    with throwaway_postgres(PG_BINDIR) as server:
        yield server


async def test_postgres_round_trip(tmp_path: Path, postgres: PostgresServer) -> None:
    live = Settings(data_dir=tmp_path / "live", database_url=postgres.new_database_url())
    archive = tmp_path / "praxis.pxbak"
    async with running(live) as server:
        seeded = await seed(server)
        result = backup.backup(live, archive)
        rows_before = await all_rows(live.database_url)
        blobs_before = blob_tree(live.data_dir)
    assert result.blobs == len(blobs_before)
    assert MARKER.encode() not in archive.read_bytes()

    fresh = Settings(data_dir=tmp_path / "fresh", database_url=postgres.new_database_url(),
                     keys_dir=live.effective_keys_dir)
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore(fresh, archive, force=False)
    backup.restore(fresh, archive, force=True)
    assert await all_rows(fresh.database_url) == rows_before
    assert blob_tree(fresh.data_dir) == blobs_before
    async with running(fresh) as again:
        staff = await again.login(seeded.staff)
        for attachment_id, data in seeded.files.items():
            assert (await download(again, staff, attachment_id)).content == data

    # An SQLite server does not take a PostgreSQL archive (and nothing changes).
    sqlite = Settings(data_dir=tmp_path / "sqlite", keys_dir=live.effective_keys_dir)
    with pytest.raises(backup.BackupError, match="postgresql"):
        backup.restore(sqlite, archive, force=False)
    assert not sqlite.data_dir.exists()
