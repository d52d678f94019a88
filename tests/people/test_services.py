"""Citizen accounts for one-time-code sign-in; granting and revoking staff roles; API clients."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.agencies.models import Agency
from balai.people.models import ContactChannel, User
from balai.people.permissions import has_permission
from balai.people.services import (
    citizen_get_or_create,
    client_application_create,
    client_application_for_key,
    client_application_revoke,
    membership_grant,
    membership_revoke,
)
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_citizen_by_phone_is_created_once_whatever_the_spelling():
    first = citizen_get_or_create(phone="0812-3456-7890", full_name=" Siti ", language="en")
    assert first.phone == "+6281234567890" and first.email is None
    assert first.full_name == "Siti" and first.preferred_language == "en"
    assert first.preferred_channel == ContactChannel.SMS
    assert not first.has_usable_password() and not first.is_staff
    assert citizen_get_or_create(phone="+62 812 3456 7890") == first
    assert citizen_get_or_create(phone="6281234567890") == first
    assert User.objects.count() == 1


def test_citizen_by_email_is_case_insensitive():
    first = citizen_get_or_create(email=" Siti@Example.ID ")
    assert first.email == "siti@example.id"
    assert first.preferred_channel == ContactChannel.EMAIL
    assert citizen_get_or_create(email="SITI@example.id") == first


def test_existing_account_is_not_given_an_unproven_identifier():
    by_email = citizen_get_or_create(email="siti@example.id")
    assert citizen_get_or_create(email="siti@example.id", phone="0812-3456-7890") == by_email
    by_email.refresh_from_db()
    assert by_email.phone is None


def test_identifiers_of_two_accounts_conflict():
    citizen_get_or_create(email="siti@example.id")
    citizen_get_or_create(phone="0812-3456-7890")
    with pytest.raises(ValidationError) as info:
        citizen_get_or_create(email="siti@example.id", phone="0812-3456-7890")
    assert info.value.code == "conflict"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"email": "  "}, {"phone": "0812-abc"}, {"email": "not-an-address"}, {"phone": "0812", "email": ""}],
)
def test_bad_contacts_are_refused(kwargs):
    with pytest.raises(ValidationError):
        citizen_get_or_create(**kwargs)
    assert not User.objects.exists()


def test_channel_and_language_choices():
    user = citizen_get_or_create(phone="0812-3456-7890", channel="whatsapp", language="xx")
    assert user.preferred_channel == "whatsapp" and user.preferred_language == "id"
    with pytest.raises(ValidationError):
        citizen_get_or_create(phone="0813-3456-7890", channel="pigeon")


def test_grant_makes_staff_and_takes_effect_at_once_then_revoke():
    user = UserFactory()
    unit = UnitFactory()
    assert not has_permission(user, "agency.manage_units", unit.agency)  # memoised: empty
    membership = membership_grant(user=user, unit=unit, role="admin")
    assert user.is_staff
    assert has_permission(user, "agency.manage_units", unit.agency)  # cache cleared by the grant
    again = membership_grant(user=user, unit=unit, role="admin")
    assert again.pk == membership.pk
    membership_revoke(membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active
    fresh = User.objects.get(pk=user.pk)
    assert not has_permission(fresh, "agency.manage_units", unit.agency)
    assert membership_grant(user=fresh, unit=unit, role="admin").is_active  # re-activated


def test_actor_needs_manage_members_on_the_agency():
    unit = UnitFactory()
    agency_admin = MembershipFactory(unit=unit, role="admin").user
    operator = MembershipFactory(unit=unit, role="operator").user
    target = UserFactory()
    membership = membership_grant(user=target, unit=unit, role="operator", actor=agency_admin)
    with pytest.raises(PermissionDenied):
        membership_grant(user=target, unit=UnitFactory(), role="operator", actor=agency_admin)
    with pytest.raises(PermissionDenied):
        membership_revoke(membership=membership, actor=operator)
    membership_revoke(membership=membership, actor=agency_admin)


def test_inspector_only_in_the_inspectorate_and_unknown_roles_refused():
    user = UserFactory()
    with pytest.raises(ValidationError):
        membership_grant(user=user, unit=UnitFactory(), role="inspector")
    with pytest.raises(ValidationError):
        membership_grant(user=user, unit=UnitFactory(), role="wizard")
    inspectorate = UnitFactory(agency=AgencyFactory(kind=Agency.Kind.INSPEKTORAT))
    assert membership_grant(user=user, unit=inspectorate, role="inspector").role == "inspector"


def test_client_application_keys():
    client, key = client_application_create(name="Aplikasi Kota", scopes=["cases:read"])
    assert key.startswith(f"blk_{client.key_prefix}_")
    assert key not in client.key_hash
    assert client_application_for_key(key) == client
    assert client_application_for_key(key + "x") is None
    assert client_application_for_key("blk_nothing_here") is None
    assert client_application_for_key("") is None
    client_application_revoke(client=client)
    assert client_application_for_key(key) is None


def test_privilege_services_record_changes_only_and_never_contact_details():
    from balai.audit.models import AuditRecord
    from balai.people.services import client_application_update

    root = StaffFactory(is_superuser=True)
    app, _key = client_application_create(name="Aplikasi Kota", contact_email="kontak@kota.go.id", actor=root)
    agency = AgencyFactory()
    client_application_update(client=app, actor=root, name="Aplikasi Kota", contact_email="baru@kota.go.id",
                              agency=agency, scopes=["cases:read"], rate_limit_per_minute=60)
    record = AuditRecord.objects.get(action="client.update")
    assert record.data["agency_id"] == [None, agency.pk] and record.data["scopes"] == [[], ["cases:read"]]
    assert record.data["contact_email"] == "changed" and "kota.go.id" not in str(record.data)
    app.refresh_from_db()
    assert app.agency == agency and app.contact_email == "baru@kota.go.id"
    client_application_update(client=app, actor=root, name="Aplikasi Kota", contact_email="baru@kota.go.id",
                              agency=agency, scopes=["cases:read"], rate_limit_per_minute=60)
    assert AuditRecord.objects.filter(action="client.update").count() == 1  # nothing changed, nothing written
    with pytest.raises(PermissionDenied):
        client_application_update(client=app, actor=MembershipFactory(role="admin").user, name="x",
                                  rate_limit_per_minute=100000)
    # A role granted twice is recorded once.
    unit = UnitFactory()
    user = UserFactory()
    membership_grant(user=user, unit=unit, role="operator", actor=root)
    membership_grant(user=user, unit=unit, role="operator", actor=root)
    assert AuditRecord.objects.filter(action="membership.grant").count() == 1


def test_nobody_demotes_or_deactivates_themselves_through_the_service():
    from balai.people.services import user_set_access

    root = StaffFactory(is_superuser=True)
    for flags in ({"is_superuser": False}, {"is_active": False}):
        with pytest.raises(ValidationError):
            user_set_access(actor=root, user=root, **flags)
    root.refresh_from_db()
    assert root.is_superuser and root.is_active
    other = StaffFactory(is_superuser=True)
    assert user_set_access(actor=root, user=other, is_superuser=False) == ["user.superuser.revoke"]


def test_a_staff_tokens_user_never_changes_and_only_a_new_expiry_is_recorded():
    from datetime import timedelta

    from django.utils import timezone

    from balai.api.services import staff_token_create, staff_token_update
    from balai.audit.models import AuditRecord

    officer, root = StaffFactory(), StaffFactory(is_superuser=True)
    token, _key = staff_token_create(user=officer, name="skrip", actor=root)
    token.user = root  # as a tampered form would
    staff_token_update(token=token, name="skrip baru", expires_at=None, actor=root)
    token.refresh_from_db()
    assert token.user == officer and token.name == "skrip baru"
    assert not AuditRecord.objects.filter(action="staff_token.update").exists()
    staff_token_update(token=token, name="skrip baru", expires_at=timezone.now() + timedelta(days=7), actor=root)
    assert AuditRecord.objects.filter(action="staff_token.update").count() == 1
    with pytest.raises(PermissionDenied):
        staff_token_create(user=officer, name="x", actor=officer)
