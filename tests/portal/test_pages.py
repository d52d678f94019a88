"""Client-level tests of the portal's public pages."""

from __future__ import annotations

import pytest

from balai.catalog.standard import COMPONENTS

pytestmark = pytest.mark.django_db


def test_home_shows_search_doors_popular_services_and_life_events(client, catalog):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/layanan/"' in html and 'name="q"' in html
    for door in ('href="/layanan/"', 'href="/lapor/"', 'href="/informasi/"', 'href="/lacak/"'):
        assert door in html
    # Most used first; the unpublished service never appears.
    assert html.index("Izin usaha mikro") < html.index("Akta kelahiran") < html.index("Kartu identitas anak")
    assert "Layanan draf" not in html
    assert "?peristiwa=kelahiran" in html


def test_home_in_english_links_under_en(client, catalog):
    html = client.get("/en/").content.decode()
    assert '<html lang="en"' in html
    assert 'href="/en/lapor/"' in html and 'href="/en/lacak/"' in html
    assert "Birth certificate" in html
    assert 'lang="id">Bahasa Indonesia</button>' in html


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("?peristiwa=kelahiran", ["Akta kelahiran", "Kartu identitas anak"], ["Izin usaha mikro"]),
    ("?kategori=perizinan", ["Izin usaha mikro"], ["Akta kelahiran"]),
    ("?instansi=disdukcapil", ["Akta kelahiran", "Kartu identitas anak"], ["Izin usaha mikro"]),
    ("?instansi=disdukcapil&peristiwa=memulai-usaha", [], ["Akta kelahiran", "Izin usaha mikro"]),
])
def test_catalog_filters(client, catalog, query, shown, hidden):
    response = client.get("/layanan/" + query)
    assert response.status_code == 200
    names = [s.name_id for s in response.context["page"].object_list]
    for name in shown:
        assert name in names
    for name in hidden:
        assert name not in names


def test_catalog_unknown_filter_and_bad_page_do_not_fail(client, catalog):
    response = client.get("/layanan/?instansi=tidak-ada&halaman=abc")
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_catalog_is_paginated(client, catalog):
    from tests.factories import ServiceFactory

    ServiceFactory.create_batch(25)
    first = client.get("/layanan/")
    assert len(first.context["page"].object_list) == 20
    assert "halaman=2" in first.content.decode()
    second = client.get("/layanan/?halaman=2")
    assert len(second.context["page"].object_list) == 28 - 20


def test_service_page_shows_the_whole_standard(client, catalog):
    response = client.get("/layanan/akta-kelahiran/")
    html = response.content.decode()
    assert response.status_code == 200
    for component in COMPONENTS:
        assert component.label["id"] in html
        assert f"{component.label['id']} untuk akta kelahiran." in html
    # Delivery components come before management ones.
    assert html.index("Produk pelayanan") < html.index("Dasar hukum")
    assert "Surat keterangan lahir dari bidan atau rumah sakit" in html  # what to bring
    assert "3 hari kerja" in html
    assert "Gratis" in html
    assert "Juru bahasa isyarat" in html  # accommodation offered
    assert 'href="/layanan/akta-kelahiran/ajukan/"' in html
    assert 'href="/instansi/disdukcapil/"' in html


def test_service_page_in_english_and_paid_fee(client, catalog):
    html = client.get("/en/layanan/izin-usaha-mikro/").content.decode()
    assert "Micro business permit" in html
    assert "Rp 50.000" in html and "Paid at the bank." in html
    assert "Legal basis for izin usaha." in html
    assert 'href="/en/layanan/izin-usaha-mikro/ajukan/"' in html


def test_unpublished_or_unknown_service_is_404(client, catalog):
    assert client.get("/layanan/layanan-draf/").status_code == 404
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_agency_page_lists_its_published_services(client, catalog):
    response = client.get("/instansi/disdukcapil/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html
    assert "Akta kelahiran" in html and "Izin usaha mikro" not in html
    assert client.get("/instansi/tidak-ada/").status_code == 404


@pytest.mark.parametrize(("path", "lang", "text"), [
    ("/tidak-ada/", "id", "Halaman tidak ditemukan"),
    ("/en/tidak-ada/", "en", "Page not found"),
])
def test_404_in_both_languages(client, path, lang, text):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in html
    assert text in html
    assert 'href="/static/balai/site.css"' in html


@pytest.mark.parametrize("path", ["/privasi/", "/aksesibilitas/", "/kontak/", "/en/privasi/", "/en/aksesibilitas/"])
def test_information_pages(client, catalog, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_privacy_page_states_purposes_and_rights(client):
    html = client.get("/privasi/").content.decode()
    assert "UU 27/2022" in html or "27/2022" in html
    assert "3 × 24 jam" in html


def test_contact_page_lists_agency_contacts(client, catalog):
    html = client.get("/kontak/").content.decode()
    assert "disdukcapil@example.go.id" in html


def test_pages_send_a_strict_csp_and_no_inline_code(client, catalog):
    response = client.get("/layanan/akta-kelahiran/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    html = response.content.decode()
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_html_is_gzip_compressed(client, catalog):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.headers["Content-Encoding"] == "gzip"
