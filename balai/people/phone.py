"""Phone numbers, normalised to E.164 with `phonenumbers` (Indonesian numbers by default)."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What people type around the digits: spaces, dashes, dots, brackets, slashes, one leading "+".
_ALLOWED = re.compile(r"^\+?[\d\s\-./()]+$")

MESSAGES = {
    "empty": _("Enter a phone number."),
    "characters": _("A phone number contains only digits, spaces, dashes and a leading +."),
    "invalid": _("This is not a valid Indonesian phone number. Example: 0812-3456-7890."),
    "foreign": _("Enter an Indonesian phone number (+62)."),
    "not_mobile": _("Enter a mobile number (one that can receive SMS), for example 0812-3456-7890."),
}


class PhoneError(ValueError):
    """Why a number was refused: ``code`` is a key of ``MESSAGES``; ``message`` is translated."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def normalize_phone(raw: str, *, mobile_only: bool = False, allow_foreign: bool = False) -> str:
    """Return `raw` as E.164 (`+6281234567890`) or raise ``PhoneError`` (a ValueError) with a reason.

    Digits starting with `62` but no `+` are read as international (phonenumbers would read them as
    a local number: docs/architecture.md, pitfalls). Validity is checked for the region (``is_valid_number_for_region``;
    ``is_possible_number`` accepts junk lengths). Foreign numbers only with ``allow_foreign``.
    """
    text = (raw or "").strip()
    if not text:
        raise PhoneError("empty")
    if not _ALLOWED.match(text):
        raise PhoneError("characters")
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise PhoneError("empty")
    if text.startswith("+"):
        digits = "+" + digits
    elif digits.startswith("62"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError("invalid") from exc
    if number.country_code != 62:
        if not allow_foreign:
            raise PhoneError("foreign")
        if not phonenumbers.is_valid_number(number):
            raise PhoneError("invalid")
    elif not phonenumbers.is_valid_number_for_region(number, "ID"):
        raise PhoneError("invalid")
    if mobile_only:
        kind = phonenumbers.number_type(number)
        if kind not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise PhoneError("not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(raw: str, *, mobile_only: bool = False, allow_foreign: bool = False) -> str:
    """Like ``normalize_phone`` but raises a translated ``ValidationError`` (for forms)."""
    try:
        return normalize_phone(raw, mobile_only=mobile_only, allow_foreign=allow_foreign)
    except PhoneError as exc:
        raise ValidationError(MESSAGES[exc.code], code=f"phone_{exc.code}") from None
