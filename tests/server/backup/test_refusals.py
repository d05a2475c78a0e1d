"""A restore that cannot be trusted changes nothing: damaged, truncated, foreign files, the
wrong backup key, and a running server are all refused with a clear message."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from backend_server import backup
from backend_server.backup_archive import backup_key_path
from backend_server.config import Settings
from backend_server.server_lock import ServerLock
from tests.server.backup.helpers import files_under, running, seed


@pytest.fixture
async def stopped(tmp_path: Path) -> tuple[Settings, Path]:
    """A data dir with content (server stopped) and a good archive of it."""
    live = Settings(data_dir=tmp_path / "live")
    archive = tmp_path / "good.pxbak"
    async with running(live) as server:
        await seed(server)
    backup.backup(live, archive)
    return live, archive


def _refused(settings: Settings, source: Path) -> str:
    with pytest.raises(backup.BackupError) as info:
        backup.restore(settings, source, force=True)
    return str(info.value)


def _variants(good: bytes, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the error must contain)."""
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01
    header_flip = bytearray(good)
    header_flip[-1] ^= 0x80  # the last byte: the final chunk's tag
    zipped = tmp_path / "foreign.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("a.txt", "hello")
    plain_db = tmp_path / "old-style.sqlite3"
    sqlite3.connect(plain_db).execute("CREATE TABLE t (x)").connection.close()
    return {
        "flipped": (write("flipped.pxbak", bytes(flipped)), "damaged"),
        "tag": (write("tag.pxbak", bytes(header_flip)), "damaged"),
        "truncated middle": (write("cut.pxbak", good[:len(good) // 2]), "truncated"),
        "truncated end": (write("cut-end.pxbak", good[:-20]), "truncated"),
        "truncated at a chunk": (write("cut-chunk.pxbak", good[:20 + 9 + 3 * (65536 + 16)]),
                                 "truncated"),
        "header only": (write("header.pxbak", good[:12]), "truncated"),
        "empty": (write("empty.pxbak", b""), "not a Praxisdesk backup"),
        "random": (write("random.pxbak", os.urandom(4096)), "not a Praxisdesk backup"),
        "zip": (zipped, "not a Praxisdesk backup"),
        "plain database": (plain_db, "older Praxisdesk version"),
        "missing": (tmp_path / "missing.pxbak", "does not exist"),
    }


async def test_damaged_truncated_and_foreign_files_change_nothing(
        stopped: tuple[Settings, Path], tmp_path: Path) -> None:
    live, archive = stopped
    before = files_under(live.data_dir)
    good = archive.read_bytes()
    assert len(good) > 20 + 9 + 4 * (65536 + 16)  # several chunks, so cuts land inside
    for name, (path, words) in _variants(good, tmp_path).items():
        message = _refused(live, path)
        assert words in message, (name, message)
        assert files_under(live.data_dir) == before, name
    # Into an empty place as well: the data dir is not even left behind.
    fresh = Settings(data_dir=tmp_path / "fresh", keys_dir=live.effective_keys_dir)
    _refused(fresh, tmp_path / "flipped.pxbak")
    assert not fresh.data_dir.exists()
    # The good archive still restores.
    backup.restore(fresh, archive, force=False)


async def test_a_different_backup_key_is_named_and_changes_nothing(
        stopped: tuple[Settings, Path], tmp_path: Path) -> None:
    live, archive = stopped
    other_keys = tmp_path / "other-keys"
    other_keys.mkdir(mode=0o700)
    backup_key_path(other_keys).write_bytes(os.urandom(32))
    elsewhere = Settings(data_dir=live.data_dir, keys_dir=other_keys)
    before = files_under(live.data_dir)
    message = _refused(elsewhere, archive)
    assert "different backup key" in message
    assert "nothing was changed" in message
    assert files_under(live.data_dir) == before

    no_key = Settings(data_dir=tmp_path / "fresh", keys_dir=tmp_path / "empty-keys")
    message = _refused(no_key, archive)
    assert "no backup key" in message
    assert not (tmp_path / "fresh").exists()


async def test_restore_refuses_while_a_server_holds_the_data_dir(
        stopped: tuple[Settings, Path]) -> None:
    live, archive = stopped
    before = files_under(live.data_dir)
    lock = ServerLock(live.data_dir)  # what `praxisdesk-server serve` holds while it runs
    assert lock.acquire()
    try:
        before = files_under(live.data_dir)
        assert "running" in _refused(live, archive)
        assert files_under(live.data_dir) == before
    finally:
        lock.release()
    backup.restore(live, archive, force=True)


async def test_a_stopped_backup_leaves_no_file(stopped: tuple[Settings, Path],
                                               tmp_path: Path) -> None:
    live, _ = stopped
    target = tmp_path / "stopped.pxbak"
    with pytest.raises(backup.BackupError, match="stopped"):
        backup.backup(live, target, cancelled=lambda: True)
    assert not target.exists()
    assert not target.with_name("stopped.pxbak.partial").exists()
    assert not list(live.data_dir.glob(".backup-*"))
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.backup(live, stopped[1])
