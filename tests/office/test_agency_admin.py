"""Agency administration without Django admin: units, members and roles, canned answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.agencies.models import Unit
from balai.audit.models import AuditRecord
from balai.office.models import CannedAnswer
from balai.people.models import Membership, User
from balai.people.permissions import has_permission
from tests.factories import MembershipFactory, StaffFactory
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    user = StaffFactory(full_name="Admin Dinkes")
    MembershipFactory(user=user, unit=world.unit, role="admin")
    return user


def _url(name, world):
    return reverse(name) + f"?instansi={world.agency.pk}"


def test_units_tree_create_rename_deactivate(client, world, admin):
    office_login(client, admin)
    url = _url("office:agency_admin", world)
    assert client.post(url, {"op": "create", "name_id": "Seksi Gizi", "kind": "seksi",
                             "parent": world.unit.pk}).status_code == 302
    unit = Unit.objects.get(agency=world.agency, name_id="Seksi Gizi")
    assert unit.parent == world.unit and unit.slug == "seksi-gizi"
    html = client.get(url).content.decode()
    assert html.index(world.unit.name_id) < html.index("Seksi Gizi")  # child under its parent
    assert client.post(url, {"op": "rename", "unit": unit.pk, "name_id": "Seksi Gizi Masyarakat"}).status_code == 302
    unit.refresh_from_db()
    assert unit.name_id == "Seksi Gizi Masyarakat"
    assert client.post(url, {"op": "deactivate", "unit": unit.pk}).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active
    actions = set(AuditRecord.objects.filter(target_id=str(unit.pk)).values_list("action", flat=True))
    assert {"unit.create", "unit.update", "unit.deactivate"} <= actions


def test_a_unit_with_open_cases_cannot_be_deactivated(client, world, admin, submit):
    submit("complaint")
    office_login(client, admin)
    response = client.post(_url("office:agency_admin", world), {"op": "deactivate", "unit": world.unit.pk})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    world.unit.refresh_from_db()
    assert world.unit.is_active


def test_empty_name_is_a_clear_error(client, world, admin):
    office_login(client, admin)
    response = client.post(_url("office:agency_admin", world), {"op": "create", "name_id": "", "kind": "seksi"})
    assert response.status_code == 400 and "id_name_id" in response.content.decode()


def test_grant_and_revoke_roles(client, world, admin):
    office_login(client, admin)
    url = _url("office:agency_members", world)
    response = client.post(url, {"op": "grant", "login": "petugas.baru@contoh.id", "full_name": "Petugas Baru",
                                 "unit": world.unit.pk, "role": "verifier"})
    assert response.status_code == 302
    user = User.objects.get(email="petugas.baru@contoh.id")
    assert user.is_staff and has_permission(user, "case.verify", world.unit)
    membership = Membership.objects.get(user=user, unit=world.unit, role="verifier")
    assert client.post(url, {"op": "revoke", "membership": membership.pk}).status_code == 302
    membership.refresh_from_db()
    user = User.objects.get(pk=user.pk)
    assert not membership.is_active and not has_permission(user, "case.verify", world.unit)


def test_inspector_role_only_in_the_inspectorate(client, world, admin):
    office_login(client, admin)
    response = client.post(_url("office:agency_members", world), {
        "op": "grant", "login": world.staff["operator"].email, "unit": world.unit.pk, "role": "inspector"})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=world.staff["operator"], role="inspector").exists()


def test_new_account_needs_a_name(client, world, admin):
    office_login(client, admin)
    response = client.post(_url("office:agency_members", world), {
        "op": "grant", "login": "tanpa.nama@contoh.id", "unit": world.unit.pk, "role": "operator"})
    assert response.status_code == 400 and "id_full_name" in response.content.decode()
    assert not User.objects.filter(email="tanpa.nama@contoh.id").exists()


def test_canned_answers(client, world, admin):
    office_login(client, admin)
    url = _url("office:agency_canned", world)
    assert client.post(url, {"title": "Salam", "body_id": "Terima kasih.", "body_en": "Thank you.",
                             "is_active": "on"}).status_code == 302
    canned = CannedAnswer.objects.get(agency=world.agency)
    assert canned.body_for("en") == "Thank you."
    assert client.post(url, {"canned": canned.pk, "title": "Salam", "body_id": "Terima kasih banyak."}).status_code == 302
    canned.refresh_from_db()
    assert canned.body_id == "Terima kasih banyak." and not canned.is_active
    assert client.post(url, {"title": "", "body_id": ""}).status_code == 400


def test_another_agencys_canned_answer_cannot_be_edited(client, world, admin):
    other = CannedAnswer.objects.create(agency=world.diskominfo, title="Lain", body_id="x")
    office_login(client, admin)
    client.post(_url("office:agency_canned", world), {"canned": other.pk, "title": "Diubah", "body_id": "y"})
    other.refresh_from_db()
    assert other.title == "Lain"
