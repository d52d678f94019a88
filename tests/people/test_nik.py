"""NIK validation (docs/regulations.md §6) and storage that a database dump does not reveal."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from balai.people.nik import (
    PROVINCE_CODES,
    decrypt_nik,
    encrypt_nik,
    find_users_by_nik,
    mask_nik,
    nik_digest,
    set_user_nik,
    user_nik,
    validate_nik,
)
from tests.factories import UserFactory

TODAY = date(2026, 6, 1)
MALE = "6472011508900001"  # Samarinda (64.72.01), 15 Aug 1990, male, serial 0001
FEMALE = "6472015508900002"  # day 55 = 15 + 40: female


def codes(value: str) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validate_nik(value, today=TODAY)
    return [error.code for error in info.value.error_list]


def test_valid_male():
    info = validate_nik(MALE, today=TODAY)
    assert (info.province, info.regency, info.district) == ("64", "64.72", "64.72.01")
    assert info.birth_date == date(1990, 8, 15)
    assert info.sex == "M" and not info.is_female
    assert info.serial == "0001"


def test_valid_female_day_plus_40():
    info = validate_nik(FEMALE, today=TODAY)
    assert info.birth_date == date(1990, 8, 15)
    assert info.sex == "F" and info.is_female


def test_spaces_grouping_digits_are_accepted():
    assert validate_nik(" 6472 0115 0890 0001 ", today=TODAY).nik == MALE


@pytest.mark.parametrize("value", ["647201150890001", "64720115089000011", ""])
def test_wrong_length(value):
    assert codes(value) == ["nik_length"]


@pytest.mark.parametrize(
    "value", ["64720115089000A1", "6472-0115-0890-01", "６４７２０１１５０８９００００１"]
)
def test_letters_and_other_characters(value):
    assert codes(value) == ["nik_digits"]


@pytest.mark.parametrize(
    "value", ["9972011508900001", "0072011508900001", "6672011508900001", "2072011508900001"]
)
def test_unknown_province(value):
    assert codes(value) == ["nik_province"]


@pytest.mark.parametrize(
    "value",
    [
        "6472013102900001",  # 31 February
        "6472017201900001",  # day 72 for a woman = 32
        "6472010013900001",  # month 13
        "6472010000900001",  # day 0, month 0
        "6472014001900001",  # day 40: neither a day for a man (> 31) nor for a woman (0)
        "6472012902010001",  # 29 Feb 2001 (not a leap year)
        "6472016902010001",  # 29 Feb 2001 for a woman
    ],
)
def test_impossible_date(value):
    assert codes(value) == ["nik_date"]


def test_leap_day_is_accepted():
    assert validate_nik("6472012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    assert validate_nik("6472016902000001", today=TODAY).birth_date == date(2000, 2, 29)


def test_serial_0000():
    assert codes("6472011508900000") == ["nik_serial"]


@pytest.mark.parametrize("value", ["6404011508900001", "6405021508900001", "6473011508900001"])
def test_old_north_kalimantan_era_regency_code_is_accepted(value):
    """64.04 Bulungan, 64.05 Malinau, 64.73 Tarakan moved to North Kalimantan (65) in 2012; NIKs
    issued before keep their 64xx prefix."""
    info = validate_nik(value, today=TODAY)
    assert info.province == "64"
    assert info.regency == f"64.{value[2:4]}"


def test_century_is_chosen_so_the_birth_date_is_not_in_the_future():
    assert validate_nik("6472010101200001", today=TODAY).birth_date == date(2020, 1, 1)
    assert validate_nik("6472010106260001", today=TODAY).birth_date == date(2026, 6, 1)  # today
    assert validate_nik("6472010206260001", today=TODAY).birth_date == date(1926, 6, 2)  # tomorrow → 1926
    assert validate_nik("6472010101300001", today=TODAY).birth_date == date(1930, 1, 1)


def test_province_list_is_the_38_current_provinces():
    assert len(PROVINCE_CODES) == 38
    assert {"64", "65", "96"} <= PROVINCE_CODES


def test_messages_are_translated_and_never_contain_the_nik():
    with translation.override("id"):
        with pytest.raises(ValidationError) as info:
            validate_nik("6472011508900000")
        text = " ".join(info.value.messages)
    assert "0000" in text and "6472011508900000" not in text
    with translation.override("id"):
        with pytest.raises(ValidationError) as info:
            validate_nik("123")
        assert "16" in info.value.messages[0]
        assert info.value.messages[0] != "A NIK has exactly 16 digits; this one has 3."


def test_mask():
    assert mask_nik(MALE) == "6472••••••••0001"
    assert MALE not in mask_nik(MALE)


# --- storage ----------------------------------------------------------------------------------------


def test_encrypt_round_trip_and_fresh_iv():
    token = encrypt_nik(MALE)
    assert MALE not in token
    assert decrypt_nik(token) == MALE
    assert encrypt_nik(MALE) != token  # equal NIKs do not give equal tokens


def test_decrypt_with_another_key_fails():
    token = encrypt_nik(MALE)
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-entirely-0123456789abcdef"):
        with pytest.raises(ValueError):
            decrypt_nik(token)


def test_digest_is_keyed_and_separate_from_encryption():
    digest = nik_digest(MALE)
    assert len(digest) == 64 and MALE not in digest
    assert nik_digest("6472 0115 0890 0001") == digest
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-entirely-0123456789abcdef"):
        assert nik_digest(MALE) != digest


@pytest.mark.django_db
def test_database_row_does_not_contain_the_plain_nik():
    user = UserFactory()
    set_user_nik(user, MALE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_user WHERE id = %s", [user.pk])
        row = cursor.fetchone()
    assert row is not None
    assert not any(MALE in str(value) for value in row)
    user.refresh_from_db()
    assert user_nik(user) == MALE
    assert user.nik_digest == nik_digest(MALE)


@pytest.mark.django_db
def test_find_users_by_nik():
    holder, other = UserFactory(), UserFactory()
    set_user_nik(holder, MALE)
    set_user_nik(other, FEMALE)
    assert list(find_users_by_nik("6472 0115 0890 0001")) == [holder]
    assert list(find_users_by_nik(FEMALE)) == [other]
    assert not find_users_by_nik("6472011508900009").exists()
    assert not find_users_by_nik("").exists()


@pytest.mark.django_db
def test_set_user_nik_rejects_invalid_and_keeps_the_old_value():
    user = UserFactory()
    set_user_nik(user, MALE)
    with pytest.raises(ValidationError):
        set_user_nik(user, "6472011508900000")
    user.refresh_from_db()
    assert user_nik(user) == MALE
    set_user_nik(user, "")
    user.refresh_from_db()
    assert user.nik_encrypted == "" and user.nik_digest == ""
