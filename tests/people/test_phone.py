"""Phone normalisation to E.164 (docs/architecture.md, pitfalls)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from balai.people.phone import PhoneError, normalize_phone, validate_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "62 812-3456-7890",
        "(0812) 3456.7890",
        " 081234567890 ",
    ],
)
def test_mobile_number_spellings(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_longest_mobile_number_is_valid():
    assert normalize_phone("0812345678901") == "+62812345678901"


@pytest.mark.parametrize("raw", ["08123456789012", "+628123456789012", "62812345678901234"])
def test_too_long(raw):
    with pytest.raises(PhoneError) as info:
        normalize_phone(raw)
    assert info.value.code == "invalid"


@pytest.mark.parametrize("raw", ["0812", "12"])
def test_too_short(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890abc", "nomor saya 081234567890", "0812+34567890", "o8l2345678go"]
)
def test_letters_and_stray_characters(raw):
    with pytest.raises(PhoneError) as info:
        normalize_phone(raw)
    assert info.value.code == "characters"


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty(raw):
    with pytest.raises(PhoneError) as info:
        normalize_phone(raw)
    assert info.value.code == "empty"


def test_landline_is_valid_but_not_when_mobile_only():
    assert normalize_phone("(0541) 741234") == "+62541741234"  # Samarinda landline
    with pytest.raises(PhoneError) as info:
        normalize_phone("(0541) 741234", mobile_only=True)
    assert info.value.code == "not_mobile"
    assert normalize_phone("0812-3456-7890", mobile_only=True) == "+6281234567890"


def test_foreign_numbers_only_when_allowed():
    with pytest.raises(PhoneError) as info:
        normalize_phone("+44 7911 123456")
    assert info.value.code == "foreign"
    assert normalize_phone("+44 7911 123456", allow_foreign=True) == "+447911123456"


def test_phone_error_is_a_value_error_with_a_translated_message():
    with pytest.raises(ValueError):
        normalize_phone("abc")
    with translation.override("id"):
        with pytest.raises(ValidationError) as info:
            validate_phone("0812-3456-7890abc")
        message = str(info.value.messages[0])  # lazy: render it while Indonesian is active
    assert info.value.code == "phone_characters"
    assert "phone number contains only digits" not in message  # Indonesian, not the msgid
    assert "Nomor telepon" in message
