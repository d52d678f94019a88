"""Admin of the government structure: pages render, regions are read-mostly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.agencies.models import Region, Unit
from tests.factories import AgencyFactory, UnitFactory, UserFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, user)
    return client


def test_agency_change_page_shows_unit_inline(admin_client):
    agency = AgencyFactory()
    UnitFactory(agency=agency, name_id="Bidang Aplikasi Informatika")
    response = admin_client.get(reverse("admin:agencies_agency_change", args=[agency.pk]))
    assert response.status_code == 200
    assert "Bidang Aplikasi Informatika" in response.content.decode()


def test_unit_list_indents_the_tree(admin_client):
    parent = UnitFactory(name_id="Bidang Infrastruktur")
    UnitFactory(agency=parent.agency, parent=parent, name_id="Seksi Pusat Data")
    response = admin_client.get(reverse("admin:agencies_unit_changelist"))
    assert "— Seksi Pusat Data" in response.content.decode()


def test_unit_with_parent_of_other_agency_gets_a_clear_message(admin_client):
    foreign = UnitFactory()
    agency = AgencyFactory()
    response = admin_client.post(reverse("admin:agencies_unit_add"), {
        "agency": agency.pk, "parent": foreign.pk, "slug": "bidang-x", "kind": "bidang",
        "name_id": "Bidang Baru Diketik", "name_en": "", "is_active": "on",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bidang Baru Diketik" in body  # nothing typed is lost
    assert not Unit.objects.filter(slug="bidang-x").exists()
    assert response.context["adminform"].form.errors["parent"]


def test_region_is_read_mostly(admin_client):
    region = Region.objects.create(code="64", name="Kalimantan Timur", level="province")
    response = admin_client.get(reverse("admin:agencies_region_change", args=[region.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "code" not in form.fields and "name" in form.fields
    delete = admin_client.get(reverse("admin:agencies_region_delete", args=[region.pk]))
    assert delete.status_code == 403
    search = admin_client.get(reverse("admin:agencies_region_changelist"), {"q": "Kalimantan"})
    assert "Kalimantan Timur" in search.content.decode()
