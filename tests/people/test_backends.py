"""Sign in by e-mail or by phone number (EmailOrPhoneBackend, behind django-axes)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-demo-123"


@pytest.fixture
def request_():
    return RequestFactory().post("/admin/login/")


@pytest.fixture
def user():
    return UserFactory(email="Siti.Rahma@Example.go.id", phone="+6281234567890")


@pytest.mark.parametrize(
    "login", ["Siti.Rahma@Example.go.id", "siti.rahma@example.go.id", " SITI.RAHMA@EXAMPLE.GO.ID "]
)
def test_login_by_email_any_case(request_, user, login):
    assert authenticate(request_, username=login, password=PASSWORD) == user


@pytest.mark.parametrize("login", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_login_by_phone_any_spelling(request_, user, login):
    assert authenticate(request_, username=login, password=PASSWORD) == user


def test_wrong_password_unknown_login_and_junk(request_, user):
    assert authenticate(request_, username="0812-3456-7890", password="salah-sekali-123") is None
    assert authenticate(request_, username="nobody@example.go.id", password=PASSWORD) is None
    assert authenticate(request_, username="0813-0000-0000", password=PASSWORD) is None
    assert authenticate(request_, username="not a login", password=PASSWORD) is None
    assert authenticate(request_, username="", password=PASSWORD) is None


def test_inactive_user_cannot_sign_in(request_, user):
    user.is_active = False
    user.save()
    assert authenticate(request_, username="0812-3456-7890", password=PASSWORD) is None


def test_user_without_usable_password_cannot_sign_in_with_one(request_):
    citizen = UserFactory(email="warga@example.id", password=None)
    citizen.set_unusable_password()
    citizen.save()
    assert authenticate(request_, username="warga@example.id", password="") is None
    assert authenticate(request_, username="warga@example.id", password="anything-at-all") is None


def test_staff_sign_in_accepts_a_phone_number(client, user):
    from tests.factories import MembershipFactory

    user.is_staff = True
    user.save()
    MembershipFactory(user=user)
    response = client.post("/kantor/masuk/", {"username": "0812 3456 7890", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
