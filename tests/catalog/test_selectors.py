"""Catalog reads and complaint routing."""

from __future__ import annotations

import pytest

from balai.agencies.models import Region
from balai.catalog.models import ComplaintRoute, LifeEvent, ServiceCategory
from balai.catalog.selectors import (
    complaint_category_by_keyword,
    popular_services,
    published_services,
    route_complaint,
    services_for_life_event,
    services_in_category,
)
from tests.factories import AgencyFactory, ComplaintCategoryFactory, ServiceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    province = Region.objects.create(code="64", name="Kalimantan Timur", level="province")
    berau = Region.objects.create(code="64.03", name="Kabupaten Berau", level="regency", parent=province)
    district = Region.objects.create(code="64.03.01", name="Tanjung Redeb", level="district", parent=berau)
    village = Region.objects.create(code="64.03.01.1001", name="Bugis", level="urban_village", parent=district)
    paser = Region.objects.create(code="64.01", name="Kabupaten Paser", level="regency", parent=province)
    return {"province": province, "berau": berau, "district": district, "village": village, "paser": paser}


def test_route_complaint_uses_the_nearest_route(regions):
    unit = UnitFactory()
    category = ComplaintCategoryFactory(agency=unit.agency, unit=unit)
    uptd = UnitFactory(agency=unit.agency, slug="uptd-utara")
    ComplaintRoute.objects.create(category=category, region=regions["berau"], agency=unit.agency, unit=uptd)
    other_agency = AgencyFactory()
    ComplaintRoute.objects.create(category=category, region=regions["district"], agency=other_agency)

    assert route_complaint(category, regions["village"]) == (other_agency, None)  # district route is nearer
    assert route_complaint(category, regions["berau"]) == (unit.agency, uptd)
    assert route_complaint(category, "64.03") == (unit.agency, uptd)
    assert route_complaint(category, regions["paser"]) == (unit.agency, unit)  # no route: category's own
    assert route_complaint(category, None) == (unit.agency, unit)


def test_route_of_another_category_is_ignored(regions):
    category = ComplaintCategoryFactory()
    other = ComplaintCategoryFactory()
    ComplaintRoute.objects.create(category=other, region=regions["berau"], agency=AgencyFactory())
    assert route_complaint(category, regions["village"]) == (category.agency, None)


def test_published_and_popular_services():
    popular = ServiceFactory(name_id="Pajak Kendaraan")
    ServiceFactory(name_id="Draf", is_published=False)
    quiet = ServiceFactory(name_id="Audiensi")
    type(popular).objects.filter(pk=popular.pk).update(popularity=100)
    names = set(published_services().values_list("name_id", flat=True))
    assert "Draf" not in names and {"Pajak Kendaraan", "Audiensi"} <= names
    assert popular_services(limit=1) == [popular]
    assert quiet in popular_services(limit=5)


def test_services_by_category_and_life_event():
    category = ServiceCategory.objects.create(slug="transport", name_id="Transportasi")
    event = LifeEvent.objects.create(slug="owning-a-vehicle", name_id="Memiliki kendaraan")
    service = ServiceFactory()
    ServiceFactory()
    service.categories.add(category)
    service.life_events.add(event)
    assert list(services_in_category("transport")) == [service]
    assert list(services_in_category(category)) == [service]
    assert list(services_for_life_event("owning-a-vehicle")) == [service]


def test_category_by_sms_keyword():
    category = ComplaintCategoryFactory(keyword="JALAN")
    assert complaint_category_by_keyword(" jalan ") == category
    assert complaint_category_by_keyword("KOPI") is None
