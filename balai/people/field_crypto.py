"""Encryption of personal fields at rest, with keys that can be rotated (ADR 0019).

Two keys, two purposes:

- the ENCRYPTION key (``FIELD_ENCRYPTION_KEY``, the newest; ``FIELD_ENCRYPTION_OLD_KEYS``, older ones still
  able to decrypt) makes Fernet tokens (AES-128-CBC + HMAC-SHA256, fresh IV each time). Tokens are read
  with ``MultiFernet``: the newest key first, then each older one, so data written under an old key stays
  readable while ``manage.py rotate_field_encryption`` rewrites it under the newest;
- the DIGEST key (``FIELD_DIGEST_KEY``) keys the HMAC-SHA256 used for equality look-ups ("is there a case
  with this NIK?"). It does not rotate with the encryption key, so look-ups keep working through a
  rotation; changing it is a re-keying that the same command performs (it recomputes every digest from
  the decrypted value).

Each configured secret is a long random string, not a Fernet key: the Fernet and HMAC keys are derived
from it with HKDF-SHA256 and their own ``info`` labels, so one secret never serves two purposes. Outside
production, unset keys fall back to ``SECRET_KEY`` (the demo needs no setup); production refuses to start
without them (``balai.settings``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# The labels are part of the stored data's format: tokens and digests written since the first release
# used them, so they must not change (a change is a re-keying).
_SALT = b"balai.people.nik"
_ENCRYPTION_INFO = b"nik-encryption-v1"
_DIGEST_INFO = b"nik-digest-v1"


class UnreadableToken(ValueError):
    """No configured key decrypts the token (a key was removed too early, or the token is damaged)."""


@lru_cache(maxsize=32)
def _derive(secret: str, info: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info)
    return hkdf.derive(secret.encode())


def encryption_secrets() -> list[str]:
    """The configured encryption secrets, newest first (without duplicates)."""
    newest = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    older = getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", None) or []
    if isinstance(older, str):
        older = [part.strip() for part in older.split(",")]
    return list(dict.fromkeys([newest, *(k for k in older if k)]))


def digest_secret() -> str:
    """The secret keying look-up digests: its own setting; outside production the encryption key's."""
    return (getattr(settings, "FIELD_DIGEST_KEY", "") or getattr(settings, "FIELD_ENCRYPTION_KEY", "")
            or settings.SECRET_KEY)


@lru_cache(maxsize=32)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, _ENCRYPTION_INFO)))


@lru_cache(maxsize=8)
def _multi_for(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(s) for s in secrets])


def _multi() -> MultiFernet:
    # Keyed by the configured secrets, so a changed setting (a rotation, a test) takes effect at once.
    return _multi_for(tuple(encryption_secrets()))


def encrypt_text(text: str) -> str:
    """``text`` encrypted under the newest key (ASCII token; equal texts give different tokens)."""
    return _multi().encrypt(text.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    """The text of a token made under any configured key; raises ``UnreadableToken`` otherwise."""
    try:
        return _multi().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise UnreadableToken("the token cannot be decrypted with the configured keys") from exc


def rotate_token(token: str) -> str:
    """The same text under the newest key (the token's original timestamp is kept)."""
    try:
        return _multi().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise UnreadableToken("the token cannot be decrypted with the configured keys") from exc


def is_current(token: str) -> bool:
    """True when the newest key alone decrypts the token (nothing to rotate)."""
    try:
        _fernet(encryption_secrets()[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def keyed_digest(value: str) -> str:
    """HMAC-SHA256 (hex) of ``value`` under the digest key: equal values, equal digests; without the key
    nobody can test guesses (the NIK space is small enough to enumerate a plain hash)."""
    key = _derive(digest_secret(), _DIGEST_INFO)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def keyed_reference(kind: str, value: str, *, length: int = 16) -> str:
    """A short pseudonym such as ``phone:3f9a…`` for records that must not hold the value itself (the
    audit chain): the same value always gives the same reference, and nobody without the key can
    reverse it or confirm a guess."""
    return f"{kind}:{keyed_digest(f'{kind}:{value}')[:length]}"
