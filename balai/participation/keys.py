"""How a participant is named without being stored: keyed digests (docs/regulations.md §5, §12).

The same NIK, phone number or account always gives the same key within Balai, and nobody without the
digest key can reverse one or test a guess. Different kinds never collide (the kind is in the input).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from balai.people.field_crypto import keyed_digest
from balai.people.nik import clean_nik_input, validate_nik
from balai.people.phone import PhoneError, normalize_phone


def nik_key(nik: str) -> str:
    """The key of a valid NIK; raises ValidationError for an invalid one."""
    info = validate_nik(clean_nik_input(nik))
    return "nik:" + keyed_digest(f"participation:nik:{info.nik}")


def phone_key(phone: str) -> str:
    """The key of a phone number (normalised first, so 0812…, +62812… and 62812… are the same person)."""
    try:
        normalized = normalize_phone(phone)
    except PhoneError as exc:
        raise ValidationError(exc.message, code=f"phone_{exc.code}") from exc
    return "phone:" + keyed_digest(f"participation:phone:{normalized}")


def user_key(user_id: int) -> str:
    return "user:" + keyed_digest(f"participation:user:{user_id}")
