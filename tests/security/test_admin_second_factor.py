"""Django admin needs the second factor, signs in only through /kantor/masuk/, and confers no power over
accounts, roles or keys to anyone but a superuser (an agency administrator manages members on /kantor/)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.people.models import ClientApplication, Membership, User
from tests.factories import (
    AgencyFactory,
    GovernmentFactory,
    MembershipFactory,
    RegionFactory,
    StaffFactory,
    UnitFactory,
)
from tests.office.conftest import totp_token
from tests.otp import totp_device, verified_login
from tests.security.helpers import PASSWORD, agency_admin, superuser, user_change_data

pytestmark = pytest.mark.django_db


def _half_signed_in(client, user):
    """Password typed at /kantor/masuk/, second-factor page not completed."""
    totp_device(user)
    response = client.post(reverse("office:login"), {"username": user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("office:otp"))
    return client


def _admin_urls() -> list[str]:
    """The index, and the list and add page of every registered model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return urls


def test_password_alone_opens_no_admin_page(client):
    root = superuser()
    _half_signed_in(client, root)
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    # The admin's sign-in page sends the half-signed-in user to the code page, keeping where they wanted to go.
    response = client.get(reverse("admin:login") + "?next=/admin/people/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:otp") + "?next=%2Fadmin%2Fpeople%2Fuser%2F"


