"""Agency and region reads the faces call instead of querying (ADR 0030)."""

from __future__ import annotations

import pytest

from balai.agencies.models import Region
from balai.agencies.selectors import (
    active_agencies,
    active_agency,
    agencies_with_contact,
    agency_by_slug,
    child_regions,
    regencies,
    region_names,
    regions_named,
)
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    def region(code: str, name: str, level: str) -> Region:
        return Region.objects.create(code=code, name=name, level=level)

    return {
        "kaltim": region("64", "Kalimantan Timur", "province"),
        "samarinda": region("64.72", "Kota Samarinda", "city"),
        "berau": region("64.03", "Kabupaten Berau", "regency"),
        "ulu": region("64.72.01", "Samarinda Ulu", "district"),
        "ilir": region("64.72.02", "Samarinda Ilir", "district"),
        "bukuan": region("64.72.01.1002", "Bukuan", "urban_village"),
        "makmur": region("64.72.01.1001", "Rawa Makmur", "urban_village"),
        "balikpapan_other": region("65.71", "Kota Tarakan", "city"),
    }


def test_agency_reads():
    b = AgencyFactory(slug="b", short_name="A-Dinas", name_id="Zeta", email="b@contoh.id")
    a = AgencyFactory(slug="a", short_name="Z-Dinas", name_id="Alfa", phone="", email="", address="")
    off = AgencyFactory(slug="off", is_active=False, phone="0541", name_id="Mati")
    assert list(active_agencies()) == [a, b]  # by name
    assert list(active_agencies(order_by="short_name")) == [b, a]
    assert active_agency("b") == b and active_agency("off") is None and active_agency("") is None
    assert agency_by_slug("off") == off and agency_by_slug("") is None
    assert agencies_with_contact() == [b]  # active, with something to publish


def test_regencies_of_one_province_or_all(regions):
    assert regencies(province_code="64") == [regions["berau"], regions["samarinda"]]
    assert regencies() == [regions["berau"], regions["samarinda"], regions["balikpapan_other"]]


def test_child_regions_one_level_down_by_name(regions):
    assert child_regions("64.72") == [regions["ilir"], regions["ulu"]]
    assert child_regions("64.72.01") == [regions["bukuan"], regions["makmur"]]
    assert child_regions("64.03") == []


def test_regions_named_every_word_inside_one_area(regions):
    assert regions_named(["samarinda"], within="64") == [regions["samarinda"], regions["ulu"], regions["ilir"]]
    assert regions_named(["samarinda", "ulu"], within="64") == [regions["ulu"]]
    assert regions_named(["kota"], within="64") == [regions["samarinda"]]  # Tarakan is in another province
    assert regions_named(["samarinda"], within="64", limit=1) == [regions["samarinda"]]


def test_region_names_of_known_codes(regions):
    assert region_names(["64.72", "64.72.01", "99"]) == {"64.72": "Kota Samarinda", "64.72.01": "Samarinda Ulu"}
    assert region_names([]) == {}
