"""The public list of complaints and aspirations (ADR 0016): public cases only, redacted, filters,
capped count and pagination, and a public case page. A case is listed once staff verified it (ADR 0016,
tests/security/test_public_lists.py): `listed()` submits and verifies."""

from __future__ import annotations

import pytest

from balai.portal.views import public_list as module
from tests.portal.flows_b_data import act, build_world, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def listed(world, kind="complaint", **kw):
    """A case as it reaches the public list: submitted, then verified by staff of its unit."""
    case = submit(world, kind, **kw)
    verifier = "road_head" if kw.get("complaint_category") is world["road"] else "verifier"
    return act(world, case, "verify", role=verifier)


def test_only_public_complaints_and_aspirations_are_listed(client, world):
    listed(world, "complaint", title="Keluhan terbuka A")
    listed(world, "aspiration", title="Aspirasi terbuka B")
    listed(world, "complaint", title="Keluhan rahasia C", confidentiality="confidential")
    listed(world, "complaint", title="Keluhan anonim D", confidentiality="anonymous")
    act(world, submit(world, "service_request", title="Permohonan layanan E"), "verify", role="verifier")
    submit(world, "information_request", title="Permintaan informasi F", contact_address="Jl. Uji")
    body = client.get("/laporan/").content.decode()
    assert "Keluhan terbuka A" in body and "Aspirasi terbuka B" in body
    for hidden in ("rahasia C", "anonim D", "layanan E", "informasi F"):
        assert hidden not in body
    assert "2 laporan" in body


def test_text_is_redacted_and_no_names_or_codes(client, world):
    case = listed(world, "complaint", title="Hubungi 0812-3456-7890 segera",
                  description="Email saya budi@contoh.id, NIK 6472011203900001, telp +62 541 123456")
    body = client.get("/laporan/").content.decode()
    for secret in ("0812-3456-7890", "budi@contoh.id", "6472011203900001", "+62 541 123456", "Siti Rahmawati",
                   case.tracking_code):
        assert secret not in body, secret
    assert "[telepon disembunyikan]" in body or "[phone hidden]" in body
    detail = client.get(f"/laporan/{case.pk}/").content.decode()
    for secret in ("0812-3456-7890", "budi@contoh.id", "6472011203900001", "Siti Rahmawati", case.tracking_code):
        assert secret not in detail, secret


def test_citizen_name_typed_in_the_text_is_masked(client, world):
    listed(world, "complaint", title="Keluhan warga", description="Saya Siti Rahmawati, warga Palaran")
    body = client.get("/laporan/").content.decode()
    assert "Rahmawati" not in body and "warga Palaran" in body


def test_confidential_case_page_is_not_found(client, world):
    case = listed(world, "complaint", confidentiality="confidential")
    service = submit(world)
    assert client.get(f"/laporan/{case.pk}/").status_code == 404
    assert client.get(f"/laporan/{service.pk}/").status_code == 404


def test_filters_by_agency_category_region_and_status(client, world):
    health = listed(world, "complaint", title="Laporan kesehatan Palaran")
    # Not "jalan": the verifier is "Kepala jalan", an official masked in public text (ADR 0043).
    road = listed(world, "complaint", title="Laporan trotoar Balikpapan", complaint_category=world["road"],
                  region=world["balikpapan"])

    def titles(**params):
        return client.get("/laporan/", params).content.decode()

    assert "trotoar Balikpapan" not in titles(instansi="dinkes") and "kesehatan Palaran" in titles(instansi="dinkes")
    assert "kesehatan Palaran" not in titles(kategori="jalan-rusak") and "trotoar Balikpapan" in titles(
        kategori="jalan-rusak")
    by_region = titles(wilayah="64.72")  # the case's district lies in Samarinda
    assert "kesehatan Palaran" in by_region and "trotoar Balikpapan" not in by_region
    new = titles(status="baru")
    assert "kesehatan Palaran" in new and "trotoar Balikpapan" in new  # submitted and verified are both new
    assert "Laporan" in titles(status="selesai") and "kesehatan Palaran" not in titles(status="selesai")
    assert road.pk != health.pk


def test_bad_filters_and_pages_do_not_fail(client, world):
    listed(world, "complaint", title="Satu laporan")
    for params in ({"instansi": "tidak-ada"}, {"status": "<script>"}, {"halaman": "abc"}, {"halaman": "-4"},
                   {"halaman": "999999"}, {"wilayah": "99"}):
        response = client.get("/laporan/", params)
        assert response.status_code == 200, params


def test_pagination_and_capped_count(client, world, monkeypatch):
    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    monkeypatch.setattr(module, "COUNT_CAP", 3)
    monkeypatch.setattr(module, "MAX_PAGE", 5)
    for i in range(5):
        listed(world, "complaint", title=f"Laporan nomor {i}")
    first = client.get("/laporan/").content.decode()
    assert "Lebih dari 3 laporan" in first
    assert "Laporan nomor 4" in first and "Laporan nomor 3" in first and "Laporan nomor 2" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = client.get("/laporan/", {"halaman": 3}).content.decode()
    assert "Laporan nomor 0" in last and 'rel="next"' not in last and 'rel="prev"' in last


def test_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries, settings):
    settings.BALAI_PAGE_CACHE_SECONDS = 0  # the view's own queries (a kept page's: tests/test_pagecache.py)
    for i in range(6):
        listed(world, "complaint", title=f"Laporan {i}")
    with django_assert_max_num_queries(12):
        client.get("/laporan/")
