"""Sign-in lockout: one counter per account whatever the spelling, per source address, wider limits for
the account and the address as a whole, and a lock that refuses the right password AND the right code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from balai.people.lockout import lock_key, normalized_login
from tests.factories import MembershipFactory, StaffFactory
from tests.office.conftest import totp_device, totp_token

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-demo-123"  # tests/factories.py
WRONG = "salah-sekali-123"


@pytest.fixture
def officer():
    user = StaffFactory(email="operator@example.go.id", phone="+6281347772198")
    MembershipFactory(user=user, role="operator")
    totp_device(user)
    return user


def _password(client, login, password=PASSWORD, address="127.0.0.1"):
    return client.post(reverse("office:login"), {"username": login, "password": password}, REMOTE_ADDR=address)


def _code(client, token, address="127.0.0.1"):
    return client.post(reverse("office:otp"), {"token": token}, REMOTE_ADDR=address)


def _wrong_code(device) -> str:
    right = {totp_token(device, offset=n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def _wait_out_device_throttle(device) -> None:
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))


def _verified(client) -> bool:
    return client.get(reverse("office:queue")).status_code == 200


def test_the_lock_key_is_the_account_whatever_the_spelling(officer):
    key = f"user:{officer.pk}"
    spellings = ["operator@example.go.id", "Operator@example.go.id", "OPERATOR@EXAMPLE.GO.ID",
                 " oPerator@Example.go.id ", "0813-4777-2198", "+62 813 4777 2198"]
    assert {lock_key(s) for s in spellings} == {key}
    # No account: the normalised login (case-folded e-mail, E.164 phone), so spellings still share a counter.
    assert normalized_login("Nobody@Example.GO.id") == "nobody@example.go.id"
    assert lock_key("0812 9999 0000") == lock_key("+6281299990000") == "+6281299990000"


def test_spellings_share_five_tries_and_the_right_password_is_refused_once_locked(client, settings, officer):
    spellings = ["Operator@example.go.id", "OPERATOR@example.go.id", "oPerator@example.go.id",
                 "operator@EXAMPLE.go.id", "0813-4777-2198"]
    assert len(spellings) == settings.AXES_FAILURE_LIMIT
    for login in spellings[:-1]:
        assert _password(client, login, WRONG).status_code == 200
    assert _password(client, spellings[-1], WRONG).status_code == 429
    # Locked: the right password, in any spelling, is refused and signs nobody in.
    for login in ("operator@example.go.id", "Operator@example.go.id", "+6281347772198"):
        assert _password(client, login).status_code == 429
        assert "_auth_user_id" not in client.session


def test_a_right_code_after_the_lock_does_not_sign_in(client, settings, officer):
    device = totp_device(officer)
    assert _password(client, officer.email)["Location"].startswith(reverse("office:otp"))
    wrong = _wrong_code(device)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _code(client, wrong).status_code == 200
    assert _code(client, wrong).status_code == 429
    _wait_out_device_throttle(device)  # django-otp's own back-off (16 s after five failures) is over
    response = _code(client, totp_token(device))
    assert response.status_code in (302, 429) and not _verified(client)
    # Nor does starting over with the password.
    assert _password(client, officer.email).status_code == 429
    assert not _verified(client)


def test_a_half_signed_in_session_cannot_use_the_right_code_once_locked_elsewhere(client, settings, officer):
    """The password step succeeded, then the account got locked (wrong passwords typed meanwhile)."""
    device = totp_device(officer)
    _password(client, officer.email)
    from django.test import Client

    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(other, "OPERATOR@example.go.id", WRONG)
    assert _code(client, totp_token(device)).status_code == 429
    assert not _verified(client)


def test_the_password_alone_does_not_clear_failed_codes(client, settings, officer):
    device = totp_device(officer)
    wrong = _wrong_code(device)
    _password(client, officer.email)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _code(client, wrong).status_code == 200
    client.post(reverse("office:logout"))
    # A right password again, then one more wrong code: that is the fifth failure.
    assert _password(client, "Operator@example.go.id").status_code == 302
    assert _code(client, wrong).status_code == 429


def test_a_complete_sign_in_forgets_this_sources_failures(client, settings, officer):
    device = totp_device(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _password(client, officer.email, WRONG)
    _password(client, officer.email)
    assert _code(client, totp_token(device)).status_code == 302 and _verified(client)
    assert not AccessAttempt.objects.filter(username=f"user:{officer.pk}").exists()


def test_the_ordinary_lock_is_per_source_address(client, settings, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, officer.email, WRONG, address="198.51.100.7")
    assert _password(client, officer.email, address="198.51.100.7").status_code == 429
    # The officer at their own desk is not locked out by a stranger's five tries.
    assert _password(client, officer.email, address="203.0.113.20").status_code == 302


def test_guessing_spread_over_many_addresses_locks_the_account(client, settings, officer):
    settings.BALAI_LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    for n in range(7):
        assert _password(client, officer.email.upper(), WRONG, address=f"198.51.100.{n + 1}").status_code == 200
    assert _password(client, officer.email, WRONG, address="198.51.100.8").status_code == 429  # the 8th
    assert _password(client, officer.email, address="203.0.113.20").status_code == 429


def test_spraying_from_one_address_locks_that_address(client, settings):
    settings.BALAI_LOGIN_SOURCE_FAILURE_LIMIT = 6
    users = [StaffFactory() for _ in range(6)]
    for user in users[:-1]:
        assert _password(client, user.email, WRONG, address="198.51.100.9").status_code == 200
    assert _password(client, users[-1].email, WRONG, address="198.51.100.9").status_code == 429  # the 6th
    fresh = StaffFactory()
    MembershipFactory(user=fresh)
    assert _password(client, fresh.email, address="198.51.100.9").status_code == 429
    assert _password(client, fresh.email, address="203.0.113.20").status_code == 302


def test_the_lock_expires_after_the_cool_off(client, settings, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, officer.email, WRONG)
    assert _password(client, officer.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _password(client, officer.email).status_code == 302


def test_failures_are_stored_without_the_typed_e_mail(client, officer):
    _password(client, "Operator@Example.go.id", WRONG)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [f"user:{officer.pk}"]
