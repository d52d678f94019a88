"""Every privilege change lands in the audit chain with the right action and target, whichever surface
made it: Django admin, /kantor/, a management command (there is no API that changes privileges: staff
tokens and client keys are made in the admin or by a superuser's command only). The actor is recorded
pseudonymously: no name, phone or e-mail in `actor_label`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.api.models import StaffToken
from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.office import auth as office_auth
from balai.people.models import ClientApplication, Membership, User
from balai.people.services import client_application_create
from tests.factories import MembershipFactory, StaffFactory, UnitFactory, UserFactory
from tests.office.conftest import totp_token
from tests.otp import totp_device, verified_login
from tests.security.helpers import PASSWORD, agency_admin, superuser, user_change_data

pytestmark = pytest.mark.django_db


def records(action: str, target) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action, target_type=target._meta.label_lower,
                                           target_id=str(target.pk)))


def one(action: str, target, *, actor=None, via: str = "") -> AuditRecord:
    found = records(action, target)
    assert len(found) == 1, (action, [r.action for r in AuditRecord.objects.all()])
    record = found[0]
    if actor is not None:
        assert record.actor_id == actor.pk and record.actor_label == f"user:{actor.pk}"
    if via:
        assert record.data.get("via") == via
    return record


@pytest.fixture(autouse=True)
def _no_personal_data_in_actor_labels():
    yield
    people = User.objects.all()
    markers = [m for u in people for m in (u.email, u.phone, u.full_name) if m]
    for label in AuditRecord.objects.values_list("actor_label", flat=True):
        assert not any(marker in label for marker in markers), label
    assert verify_chain().ok


@pytest.fixture
def root(client):
    user = superuser()
    verified_login(client, user)
    return user


# --- Django admin -------------------------------------------------------------------------------------


def test_admin_flag_changes(client, root):
    person = StaffFactory()
    url = reverse("admin:people_user_change", args=[person.pk])
    assert client.post(url, user_change_data(person, is_superuser="on")).status_code == 302
    one("user.superuser.grant", person, actor=root, via="admin")
    person.refresh_from_db()
    assert client.post(url, user_change_data(person, is_superuser=None, is_staff=None,
                                             is_active=None)).status_code == 302
    for action in ("user.superuser.revoke", "user.staff.revoke", "user.deactivate"):
        one(action, person, actor=root, via="admin")
    # Saving without a change of flags writes no flag record.
    person.refresh_from_db()
    before = AuditRecord.objects.count()
    assert client.post(url, user_change_data(person, full_name="Nama Baru")).status_code == 302
    assert AuditRecord.objects.count() == before


def test_admin_groups_and_permissions(client, root):
    person = StaffFactory()
    group = Group.objects.create(name="penyunting katalog")
    perm = Permission.objects.get(codename="change_service")
    data = user_change_data(person, groups=[group.pk], user_permissions=[perm.pk])
    assert client.post(reverse("admin:people_user_change", args=[person.pk]), data).status_code == 302
    record = one("user.permissions.set", person, actor=root, via="admin")
    assert record.data["permissions_added"] == ["catalog.change_service"]
    assert record.data["groups_added"] == [group.pk]
    assert set(person.user_permissions.all()) == {perm}


def test_admin_user_creation_with_staff_flag(client, root):
    response = client.post(reverse("admin:people_user_add"), {
        "email": "petugas@example.go.id", "phone": "", "full_name": "Petugas", "nik": "",
        "password1": "", "password2": "", "preferred_language": "id", "preferred_channel": "email",
        "is_staff": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302
    person = User.objects.get(email="petugas@example.go.id")
    one("user.create", person, actor=root, via="admin")
    one("user.staff.grant", person, actor=root, via="admin")


def test_admin_password_reset_and_own_password_change(client, root):
    person = StaffFactory()
    response = client.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                           {"password1": "kata-sandi-baru-2026", "password2": "kata-sandi-baru-2026",
                            "usable_password": "true"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("kata-sandi-baru-2026")
    one("user.password.reset", person, actor=root, via="admin")
    response = client.post(reverse("admin:password_change"), {
        "old_password": PASSWORD, "new_password1": "sandi-super-baru-2026", "new_password2": "sandi-super-baru-2026"})
    assert response.status_code == 302
    one("user.password.change", root, actor=root, via="admin")


def test_admin_second_factor_reset(client, root):
    person = StaffFactory()
    totp_device(person)
    office_auth.new_backup_codes(person)
    response = client.post(reverse("admin:people_user_changelist"),
                           {"action": "reset_second_factor", "_selected_action": [person.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    record = one("user.second_factor.reset", person, actor=root, via="admin")
    assert record.data["devices"] == 2


def test_admin_memberships(client, root):
    person = UserFactory()
    unit = UnitFactory()
    response = client.post(reverse("admin:people_membership_add"),
                           {"user": person.pk, "unit": unit.pk, "role": "verifier", "is_active": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    record = one("membership.grant", membership, actor=root, via="admin")
    assert record.data["role"] == "verifier" and record.data["made_staff"] is True
    response = client.post(reverse("admin:people_membership_change", args=[membership.pk]), {})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    one("membership.revoke", membership, actor=root, via="admin")


def test_admin_client_keys_scopes_and_rate_limits(client, root):
    response = client.post(reverse("admin:people_clientapplication_add"), {
        "name": "Sistem Kabupaten", "contact_email": "", "scopes": '["catalog:read"]',
        "rate_limit_per_minute": "60", "is_active": "on"})
    assert response.status_code == 302
    app = ClientApplication.objects.get()
    assert one("client.create", app, actor=root, via="admin").data["scopes"] == ["catalog:read"]
    response = client.post(reverse("admin:people_clientapplication_change", args=[app.pk]), {
        "name": "Sistem Kabupaten", "contact_email": "", "scopes": '["catalog:read", "cases:submit"]',
        "rate_limit_per_minute": "600", "is_active": "on"})
    assert response.status_code == 302
    record = one("client.update", app, actor=root, via="admin")
    assert record.data["rate_limit_per_minute"] == [60, 600]
    assert record.data["scopes"] == [["catalog:read"], ["cases:submit", "catalog:read"]]
    response = client.post(reverse("admin:people_clientapplication_changelist"),
                           {"action": "revoke_keys", "_selected_action": [app.pk]})
    assert response.status_code == 302
    one("client.revoke", app, actor=root, via="admin")
    # A revoked key cannot be switched back on.
    response = client.post(reverse("admin:people_clientapplication_change", args=[app.pk]), {
        "name": "Sistem Kabupaten", "contact_email": "", "scopes": "[]", "rate_limit_per_minute": "60",
        "is_active": "on"})
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.revoked_at is not None and not app.is_active


def test_admin_staff_tokens(client, root):
    officer = StaffFactory()
    response = client.post(reverse("admin:api_stafftoken_add"), {"user": officer.pk, "name": "skrip"})
    assert response.status_code == 302
    token = StaffToken.objects.get()
    assert one("staff_token.create", token, actor=root, via="admin").data["user"] == officer.pk
    expiry = timezone.localtime() + timedelta(days=30)
    response = client.post(reverse("admin:api_stafftoken_change", args=[token.pk]), {
        "name": "skrip", "expires_at_0": expiry.strftime("%Y-%m-%d"), "expires_at_1": "08:00:00",
        "user": root.pk})  # the user cannot be changed
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.user == officer and token.expires_at is not None
    one("staff_token.update", token, actor=root, via="admin")
    response = client.post(reverse("admin:api_stafftoken_changelist"),
                           {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    one("staff_token.revoke", token, actor=root, via="admin")


def test_tokens_only_for_staff_in_the_admin(client, root):
    citizen = UserFactory()
    response = client.post(reverse("admin:api_stafftoken_add"), {"user": citizen.pk, "name": "x"})
    assert response.status_code == 200 and not StaffToken.objects.exists()


# --- /kantor/ ----------------------------------------------------------------------------------------------


def test_kantor_grant_revoke_and_second_factor_reset(client):
    unit = UnitFactory()
    adm = agency_admin(unit)
    verified_login(client, adm)
    url = reverse("office:agency_members") + f"?instansi={unit.agency_id}"
    response = client.post(url, {"op": "grant", "login": "baru@example.go.id", "full_name": "Petugas Baru",
                                 "unit": unit.pk, "role": "operator"})
    assert response.status_code == 302
    person = User.objects.get(email="baru@example.go.id")
    one("user.create", person, actor=adm, via="kantor")
    membership = Membership.objects.get(user=person)
    assert one("membership.grant", membership, actor=adm, via="kantor").data["made_staff"] is True
    totp_device(person)
    assert client.post(url, {"op": "reset_second_factor", "user": person.pk}).status_code == 302
    one("user.second_factor.reset", person, actor=adm, via="kantor")
    assert client.post(url, {"op": "revoke", "membership": membership.pk}).status_code == 302
    one("membership.revoke", membership, actor=adm, via="kantor")


def test_kantor_refused_role_leaves_no_account_behind(client):
    unit = UnitFactory()
    adm = agency_admin(unit)
    verified_login(client, adm)
    url = reverse("office:agency_members") + f"?instansi={unit.agency_id}"
    response = client.post(url, {"op": "grant", "login": "baru@example.go.id", "full_name": "Petugas Baru",
                                 "unit": unit.pk, "role": "inspector"})
    assert response.status_code == 400
    assert not User.objects.filter(email="baru@example.go.id").exists()


def test_own_enrolment_and_new_backup_codes(client):
    officer = MembershipFactory(role="operator").user
    response = client.post(reverse("office:login"), {"username": officer.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("office:otp_enrol"))
    client.get(reverse("office:otp_enrol"))
    device = TOTPDevice.objects.get(user=officer)
    assert client.post(reverse("office:otp_enrol"), {"token": totp_token(device)}).status_code == 302
    one("user.second_factor.enrol", officer, actor=officer)
    assert len(records("user.backup_codes.renew", officer)) == 1
    assert client.post(reverse("office:backup_codes")).status_code == 200
    assert len(records("user.backup_codes.renew", officer)) == 2


# --- management commands -------------------------------------------------------------------------------


def test_createsuperuser_command(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "sandi-root-kedua-2026")
    call_command("createsuperuser", interactive=False, email="root2@example.go.id", verbosity=0)
    person = User.objects.get(email="root2@example.go.id")
    for action in ("user.create", "user.staff.grant", "user.superuser.grant"):
        record = one(action, person, via="command:createsuperuser")
        assert record.actor_id is None and record.actor_label == "system:command:createsuperuser"


def test_changepassword_command_finds_any_spelling(monkeypatch):
    person = StaffFactory(email="operator@example.go.id")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "sandi-dari-server-2026")
    call_command("changepassword", "OPERATOR@example.go.id", stdout=open("/dev/null", "w"))  # noqa: SIM115
    person.refresh_from_db()
    assert person.check_password("sandi-dari-server-2026")
    one("user.password.reset", person, via="command:changepassword")


def test_reset_second_factor_command():
    person = StaffFactory(phone="+6281347772198")
    totp_device(person)
    call_command("reset_second_factor", "0813-4777-2198", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not TOTPDevice.objects.filter(user=person).exists()
    one("user.second_factor.reset", person, via="command:reset_second_factor")


def test_user_access_command():
    person = StaffFactory()
    call_command("user_access", person.email, "--no-active", "--no-staff", stdout=open("/dev/null", "w"))  # noqa: SIM115
    person.refresh_from_db()
    assert not person.is_active and not person.is_staff
    one("user.deactivate", person, via="command:user_access")
    one("user.staff.revoke", person, via="command:user_access")


# --- services called without a face (demo loader, scripts) ------------------------------------------------


def test_services_without_an_actor_are_recorded_as_the_system():
    app, _key = client_application_create(name="Skrip", scopes=["catalog:read"])
    record = one("client.create", app)
    assert record.actor_id is None and record.actor_label == "system"
    from balai.api.services import staff_token_create

    token, _key = staff_token_create(user=StaffFactory(), name="skrip")
    one("staff_token.create", token)
