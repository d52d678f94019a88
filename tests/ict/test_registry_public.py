"""The public registry (/aplikasi/, /en/aplikasi/), publiccode.yml, the /data/ exports, duplicate detection
(a near-duplicate is found, an unrelated one is not), and the ICT catalog no longer answering 404."""

from __future__ import annotations

import json

import pytest
import yaml
from django.urls import reverse

from balai.ict.models import Application
from balai.ict.selectors import duplicate_clusters, similar_applications, text_similarity

pytestmark = pytest.mark.django_db

PEGAWAI = "Mengelola data kepegawaian ASN: cuti, absensi dan kenaikan pangkat pegawai."


def _app(ict, name, purpose, code="RAB.03.02", status="live", agency=None, **kw):
    return Application.objects.create(slug=name.lower().replace(" ", "-"), name=name, agency=agency or ict.agency,
                                      purpose=purpose, spbe_code=code, status=status, **kw)


def test_near_duplicate_found_unrelated_not(ict):
    near = _app(ict, "SIMPEG Dinkes", PEGAWAI, code="RAB.03.02")
    unrelated = _app(ict, "Peta Jalan Provinsi", "Peta kondisi jalan provinsi dan jembatan untuk perencanaan "
                     "pemeliharaan.", code="RAB.07.01")
    found = similar_applications(purpose="Aplikasi kepegawaian untuk cuti, absensi dan kenaikan pangkat ASN",
                                 spbe_code="RAB.09.99")
    names = [s.application for s in found]
    assert near in names and unrelated not in names


def test_same_code_is_listed_even_with_other_words(ict):
    same = _app(ict, "Sistem Perjalanan Dinas", "Surat perintah tugas dan SPPD.", code="RAB.03.05")
    found = similar_applications(purpose="Aplikasi arsip digital", spbe_code="rab.03.05")
    assert [s.application for s in found] == [same] and found[0].same_code


def test_text_similarity_bounds():
    assert text_similarity(PEGAWAI, PEGAWAI) == 1.0
    assert text_similarity(PEGAWAI, "Peta jalan dan jembatan") < 0.3
    assert text_similarity("", PEGAWAI) == 0.0


def test_clusters_group_similar_live_applications_of_different_agencies(ict):
    a = _app(ict, "SIMPEG Dinkes", PEGAWAI)
    b = _app(ict, "E-Pegawai Dishub", "Mengelola data kepegawaian ASN, cuti, absensi, kenaikan pangkat.",
             agency=ict.diskominfo)
    _app(ict, "Peta Jalan", "Peta kondisi jalan provinsi dan jembatan.", code="RAB.07.01")
    _app(ict, "SIMPEG lama", PEGAWAI, status="retired")
    clusters = duplicate_clusters()
    assert len(clusters) == 1 and set(clusters[0]) == {a, b}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_registry_pages(client, ict, prefix):
    _app(ict, "SIMPEG Dinkes", PEGAWAI, url="https://simpeg.example.go.id", technology="Laravel, PostgreSQL")
    _app(ict, "Rencana Baru", "Belum dibangun.", status="planned")
    page = client.get(f"{prefix}/aplikasi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "SIMPEG Dinkes" in text and "Rencana Baru" not in text
    assert client.get(f"{prefix}/aplikasi/simpeg-dinkes/").status_code == 200
    assert client.get(f"{prefix}/aplikasi/rencana-baru/").status_code == 404
    assert client.get(f"{prefix}/aplikasi/?status=bogus&halaman=zz").status_code == 200


def test_publiccode_yml(client, ict):
    _app(ict, "SIMPEG Dinkes", PEGAWAI, url="https://simpeg.example.go.id", technology="Laravel, PostgreSQL",
         year=2021)
    response = client.get("/aplikasi/simpeg-dinkes/publiccode.yml")
    assert response.status_code == 200
    doc = yaml.safe_load(response.content)
    assert doc["publiccodeYmlVersion"] == "0.4" and doc["name"] == "SIMPEG Dinkes"
    assert doc["developmentStatus"] == "stable"
    assert doc["description"]["id"]["longDescription"] == PEGAWAI


def test_data_exports(client, ict):
    _app(ict, "SIMPEG Dinkes", PEGAWAI, personal_data=True)
    rows = json.loads(b"".join(client.get("/data/aplikasi.json").streaming_content))
    assert "SIMPEG Dinkes" in json.dumps(rows)
    csv_text = b"".join(client.get("/data/aplikasi.csv").streaming_content).decode()
    assert "simpeg-dinkes" in csv_text
    assert client.get("/data/uptime-bulanan.csv").status_code == 200


def test_ict_service_no_longer_404_on_the_portal(client, ict):
    response = client.get(f"/layanan/{ict.subdomain.code}/")
    assert response.status_code == 200  # a public page saying it is for agencies, with the desk's link
    assert reverse("office:ict_desk") in response.content.decode()
