"""Encrypted blobs on disk: ``<data_dir>/blobs/<practice_id>/<attachment_id>``.

A blob is written under ``<practice dir>/.tmp/`` and renamed into place only once complete
(same file system, so the rename is atomic): a reader never sees half a file. Every failure
removes what was written. Temporary files a crash leaves behind are unreadable anyway (the
blob's key reaches the key store only right before the row commits); they are swept the next
time the practice uploads.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import anyio.to_thread

from backend_server.attachments.crypto import ChunkSealer, open_chunks

BLOBS_DIR = "blobs"
TEMP_DIR = ".tmp"
STALE_TEMP_SECONDS = 24 * 3600


def _checked_id(value: str) -> str:
    # Ids come from our own rows, but they become path parts: accept nothing but a UUID.
    return str(uuid.UUID(value))


class BlobStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / BLOBS_DIR

    def directory(self, practice_id: str) -> Path:
        return self.root / _checked_id(practice_id)

    def path(self, practice_id: str, attachment_id: str) -> Path:
        return self.directory(practice_id) / _checked_id(attachment_id)

    def begin(self, practice_id: str, attachment_id: str, *, key: bytes,
              nonce_prefix: bytes) -> BlobWriter:
        final = self.path(practice_id, attachment_id)
        temp_dir = final.parent / TEMP_DIR
        # One level at a time: mkdir(parents=True) would give the parents default modes.
        for directory in (self.root, final.parent, temp_dir):
            directory.mkdir(exist_ok=True, mode=0o700)
        _sweep_stale(temp_dir)
        temp = temp_dir / f"{final.name}-{secrets.token_hex(4)}"
        sealer = ChunkSealer(key, nonce_prefix, final.name)
        return BlobWriter(temp, final, sealer)

    def read_chunks(self, practice_id: str, attachment_id: str, *, key: bytes,
                    nonce_prefix: bytes) -> Iterator[bytes]:
        """Decrypted chunks; the file is opened at once (FileNotFoundError if missing)."""
        fh = open(self.path(practice_id, attachment_id), "rb")  # closed by the generator
        return _chunks_then_close(fh, key, nonce_prefix, _checked_id(attachment_id))

    def remove(self, practice_id: str, attachment_id: str) -> None:
        self.path(practice_id, attachment_id).unlink(missing_ok=True)


def _sweep_stale(temp_dir: Path) -> None:
    """Removes temporary files of uploads that died with the process long ago."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for entry in os.scandir(temp_dir):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except FileNotFoundError:
            continue  # another request swept it first


def _chunks_then_close(fh: BinaryIO, key: bytes, nonce_prefix: bytes,
                       attachment_id: str) -> Iterator[bytes]:
    with fh:
        yield from open_chunks(fh.read, key, nonce_prefix, attachment_id)


class BlobWriter:
    """Takes plaintext, writes ciphertext to the temporary file; counts and hashes."""

    def __init__(self, temp: Path, final: Path, sealer: ChunkSealer) -> None:
        self.temp = temp
        self.final = final
        self._sealer = sealer
        self._hash = hashlib.sha256()
        self.size = 0
        self.published = False
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh: BinaryIO | None = os.fdopen(fd, "wb")
        self._fh.write(sealer.header)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def write(self, data: bytes) -> None:
        # Chunks are at most a network read (~64 KiB): writing them straight away costs less
        # than a thread hop, and the page cache absorbs them; the fsync runs in a thread.
        assert self._fh is not None, "writer already closed"
        self._hash.update(data)
        self.size += len(data)
        self._fh.write(self._sealer.feed(data))

    async def finish(self) -> None:
        """Seals the last chunk and makes the temporary file durable."""
        assert self._fh is not None, "writer already closed"
        fh = self._fh
        fh.write(self._sealer.finish())
        fh.flush()
        await anyio.to_thread.run_sync(os.fsync, fh.fileno())
        fh.close()
        self._fh = None

    def publish(self) -> None:
        """Moves the finished blob to its final name (atomic: same file system)."""
        assert self._fh is None, "finish() first"
        os.replace(self.temp, self.final)
        self.published = True
        dir_fd = os.open(self.final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def abort(self) -> None:
        """Removes everything this writer wrote; safe to call more than once."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.temp.unlink(missing_ok=True)
        if self.published:
            self.final.unlink(missing_ok=True)
            self.published = False