def test_admin_login_takes_no_password(client):
    root = superuser()
    response = client.post(reverse("admin:login") + "?next=/admin/", {"username": root.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("office:login") + "?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_ignores_a_foreign_next(client):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response["Location"] == reverse("office:login") + "?next=%2Fadmin%2F"


def test_superuser_reaches_the_admin_after_password_and_code(client):
    root = superuser()
    device = totp_device(root)
    first = client.get(reverse("admin:index"))
    login = client.get(first["Location"])  # /admin/login/?next=/admin/ -> /kantor/masuk/?next=/admin/
    assert login["Location"] == reverse("office:login") + "?next=%2Fadmin%2F"
    response = client.post(login["Location"], {"username": root.email, "password": PASSWORD})
    assert response["Location"] == reverse("office:otp") + "?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"token": totp_token(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    with translation.override("id"):  # the English page activates English for this thread: restore it after
        assert client.get("/en/admin/people/user/").status_code == 200


def test_a_staff_token_does_not_open_the_admin(client):
    from balai.api.auth import staff_token_create

    _token, key = staff_token_create(user=superuser(), name="skrip")
    response = client.get(reverse("admin:index"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 302


# --- an agency administrator in the admin ------------------------------------------------------------


@pytest.fixture
def adm(client):
    user = agency_admin()
    verified_login(client, user)
    return user


def test_agency_admin_cannot_open_or_change_accounts(client, adm):
    root = superuser()
    own = reverse("admin:people_user_change", args=[adm.pk])
    assert client.get(own).status_code == 403
    response = client.post(own, user_change_data(adm, is_superuser="on"))
    assert response.status_code == 403
    adm.refresh_from_db()
    assert not adm.is_superuser
    assert client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 403
    response = client.post(reverse("admin:auth_user_password_change", args=[root.pk]),
                           {"password1": "diambil-alih-2026", "password2": "diambil-alih-2026",
                            "usable_password": "true"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
    assert client.get(reverse("admin:people_user_changelist")).status_code == 403
    assert client.post(reverse("admin:people_user_add"), {"email": "x@example.go.id", "is_staff": "on"}).status_code == 403
    assert not User.objects.filter(email="x@example.go.id").exists()


def test_agency_admin_cannot_grant_roles_groups_keys_or_tokens_in_the_admin(client, adm):
    other_unit = UnitFactory()
    response = client.post(reverse("admin:people_membership_add"),
                           {"user": adm.pk, "unit": other_unit.pk, "role": "admin", "is_active": "on"})
    assert response.status_code == 403
    assert not Membership.objects.filter(unit=other_unit).exists()
    assert client.post(reverse("admin:auth_group_add"), {"name": "semua"}).status_code == 403
    response = client.post(reverse("admin:people_clientapplication_add"),
                           {"name": "x", "scopes": '["cases:submit"]', "rate_limit_per_minute": "100000"})
    assert response.status_code == 403 and not ClientApplication.objects.exists()
    assert client.get(reverse("admin:api_stafftoken_add")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/people/user/" not in index and "/admin/auth/group/" not in index
    # Their agency's entries stay theirs to edit; data requests of every agency's citizens are a superuser's.
    assert client.get(reverse("admin:catalog_service_changelist")).status_code == 200
    assert client.get(reverse("admin:people_datarequest_changelist")).status_code == 403


def test_second_factor_devices_are_not_raw_admin_rows():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


# --- the same escalations through /kantor/ and the services ----------------------------------------------


def test_agency_admin_on_kantor_grants_only_inside_their_agency(client):
    unit = UnitFactory()
    adm = agency_admin(unit)
    verified_login(client, adm)
    other_agency_unit = UnitFactory(agency=AgencyFactory())
    url = reverse("office:agency_members") + f"?instansi={unit.agency_id}"
    # A unit of another agency is not among the choices; extra fields like is_superuser are ignored.
    response = client.post(url, {"op": "grant", "login": adm.email, "unit": other_agency_unit.pk, "role": "admin",
                                 "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 400
    assert not Membership.objects.filter(unit=other_agency_unit).exists()
    response = client.post(url, {"op": "grant", "login": adm.email, "unit": unit.pk, "role": "verifier",
                                 "is_superuser": "on"})
    assert response.status_code == 302
    adm.refresh_from_db()
    assert not adm.is_superuser
    # Asking for the other agency's page shows their own agency's (no unit of the other one to choose).
    response = client.get(reverse("office:agency_members") + f"?instansi={other_agency_unit.agency_id}")
    assert response.status_code == 200 and other_agency_unit.name_id not in response.content.decode()


def test_agency_admin_resets_second_factor_only_of_their_own_members(client):
    unit = UnitFactory()
    adm = agency_admin(unit)
    member = MembershipFactory(unit=unit, role="operator").user
    totp_device(member)
    root = superuser()
    MembershipFactory(user=root, unit=unit, role="operator")  # a superuser who also works in the unit
    totp_device(root)
    shared = MembershipFactory(unit=unit, role="operator").user  # also holds a role in another agency
    MembershipFactory(user=shared, unit=UnitFactory(), role="operator")
    totp_device(shared)
    verified_login(client, adm)
    url = reverse("office:agency_members") + f"?instansi={unit.agency_id}"
    page = client.get(url).content.decode()
    assert f'name="user" value="{member.pk}"' in page
    assert f'name="user" value="{root.pk}"' not in page and f'name="user" value="{shared.pk}"' not in page
    for target in (root, shared):
        assert client.post(url, {"op": "reset_second_factor", "user": target.pk}).status_code == 403
        assert TOTPDevice.objects.filter(user=target).exists()
    assert client.post(url, {"op": "reset_second_factor", "user": member.pk}).status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_only_a_superuser_creates_a_superuser_or_touches_one():
    from balai.people.services import (
        user_create,
        user_reset_second_factor,
        user_set_access,
        user_set_password,
    )

    adm = agency_admin()
    root = superuser()
    member = StaffFactory()
    with pytest.raises(PermissionDenied):
        user_create(actor=adm, email="baru@example.go.id", is_superuser=True)
    with pytest.raises(PermissionDenied):
        user_create(actor=adm, email="baru@example.go.id", is_staff=True)
    with pytest.raises(PermissionDenied):
        user_set_access(actor=adm, user=adm, is_superuser=True)
    with pytest.raises(PermissionDenied):
        user_set_access(actor=adm, user=member, is_staff=False)
    with pytest.raises(PermissionDenied):
        user_set_password(actor=adm, user=root, password="diambil-alih-2026")
    with pytest.raises(PermissionDenied):
        user_reset_second_factor(actor=adm, user=root)
    assert user_create(actor=root, email="kedua@example.go.id", is_superuser=True).is_superuser


def test_superuser_creates_a_superuser_in_the_admin(client):
    root = superuser()
    verified_login(client, root)
    response = client.post(reverse("admin:people_user_add"), {
        "email": "kedua@example.go.id", "phone": "", "full_name": "Kedua", "nik": "", "password1": "",
        "password2": "", "preferred_language": "id", "preferred_channel": "email", "is_staff": "on",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302
    new = User.objects.get(email="kedua@example.go.id")
    assert new.is_staff and not new.is_superuser
    response = client.post(reverse("admin:people_user_change", args=[new.pk]), user_change_data(new, is_superuser="on"))
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.is_superuser


def test_a_superuser_cannot_demote_or_deactivate_themselves_by_mistake(client):
    root = superuser()
    verified_login(client, root)
    url = reverse("admin:people_user_change", args=[root.pk])
    data = user_change_data(root)
    del data["is_superuser"]
    response = client.post(url, data)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    root.refresh_from_db()
    assert root.is_superuser


def test_no_api_route_changes_privileges():
    """Accounts, roles, keys and tokens are changed in the admin, on /kantor/ and by commands only. An API
    route about them must come with its audited service (balai.people.services, balai.api.services)."""
    from django.urls import get_resolver

    from balai.api.urls import v1

    routes = [str(p.pattern) for p in v1] + [str(p.pattern) for p in get_resolver("balai.api.open311.urls").url_patterns]
    assert routes and "staff/cases/<str:code>/transitions/" in routes
    words = ("user", "member", "role", "permission", "group", "client", "key", "password", "otp", "device")
    assert not [route for route in routes if any(word in route.lower() for word in words)]


def test_agency_admin_cannot_move_another_agencys_unit_into_their_own(client):
    """Reference-data rights in the admin are no back door to roles: moving another agency's unit (its
    cases and members) into one's own agency, or one's agency into another government, would let
    /kantor/ grant roles there. Which agency a unit, and which government an agency, belongs to is the
    superuser's to change (ADR 0015)."""
    unit = UnitFactory()
    adm = agency_admin(unit)
    verified_login(client, adm)
    foreign = UnitFactory(agency=AgencyFactory())
    response = client.post(reverse("admin:agencies_unit_change", args=[foreign.pk]), {
        "agency": unit.agency_id, "parent": "", "slug": foreign.slug, "kind": foreign.kind,
        "name_id": foreign.name_id, "name_en": foreign.name_en, "region": "", "is_active": "on"})
    assert response.status_code == 302  # the names stay theirs to correct
    foreign.refresh_from_db()
    assert foreign.agency_id != unit.agency_id
    page = client.get(reverse("office:agency_members") + f"?instansi={unit.agency_id}").content.decode()
    assert f'value="{foreign.pk}"' not in page
    other_government = GovernmentFactory(region=RegionFactory(code="64.02", name="Kutai Kartanegara", level="regency"),
                                         name="Pemerintah Kabupaten Kutai Kartanegara", short_name="Pemkab Kukar")
    agency = unit.agency
    response = client.post(reverse("admin:agencies_agency_change", args=[agency.pk]), {
        "government": other_government.pk, "short_name": agency.short_name, "slug": agency.slug, "kind": agency.kind,
        "is_active": "on", "name_id": agency.name_id, "name_en": agency.name_en, "description_id": "",
        "description_en": "", "address": "", "email": "", "phone": "", "website": "",
        "units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0", "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    agency.refresh_from_db()
    assert agency.government_id != other_government.pk


def test_superuser_still_moves_a_unit(client):
    root = superuser()
    verified_login(client, root)
    unit, target = UnitFactory(), AgencyFactory()
    response = client.post(reverse("admin:agencies_unit_change", args=[unit.pk]), {
        "agency": target.pk, "parent": "", "slug": unit.slug, "kind": unit.kind, "name_id": unit.name_id,
        "name_en": unit.name_en, "region": "", "is_active": "on"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.agency_id == target.pk
