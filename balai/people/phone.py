"""Phone numbers, normalised to E.164 with `phonenumbers` (Indonesian numbers by default)."""

from __future__ import annotations

import re

import phonenumbers


def normalize_phone(raw: str, *, mobile_only: bool = False) -> str:
    """Return `raw` as E.164 (`+6281234567890`) or raise ValueError with a reason.

    Digits starting with `62` but no `+` are read as international (phonenumbers would read them as
    a local number: STACK.md gotcha 4).
    """
    text = (raw or "").strip()
    digits = re.sub(r"[^\d+]", "", text)
    if not digits:
        raise ValueError("empty")
    if digits.startswith("62") and not digits.startswith("+"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("unparseable") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("invalid")
    if mobile_only and number.country_code == 62:
        kind = phonenumbers.number_type(number)
        if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
            raise ValueError("not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
