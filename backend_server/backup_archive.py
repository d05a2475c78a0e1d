"""The encrypted backup archive format.

A file is a small plaintext header followed by one sealed stream in the chunked AES-256-GCM
format of the attachments (``attachments.crypto``: every 64 KiB chunk authenticated, the
last one flagged, so a truncated or altered file never verifies). The header is bound into
every chunk as associated data. The plaintext inside is a tar of the database snapshot,
``blobs/<practice>/<attachment>`` (already encrypted under their own keys) and, last,
``manifest.json`` with sha256 and size of every other member.

Header: ``PXBK``, format version (1 byte), key id (8 bytes: who holds the matching
``backup.key``; a wrong key is named as such instead of "damaged"), nonce prefix (7 bytes).

The backup key (``<keys_dir>/backup.key``, 32 random bytes, 0600) is made once. Neither it
nor the key store travels in the archive: crypto-shredding reaches every backup.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import re
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from backend_server.attachments import crypto

ARCHIVE_MAGIC = b"PXBK"
ARCHIVE_VERSION = 1
KEY_ID_BYTES = 8
HEADER_BYTES = len(ARCHIVE_MAGIC) + 1 + KEY_ID_BYTES + crypto.NONCE_PREFIX_BYTES
BACKUP_KEY_FILENAME = "backup.key"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "praxisdesk-backup"
DB_SQLITE_MEMBER = "database/praxisdesk.sqlite3"
DB_PG_MEMBER = "database/praxisdesk.pgdump"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_BLOB_MEMBER = re.compile(rf"blobs/{_UUID}/{_UUID}")
_COPY_BYTES = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why."""


class Cancelled(Exception):
    """The caller asked the backup to stop (server shutting down)."""


def backup_key_path(keys_dir: Path) -> Path:
    return keys_dir / BACKUP_KEY_FILENAME


def load_backup_key(keys_dir: Path, *, create: bool) -> bytes:
    path = backup_key_path(keys_dir)
    try:
        return crypto.load_key_file(path, create=create)
    except FileNotFoundError:
        raise ArchiveError(
            f"there is no backup key at {path}: a restore needs the keys directory the "
            "backup was made with") from None
    except crypto.AttachmentKeyError as exc:
        raise ArchiveError(str(exc)) from None


def key_id(key: bytes) -> bytes:
    return hmac.new(key, b"praxisdesk backup key id v1", hashlib.sha256).digest()[:KEY_ID_BYTES]


def _label(header: bytes) -> str:
    # The chunk format binds an ASCII label into every chunk; the header rides along in it.
    return "backup:" + header.hex()


def is_db_member(name: str) -> bool:
    return name in (DB_SQLITE_MEMBER, DB_PG_MEMBER)


def is_blob_member(name: str) -> bool:
    return _BLOB_MEMBER.fullmatch(name) is not None


# --- writing ----------------------------------------------------------------------------

