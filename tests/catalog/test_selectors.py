"""Catalog reads and complaint routing."""

from __future__ import annotations

import pytest

from balai.agencies.models import Region
from balai.catalog.models import ComplaintRoute, LifeEvent, ServiceCategory
from balai.catalog.selectors import (
    active_complaint_categories,
    active_complaint_category,
    agencies_with_services,
    catalog_services,
    categories_in_use,
    complaint_category_by_keyword,
    complaint_keywords,
    fallback_complaint_category,
    life_event_by_slug,
    life_events_in_use,
    popular_services,
    public_service,
    published_services,
    route_complaint,
    service_category_by_slug,
    services_for_agency,
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


def test_catalog_services_by_agency_category_and_life_event():
    category = ServiceCategory.objects.create(slug="transport", name_id="Transportasi")
    event = LifeEvent.objects.create(slug="owning-a-vehicle", name_id="Memiliki kendaraan")
    service = ServiceFactory()
    other = ServiceFactory()
    service.categories.add(category)
    service.life_events.add(event)
    assert list(catalog_services(category=category)) == [service]
    assert list(catalog_services(life_event=event)) == [service]
    assert list(catalog_services(agency=other.agency)) == [other]
    assert set(catalog_services()) == {service, other}
    assert service_category_by_slug("transport") == category and service_category_by_slug("") is None
    assert life_event_by_slug("owning-a-vehicle") == event and life_event_by_slug("nope") is None


def test_the_public_catalog_shows_published_citizen_services_of_active_agencies():
    shown = ServiceFactory(code="SHOWN", name_id="B")
    also = ServiceFactory(code="ALSO", name_id="A", agency=shown.agency)
    ict = ServiceFactory(code="ICT", kind="ict", agency=shown.agency)
    draft = ServiceFactory(code="DRAFT", is_published=False, agency=shown.agency)
    closed = ServiceFactory(code="CLOSED", agency=AgencyFactory(is_active=False))
    assert set(catalog_services()) == {shown, also}
    assert public_service("SHOWN") == shown
    assert [public_service(c) for c in ("ICT", "DRAFT", "CLOSED", "")] == [None] * 4
    assert services_for_agency(shown.agency) == [also, shown]  # by name
    assert ict not in popular_services(limit=10) and draft not in popular_services(limit=10)
    assert closed not in popular_services(limit=10)


def test_filters_list_only_what_has_a_published_citizen_service():
    category = ServiceCategory.objects.create(slug="transport", name_id="Transportasi")
    empty = ServiceCategory.objects.create(slug="empty", name_id="Kosong")
    event = LifeEvent.objects.create(slug="moving", name_id="Pindah")
    service = ServiceFactory()
    ServiceFactory(is_published=False).categories.add(empty)
    service.categories.add(category)
    service.life_events.add(event)
    idle = AgencyFactory()
    assert categories_in_use() == [category]
    assert life_events_in_use() == [event]
    assert service.agency in agencies_with_services() and idle not in agencies_with_services()


def test_complaint_category_reads():
    road = ComplaintCategoryFactory(slug="jalan", keyword="JALAN", order=2)
    water = ComplaintCategoryFactory(slug="sumber-air", keyword="AIR", order=1)
    off = ComplaintCategoryFactory(slug="lama", keyword="LAMA", is_active=False)
    assert list(active_complaint_categories()) == [water, road]
    assert list(active_complaint_categories(order_by=("slug",))) == [road, water]
    assert active_complaint_category("jalan") == road
    assert active_complaint_category("lama") is None and active_complaint_category("") is None
    assert complaint_keywords() == ["AIR", "JALAN"]
    assert fallback_complaint_category("jalan") == road  # by keyword, any case
    assert fallback_complaint_category("air") == water
    assert fallback_complaint_category("sumber-air") == water  # by slug
    assert fallback_complaint_category("lama") == water  # inactive: the first active one
    assert off not in active_complaint_categories()


def test_category_by_sms_keyword():
    category = ComplaintCategoryFactory(keyword="JALAN")
    assert complaint_category_by_keyword(" jalan ") == category
    assert complaint_category_by_keyword("KOPI") is None
