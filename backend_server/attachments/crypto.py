"""Envelope encryption of attachment blobs.

Three layers, so that neither a copied database nor a copied blob directory alone reveals
anything, and one practice's key opens only that practice's files:

- every blob has its own random AES-256 key; the blob is sealed in 64 KiB chunks with
  AES-256-GCM (a STREAM construction: the nonce holds the chunk counter and a "last chunk"
  flag, so chunks cannot be reordered, dropped or the file cut short unnoticed). Chunking
  lets uploads and downloads stream with bounded memory, and every chunk is authenticated
  before a byte of it is used;
- the blob key is wrapped with AES-KW (RFC 3394) by the practice key;
- the practice key is wrapped with AES-256-GCM by the server's master key
  (``<keys_dir>/master.key``, 0600; keys_dir defaults to ``<data_dir>/keys``), the practice
  id as associated data.

Wrapped practice and blob keys live in the key store (``backend_server.keystore``), not in
the database. The chunked format is also used for backup archives (``backend_server.backup``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

KEY_BYTES = 32
CHUNK_SIZE = 64 * 1024
TAG_BYTES = 16
NONCE_PREFIX_BYTES = 7
_GCM_NONCE_BYTES = 12
BLOB_MAGIC = b"PXDB"
BLOB_VERSION = 1
BLOB_HEADER_BYTES = len(BLOB_MAGIC) + 1 + 4
MASTER_KEY_FILENAME = "master.key"
_PRACTICE_KEY_AAD = b"praxisdesk practice key v1:"


class AttachmentKeyError(RuntimeError):
    """A key is missing or does not fit (wrong master key, damaged key row)."""


class BlobDamaged(RuntimeError):
    """A blob failed authentication: altered, truncated, or sealed under another key."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_nonce_prefix() -> bytes:
    return secrets.token_bytes(NONCE_PREFIX_BYTES)


# --- master key and other key files ----------------------------------------------------

def master_key_path(keys_dir: Path) -> Path:
    return keys_dir / MASTER_KEY_FILENAME


def load_master_key(keys_dir: Path, *, create: bool) -> bytes:
    """The server's master key. Created (0600, in a 0700 directory) only when ``create`` is
    set: a missing key while wrapped practice keys exist means the files are unreadable, and
    silently making a new one would hide that."""
    path = master_key_path(keys_dir)
    try:
        return load_key_file(path, create=create)
    except FileNotFoundError:
        raise AttachmentKeyError(f"{path} is missing; attachments cannot be read") from None


def load_key_file(path: Path, *, create: bool) -> bytes:
    """A 32-byte key in its own file; FileNotFoundError if missing and not ``create``."""
    try:
        value = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise
        return _create_key_file(path)
    if len(value) != KEY_BYTES:
        raise AttachmentKeyError(f"{path} is damaged (wrong length)")
    return value


def _create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    key = new_key()
    # Written to a private temporary name, then linked into place: a second process starting
    # at the same moment either wins the link or reads the complete file, never half of it.
    temp = path.parent / f".{path.name}.{secrets.token_hex(8)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return load_key_file(path, create=False)
    finally:
        temp.unlink(missing_ok=True)
    return key


# --- key wrapping -----------------------------------------------------------------------

def wrap_practice_key(master_key: bytes, practice_id: str, practice_key: bytes) -> bytes:
    nonce = secrets.token_bytes(_GCM_NONCE_BYTES)
    aad = _PRACTICE_KEY_AAD + practice_id.encode("ascii")
    return nonce + AESGCM(master_key).encrypt(nonce, practice_key, aad)


def unwrap_practice_key(master_key: bytes, practice_id: str, wrapped: bytes) -> bytes:
    aad = _PRACTICE_KEY_AAD + practice_id.encode("ascii")
    try:
        return AESGCM(master_key).decrypt(wrapped[:_GCM_NONCE_BYTES],
                                          wrapped[_GCM_NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise AttachmentKeyError("the practice key does not open with this master key") \
            from None


def wrap_blob_key(practice_key: bytes, blob_key: bytes) -> bytes:
    return aes_key_wrap(practice_key, blob_key)


def unwrap_blob_key(practice_key: bytes, wrapped: bytes) -> bytes:
    try:
        return aes_key_unwrap(practice_key, wrapped)
    except (InvalidUnwrap, ValueError):
        raise AttachmentKeyError("the blob key does not open with the practice key") from None


# --- chunked AES-GCM --------------------------------------------------------------------

def _header(chunk_size: int) -> bytes:
    return BLOB_MAGIC + bytes([BLOB_VERSION]) + chunk_size.to_bytes(4, "big")


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class ChunkSealer:
    """Encrypts a stream of plaintext into the blob format, chunk by chunk.

    A chunk is only sealed once more data follows it, so the final chunk (which carries the
    "last" flag) is known when :meth:`finish` is called. ``attachment_id`` is the ASCII label
    bound into every chunk: the attachment's id, or ``backup:<header>`` for backup archives.
    """

    def __init__(self, key: bytes, nonce_prefix: bytes, attachment_id: str,
                 chunk_size: int = CHUNK_SIZE) -> None:
        self._aead = AESGCM(key)
        self._prefix = nonce_prefix
        self._chunk_size = chunk_size
        self.header = _header(chunk_size)
        self._aad = self.header + attachment_id.encode("ascii")
        self._buffer = bytearray()
        self._counter = 0

    def feed(self, data: bytes) -> bytes:
        self._buffer += data
        out = bytearray()
        while len(self._buffer) > self._chunk_size:
            chunk = bytes(self._buffer[:self._chunk_size])
            del self._buffer[:self._chunk_size]
            out += self._seal(chunk, last=False)
        return bytes(out)

    def finish(self) -> bytes:
        sealed = self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        return sealed

    def _seal(self, chunk: bytes, *, last: bool) -> bytes:
        nonce = _nonce(self._prefix, self._counter, last)
        self._counter += 1
        return self._aead.encrypt(nonce, chunk, self._aad)


def open_chunks(read: Callable[[int], bytes], key: bytes, nonce_prefix: bytes,
                attachment_id: str) -> Iterator[bytes]:
    """Plaintext chunks of a blob read through ``read(n)``; each chunk is authenticated
    before it is yielded. Raises :class:`BlobDamaged` on any mismatch."""
    header = read(BLOB_HEADER_BYTES)
    if len(header) != BLOB_HEADER_BYTES or not header.startswith(BLOB_MAGIC) \
            or header[len(BLOB_MAGIC)] != BLOB_VERSION:
        raise BlobDamaged("not a Praxisdesk blob")
    chunk_size = int.from_bytes(header[-4:], "big")
    if not 0 < chunk_size <= 16 * 1024 * 1024:
        raise BlobDamaged("implausible chunk size")
    aead = AESGCM(key)
    aad = header + attachment_id.encode("ascii")
    record = chunk_size + TAG_BYTES
    current = read(record)
    counter = 0
    while True:
        following = read(record) if len(current) == record else b""
        last = not following
        try:
            yield aead.decrypt(_nonce(nonce_prefix, counter, last), current, aad)
        except (InvalidTag, ValueError):
            raise BlobDamaged("a chunk failed authentication") from None
        if last:
            return
        counter += 1
        current = following
