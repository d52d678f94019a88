"""The NIK (Nomor Induk Kependudukan): validation, and storage that a database dump does not reveal.

Layout (docs/regulations.md §6): ``PP KK CC DDMMYY SSSS`` — province, regency/city and district of first
registration; day of birth (+40 for women), month, two-digit year; serial from 0001.

We validate what is stable over time (length, digits, a known province, a plausible date, serial ≠ 0000)
and deliberately do NOT check the regency or district against today's list: a NIK keeps the codes of
where it was first issued, so older NIKs carry codes of regions since split (North Kalimantan NIKs with
64.04/64.05/64.06/64.10/64.73 prefixes). python-stdnum's NIK module is not used (outdated province table,
wrong century guess).

Storage: ``User.nik_encrypted`` holds a Fernet token (AES-128-CBC + HMAC), ``User.nik_digest`` a keyed
HMAC-SHA256 for equality look-ups; a NIK inside JSON (form answers, queued submissions, portal drafts) is
a sealed object with the same two parts (``seal_nik``). The encryption keys rotate, the digest key does
not (``balai.people.field_crypto``, ADR 0019). Never log a NIK, and never put one in an error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.people import field_crypto

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from balai.people.models import User

# The 38 province codes in force, Kepmendagri 300.2.2-2138/2025 (source: the open dataset
# shared/data/wilayah/wilayah.csv, cahyadsn/wilayah, MIT). Older NIKs never carry a province code
# outside this list: provinces created since 1999 took new codes and the old ones stayed.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",  # Sumatra, Riau Islands
        "31", "32", "33", "34", "35", "36",  # Java
        "51", "52", "53",  # Bali, Nusa Tenggara
        "61", "62", "63", "64", "65",  # Kalimantan
        "71", "72", "73", "74", "75", "76",  # Sulawesi
        "81", "82",  # Maluku
        "91", "92", "93", "94", "95", "96",  # Papua
    }
)  # fmt: skip

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40

MESSAGES = {
    "length": _("A NIK has exactly 16 digits; this one has %(count)d."),
    "digits": _("A NIK contains only digits (0–9)."),
    "province": _("The first two digits of the NIK (%(code)s) are not an Indonesian province code."),
    "date": _("Digits 7–12 of the NIK must be a real date of birth (day + 40 for women, month, year)."),
    "serial": _("The last four digits of a NIK (the serial number) cannot be 0000."),
}


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says. Region codes are dotted like ``Region.code`` ("64", "64.72", "64.72.01")."""

    nik: str
    province: str
    regency: str
    district: str
    birth_date: date
    sex: str  # "M" or "F"
    serial: str

    @property
    def is_female(self) -> bool:
        return self.sex == "F"


def clean_nik_input(value: object) -> str:
    """The NIK as typed, without surrounding whitespace and the spaces people use to group digits."""
    return re.sub(r"\s+", "", str(value or ""))


def validate_nik(value: str, *, today: date | None = None) -> NikInfo:
    """Validate a NIK (docs/regulations.md §6) and return what it encodes, or raise ``ValidationError``.

    The two-digit year takes the century that puts the birth date not in the future (relative to
    ``today``, by default the local date).
    """
    nik = clean_nik_input(value)
    if nik and (not nik.isascii() or not nik.isdigit()):
        raise ValidationError(MESSAGES["digits"], code="nik_digits")
    if len(nik) != NIK_LENGTH:
        raise ValidationError(MESSAGES["length"], code="nik_length", params={"count": len(nik)})
    province = nik[:2]
    if province not in PROVINCE_CODES:
        raise ValidationError(MESSAGES["province"], code="nik_province", params={"code": province})
    birth_date, sex = _birth_date(nik[6:12], today or timezone.localdate())
    serial = nik[12:]
    if serial == "0000":
        raise ValidationError(MESSAGES["serial"], code="nik_serial")
    return NikInfo(
        nik=nik,
        province=province,
        regency=f"{nik[0:2]}.{nik[2:4]}",
        district=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def _birth_date(ddmmyy: str, today: date) -> tuple[date, str]:
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    sex = "M"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = "F"
    year = 2000 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, month, day), sex
    except ValueError:
        raise ValidationError(MESSAGES["date"], code="nik_date") from None


