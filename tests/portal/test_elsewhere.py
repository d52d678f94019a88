"""Services of other governments: a search for KTP says who provides it and links there."""

from __future__ import annotations

import pytest

from balai.catalog.models import ExternalService
from balai.catalog.selectors import external_services_matching
from tests.portal.factories import build_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def ktp():
    build_catalog()
    return ExternalService.objects.create(
        code="ktp-el", name_id="KTP elektronik (KTP-el)", name_en="Electronic identity card (KTP-el)",
        provider_id="Disdukcapil kabupaten/kota", provider_en="the Disdukcapil of your regency or city",
        url="https://dukcapil.kemendagri.go.id/", keywords="ktp ktp-el e-ktp kartu tanda penduduk")


@pytest.mark.parametrize("query", ["KTP", "ktp-el", "e-ktp", "kartu tanda penduduk"])
def test_found_by_search(ktp, query):
    assert external_services_matching(query) == [ktp]


def test_catalog_search_says_who_provides_it_and_links_there(client, ktp):
    html = client.get("/layanan/?q=KTP").content.decode()
    assert "Disdukcapil kabupaten/kota" in html and 'href="https://dukcapil.kemendagri.go.id/"' in html
    english = client.get("/en/layanan/?q=ktp").content.decode()
    assert "the Disdukcapil of your regency or city" in english
    assert "dukcapil.kemendagri.go.id" not in client.get("/layanan/?q=izin").content.decode()


def test_unpublished_is_not_shown(ktp):
    ktp.is_published = False
    ktp.save()
    assert external_services_matching("ktp") == []
