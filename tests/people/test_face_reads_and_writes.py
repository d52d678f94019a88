"""People reads and writes the faces call instead of querying (ADR 0030)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.people.data_requests import data_request_create
from balai.people.models import DataRequest, User
from balai.people.selectors import (
    citizen_accounts,
    citizen_by_phone,
    data_requests_of,
    recent_change_requests,
)
from balai.people.services import citizen_profile_update
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_citizen_accounts_by_phone_or_email_leave_out_staff_and_inactive():
    citizen = UserFactory(email="Warga@Contoh.id", phone="+6281200000001")
    StaffFactory(email="petugas@contoh.id", phone="+6281200000002")
    UserFactory(email="lama@contoh.id", phone="+6281200000003", is_active=False)
    assert citizen_accounts(phone="+6281200000001") == [citizen]
    assert citizen_accounts(email="warga@contoh.ID") == [citizen]
    assert citizen_accounts(phone="+6281200000002") == [] and citizen_accounts(email="lama@contoh.id") == []
    assert citizen_accounts() == []  # no address: nobody, not everybody


def test_profile_update_changes_only_name_language_and_channel():
    user = UserFactory(full_name="Lama", preferred_language="id", preferred_channel="sms")
    citizen_profile_update(user=user, full_name="  Siti Baru ", preferred_language="en", preferred_channel="email")
    stored = User.objects.get(pk=user.pk)
    assert (stored.full_name, stored.preferred_language, stored.preferred_channel) == ("Siti Baru", "en", "email")
    with pytest.raises(ValueError):
        citizen_profile_update(user=user, full_name="x", preferred_language="fr", preferred_channel="email")
    with pytest.raises(ValueError):
        citizen_profile_update(user=user, full_name="x", preferred_language="id", preferred_channel="pigeon")
    assert User.objects.get(pk=user.pk).full_name == "Siti Baru"


def test_data_requests_of_a_person():
    user = UserFactory()
    now = timezone.now()
    access = data_request_create(user=user, kind=DataRequest.Kind.ACCESS, completed=True, at=now - timedelta(days=3))
    correction = data_request_create(user=user, kind=DataRequest.Kind.CORRECTION, at=now - timedelta(days=2))
    deletion = data_request_create(user=user, kind=DataRequest.Kind.DELETION, at=now - timedelta(days=1))
    data_request_create(user=UserFactory(), kind=DataRequest.Kind.DELETION)
    assert data_requests_of(user) == [access, correction, deletion]
    assert recent_change_requests(user) == [deletion, correction]
    assert recent_change_requests(user, limit=1) == [deletion]


def test_citizen_by_phone_is_the_one_active_citizen_with_that_number():
    citizen = UserFactory(phone="+6281200000001")
    StaffFactory(phone="+6281200000002")
    UserFactory(phone="+6281200000003", is_active=False)
    found = citizen_by_phone("+6281200000001")
    assert found == citizen and found.phone == "+6281200000001" and found.full_name == citizen.full_name
    assert citizen_by_phone("+6281200000002") is None and citizen_by_phone("+6281200000003") is None
    assert citizen_by_phone("+6281200000009") is None and citizen_by_phone("") is None
    assert citizen_accounts(phone="+6281200000001", limit=0) == []