class _SealingWriter(io.RawIOBase):
    """What tarfile writes to: plaintext in, sealed chunks out to ``out``."""

    def __init__(self, out: BinaryIO, key: bytes, cancelled: Callable[[], bool]) -> None:
        super().__init__()
        prefix = crypto.new_nonce_prefix()
        header = ARCHIVE_MAGIC + bytes([ARCHIVE_VERSION]) + key_id(key) + prefix
        self._sealer = crypto.ChunkSealer(key, prefix, _label(header))
        self._out = out
        self._cancelled = cancelled
        self.discarding = False
        out.write(header + self._sealer.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self.discarding:
            return len(chunk)
        if self._cancelled():
            raise Cancelled
        self._out.write(self._sealer.feed(chunk))
        return len(chunk)

    def finish(self) -> None:
        self._out.write(self._sealer.finish())


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing exactly what went into the archive."""

    def __init__(self, fh: BinaryIO) -> None:
        super().__init__()
        self._fh = fh
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.hash.update(data)
        return data


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int


class ArchiveWriter:
    """Writes members one after another; :meth:`close` adds the manifest and seals."""

    def __init__(self, out: BinaryIO, key: bytes, *, mtime: float,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self._sealing = _SealingWriter(out, key, cancelled or (lambda: False))
        self._tar = tarfile.open(fileobj=self._sealing, mode="w|", format=tarfile.PAX_FORMAT)
        self._mtime = mtime
        self.members: list[Member] = []

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(self._mtime)
        return info

    def add_file(self, name: str, fh: BinaryIO) -> None:
        """``fh`` is read to its current size (files are never appended to once in place)."""
        size = os.fstat(fh.fileno()).st_size
        reader = _Hashing(fh)
        self._tar.addfile(self._info(name, size), reader)
        self.members.append(Member(name, reader.hash.hexdigest(), size))

    def abort(self) -> None:
        """After a failure: tarfile's stream would otherwise flush into the file later."""
        self._sealing.discarding = True
        self._tar.close()

    def close(self, manifest: dict[str, Any]) -> None:
        body = dict(manifest)
        body["members"] = [{"name": m.name, "sha256": m.sha256, "size": m.size}
                           for m in self.members]
        data = json.dumps(body, indent=2, sort_keys=True).encode("utf-8")
        self._tar.addfile(self._info(MANIFEST_NAME, len(data)), io.BytesIO(data))
        self._tar.close()
        self._sealing.finish()


# --- reading ----------------------------------------------------------------------------

class _OpeningReader(io.RawIOBase):
    """What tarfile reads from: authenticated plaintext chunks of the sealed stream."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def drain(self) -> None:
        """Reads (and so authenticates) the stream to its final chunk."""
        while self.read(_COPY_BYTES):
            pass


def _open_header(fh: IO[bytes], key: bytes, source: Path) -> tuple[str, bytes]:
    """The chunk label and nonce prefix, once the header says this key fits."""
    header = fh.read(HEADER_BYTES)
    if len(header) < len(ARCHIVE_MAGIC) or not header.startswith(ARCHIVE_MAGIC):
        if header.startswith(b"SQLite format 3"):
            raise ArchiveError(
                f"{source} is a plain database copy from an older Praxisdesk version; this "
                "version restores only its encrypted backup archives")
        raise ArchiveError(f"{source} is not a Praxisdesk backup archive")
    if len(header) < HEADER_BYTES:
        raise ArchiveError(f"{source} is truncated (its header is incomplete)")
    if header[len(ARCHIVE_MAGIC)] != ARCHIVE_VERSION:
        raise ArchiveError(f"{source} was made by a newer Praxisdesk version")
    stored_id = header[len(ARCHIVE_MAGIC) + 1:len(ARCHIVE_MAGIC) + 1 + KEY_ID_BYTES]
    if not hmac.compare_digest(stored_id, key_id(key)):
        raise ArchiveError(
            f"{source} was encrypted with a different backup key than the one in the keys "
            "directory; a restore needs the keys directory the backup was made with")
    return _label(header), header[-crypto.NONCE_PREFIX_BYTES:]


def read_archive(source: Path, key: bytes, staging: Path) -> dict[str, Any]:
    """Decrypts and unpacks ``source`` into ``staging`` (an empty private directory) and
    verifies everything: every chunk's tag, the end of the stream, the member names, and
    every member against the manifest. Returns the manifest; raises ArchiveError."""
    try:
        fh = open(source, "rb")
    except FileNotFoundError:
        raise ArchiveError(f"{source} does not exist") from None
    with fh:
        label, prefix = _open_header(fh, key, source)
        reader = _OpeningReader(crypto.open_chunks(fh.read, key, prefix, label))
        try:
            found, manifest_bytes = _unpack(reader, staging, source)
            reader.drain()
        except crypto.BlobDamaged:
            raise ArchiveError(
                f"{source} is damaged or truncated (it failed authentication)") from None
        except tarfile.TarError as exc:
            raise ArchiveError(f"{source} is damaged (not a valid archive: {exc})") from None
    return _checked_manifest(manifest_bytes, found, source)


def _unpack(reader: _OpeningReader, staging: Path,
            source: Path) -> tuple[dict[str, Member], bytes | None]:
    found: dict[str, Member] = {}
    manifest_bytes: bytes | None = None
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        for info in tar:
            name = info.name
            duplicate = name in found or (name == MANIFEST_NAME and manifest_bytes is not None)
            if not info.isreg() or duplicate or (
                    name != MANIFEST_NAME and not is_db_member(name)
                    and not is_blob_member(name)):
                raise ArchiveError(f"{source} holds an unexpected entry; refusing it")
            stream = tar.extractfile(info)
            assert stream is not None
            if name == MANIFEST_NAME:
                manifest_bytes = stream.read()
                continue
            target = staging / name
            for directory in reversed(target.relative_to(staging).parents):
                (staging / directory).mkdir(exist_ok=True, mode=0o700)
            digest, size = hashlib.sha256(), 0
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                while data := stream.read(_COPY_BYTES):
                    digest.update(data)
                    size += len(data)
                    out.write(data)
                out.flush()
                os.fsync(out.fileno())
            found[name] = Member(name, digest.hexdigest(), size)
    return found, manifest_bytes


def _checked_manifest(manifest_bytes: bytes | None, found: dict[str, Member],
                      source: Path) -> dict[str, Any]:
    if manifest_bytes is None:
        raise ArchiveError(f"{source} is damaged (it has no manifest)")
    try:
        manifest = json.loads(manifest_bytes)
        listed = {m["name"]: Member(m["name"], m["sha256"], int(m["size"]))
                  for m in manifest["members"]}
        if manifest["format"] != MANIFEST_FORMAT:
            raise ValueError("format")
        version = int(manifest["version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveError(f"{source} is damaged (unreadable manifest: {exc})") from None
    if version != ARCHIVE_VERSION:
        raise ArchiveError(f"{source} was made by a newer Praxisdesk version")
    if set(listed) != set(found):
        raise ArchiveError(f"{source} is damaged (its members do not match the manifest)")
    for name, member in found.items():
        if listed[name] != member:
            raise ArchiveError(f"{source} is damaged ({name} does not match the manifest)")
    if sum(1 for name in found if is_db_member(name)) != 1:
        raise ArchiveError(f"{source} is damaged (it holds no database)")
    return dict(manifest)