def mask_nik(nik: str) -> str:
    """For display: the region prefix and the serial only (``6472••••••••0001``)."""
    nik = clean_nik_input(nik)
    if len(nik) != NIK_LENGTH:
        return "•" * 16
    return f"{nik[:4]}{'•' * 8}{nik[12:]}"


# --- storage ---------------------------------------------------------------------------------------
# Keys and their rotation: balai.people.field_crypto (ADR 0019).


def nik_digest(nik: str) -> str:
    """Keyed HMAC-SHA256 (hex) of the NIK, for equality look-ups; a plain hash could be brute-forced
    over the small NIK space, a keyed one cannot without the key."""
    return field_crypto.keyed_digest(clean_nik_input(nik))


def encrypt_nik(nik: str) -> str:
    """The NIK encrypted with Fernet under the newest key (a fresh IV each time, so equal NIKs give
    different tokens)."""
    return field_crypto.encrypt_text(clean_nik_input(nik))


def decrypt_nik(token: str) -> str:
    """The NIK from a token made by ``encrypt_nik`` under any configured key; raises ValueError for a bad
    token or when no configured key fits."""
    return field_crypto.decrypt_text(token)


# A NIK stored inside JSON (a form answer, a queued submission, a portal draft) is this small object, never
# the digits: the token to show it to whoever may see it, the digest to find it.
SEALED_TOKEN = "nik_encrypted"  # nosec B105 # a JSON key name, not a secret
SEALED_DIGEST = "nik_digest"


def seal_nik(raw: object) -> dict[str, str]:
    """A NIK as typed, for storage in JSON: ``{"nik_encrypted": token, "nik_digest": digest}``.

    Not validated (a portal draft keeps what was typed, valid or not); the digest is over the digits
    without spaces, dots and dashes, as ``validate_nik`` reads them.
    """
    text = str(raw or "")
    return {SEALED_TOKEN: field_crypto.encrypt_text(text), SEALED_DIGEST: nik_digest(_as_read(text))}


def _as_read(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def is_sealed_nik(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get(SEALED_TOKEN), str)


def unseal_nik(value: object) -> str:
    """The NIK inside a sealed value; raises ValueError when no configured key reads it."""
    if not is_sealed_nik(value):
        raise ValueError("not a sealed NIK")
    return field_crypto.decrypt_text(value[SEALED_TOKEN])  # type: ignore[index]


def sealed_is_current(value: dict) -> bool:
    """True when the newest key alone reads the token and the digest is under the current digest key;
    raises ValueError when no configured key reads it."""
    token = value[SEALED_TOKEN]
    text = field_crypto.decrypt_text(token)
    return field_crypto.is_current(token) and value.get(SEALED_DIGEST) == nik_digest(_as_read(text))


def reseal_nik(value: dict) -> dict[str, str]:
    """A sealed value under the newest encryption key and the current digest key (key rotation)."""
    token = field_crypto.rotate_token(value[SEALED_TOKEN])
    text = field_crypto.decrypt_text(token)
    return {SEALED_TOKEN: token, SEALED_DIGEST: nik_digest(_as_read(text))}


def set_user_nik(user: User, nik: str | None, *, save: bool = True) -> None:
    """Validate and store the user's NIK encrypted with its look-up digest; an empty value clears it.

    Raises ValidationError for an invalid NIK (nothing is changed then).
    """
    if not clean_nik_input(nik):
        user.nik_encrypted = ""
        user.nik_digest = ""
    else:
        info = validate_nik(nik or "")
        user.nik_encrypted = encrypt_nik(info.nik)
        user.nik_digest = nik_digest(info.nik)
    if save and user.pk:
        user.save(update_fields=["nik_encrypted", "nik_digest"])


def user_nik(user: User) -> str:
    """The user's NIK in plain text ('' if none). Callers showing it must have a reason to."""
    return decrypt_nik(user.nik_encrypted) if user.nik_encrypted else ""


def find_users_by_nik(nik: str) -> QuerySet[User]:
    """Users whose stored NIK equals ``nik`` (by digest; no decryption needed)."""
    from balai.people.models import User

    cleaned = clean_nik_input(nik)
    if not cleaned:
        return User.objects.none()
    return User.objects.filter(nik_digest=nik_digest(cleaned))
