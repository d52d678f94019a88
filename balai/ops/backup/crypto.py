"""Streaming authenticated encryption for backup archives (ADR 0025).

AES-256-GCM over 1 MiB chunks in the STREAM construction (Hoang, Reyhanitabar, Rogaway and Vizár, 2015;
the one age and Tink use): each chunk's nonce is a random per-archive prefix, the chunk's number and a
flag marking the last chunk, so chunks cannot be reordered, dropped, or the archive cut short without
the decryption failing. The key is derived per archive (HKDF-SHA256 with a random salt) from the master key
in `BALAI_BACKUP_KEY`, so nonces never repeat across archives. Memory use is one chunk, whatever the
size of the database.

File layout: b"BALAIBK1" | salt (16) | nonce prefix (7) | chunks (ciphertext + 16-byte tag each).
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"BALAIBK1"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES
CHUNK = 1 << 20
TAG = 16
MAX_CHUNKS = 2**32 - 1  # 4 TiB per archive


class BackupKeyError(ValueError):
    """The key is missing or not 32 bytes of URL-safe base64."""


class BackupCorrupt(ValueError):
    """The archive was changed, cut short, or encrypted with another key."""


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def load_key(value: str | None) -> bytes:
    if not value:
        raise BackupKeyError("BALAI_BACKUP_KEY is not set (create one with: manage.py backup --generate-key)")
    try:
        key = base64.urlsafe_b64decode(value.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise BackupKeyError("BALAI_BACKUP_KEY is not URL-safe base64") from exc
    if len(key) != 32:
        raise BackupKeyError("BALAI_BACKUP_KEY must decode to 32 bytes")
    return key


def _aead(master: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"balai-backup v1 aes-256-gcm")
    return AESGCM(derived.derive(master))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter > MAX_CHUNKS:
        raise ValueError("archive too large for one key stream")
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written to it reaches `raw` encrypted. `close()` writes the
    last chunk (and must be called: an archive without it does not decrypt)."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._raw, self._header = raw, MAGIC + salt + prefix
        self._aead, self._prefix = _aead(key, salt), prefix
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        raw.write(self._header)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed archive")
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back: the last chunk is written by close()
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._raw.write(self._aead.encrypt(nonce, chunk, self._header))
        self._counter += 1

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True
            self._raw.flush()


class DecryptingReader:
    """A read-only file object over an encrypted archive; raises BackupCorrupt on any tampering."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        header = raw.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupCorrupt("not a Balai backup archive")
        salt = header[len(MAGIC):len(MAGIC) + SALT_BYTES]
        self._prefix = header[len(MAGIC) + SALT_BYTES:]
        self._raw, self._header, self._aead = raw, header, _aead(key, salt)
        self._counter = 0
        self._next = raw.read(CHUNK + TAG)
        self._plain = bytearray()
        self._done = False

    def _decrypt_next(self) -> None:
        current, self._next = self._next, self._raw.read(CHUNK + TAG)
        last = not self._next
        if len(current) < TAG:
            raise BackupCorrupt("the archive is cut short")
        try:
            self._plain += self._aead.decrypt(_nonce(self._prefix, self._counter, last), current, self._header)
        except InvalidTag as exc:
            raise BackupCorrupt(
                "the archive does not decrypt: wrong key, or it was changed or cut short") from exc
        self._counter += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._plain) < size):
            self._decrypt_next()
        if size < 0:
            size = len(self._plain)
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    def close(self) -> None:
        self._plain.clear()
