"""Complaints and aspirations end to end with the Django client: region by typing and by choosing,
coordinates, attachments, anonymous and confidential reports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.cases.models import Attachment, Case
from balai.portal import regions
from tests.portal.flow_data import PDF, PNG, build_flow_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def data():
    return build_flow_data()


ABOUT = {"kind": "complaint", "category": "jalan-berlubang",
         "description": "Jalan di depan pasar berlubang besar sejak dua bulan, motor sering jatuh.", "title": ""}


def file_report(client, *, place=None, privacy="public", contact=None, files=()):
    assert client.post("/lapor/", ABOUT).status_code == 302
    assert client.post("/lapor/lokasi/", place or {"region": "", "location_text": ""}).status_code == 302
    if files:
        assert client.post("/lapor/berkas/", {"files": list(files)}).status_code == 302
    else:
        assert client.post("/lapor/berkas/", {}).status_code == 302
    assert client.post("/lapor/privasi/", {"confidentiality": privacy}).status_code == 302
    contact = contact or {"contact_name": "Budi", "contact_phone": "081234567890", "contact_channel": "sms",
                          "language": "id"}
    assert client.post("/lapor/kontak/", contact).status_code == 302
    return client.post("/lapor/periksa/")


def test_search_regions_finds_villages_and_districts_with_their_parents(data):
    found = regions.search_regions("kelurahan rawa makmur")
    assert [r.code for r in found] == ["64.72.01.1001"]
    assert "Palaran" in found[0].label and "Samarinda" in found[0].label
    assert [r.code for r in regions.search_regions("loa")] == ["64.02.05"]
    assert regions.search_regions("zz") == []  # too short to search
    assert [r.code for r in regions.districts("64.72")] == ["64.72.01", "64.72.02"]
    assert [r.name for r in regions.villages("64.72.01")] == ["Bukuan", "Rawa Makmur"]
    assert regions.villages("64.72") == [] and regions.region_by_code("6472010001") is None
    assert regions.region_by_code("6472011001").name == "Rawa Makmur"


def test_region_by_typing_shows_matches_to_choose(client, data):
    client.post("/lapor/", ABOUT)
    html = client.get("/lapor/lokasi/?cari=Rawa+Makmur").content.decode()
    assert 'type="radio" name="region" value="64.72.01.1001"' in html
    empty = client.get("/lapor/lokasi/?cari=tidakadadesaini").content.decode()
    assert "Tidak ada tempat" in empty or "No place found" in empty


def test_region_by_choosing_regency_then_district_then_village(client, data):
    client.post("/lapor/", ABOUT)
    step1 = client.get("/lapor/lokasi/?kabupaten=64.72").content.decode()
    assert 'value="64.72.01"' in step1 and 'id="kecamatan"' in step1
    step2 = client.get("/lapor/lokasi/?kabupaten=64.72&kecamatan=64.72.01").content.decode()
    assert '<select id="id_region" name="region">' in step2 and 'value="64.72.01.1001"' in step2
    response = file_report(client, place={"region": "64.72.01.1001", "location_text": "Depan pasar",
                                          "latitude": "-0,5583", "longitude": "117.1521"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region.code == "64.72.01.1001" and case.location_text == "Depan pasar"
    assert str(case.latitude).startswith("-0.5583") and str(case.longitude).startswith("117.1521")


def test_place_errors_keep_typed_values(client, data):
    client.post("/lapor/", ABOUT)
    response = client.post("/lapor/lokasi/", {"region": "99.99", "location_text": "Dekat masjid",
                                              "latitude": "200", "longitude": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_latitude"' in html and 'value="Dekat masjid"' in html and 'value="200"' in html
    assert 'href="#id_region"' in html


def test_complaint_with_attachments_is_sent(client, data):
    files = [SimpleUploadedFile("foto.png", PNG), SimpleUploadedFile("surat.pdf", PDF)]
    response = file_report(client, files=files)
    case = Case.objects.get()
    assert response["Location"].endswith(f"/terkirim/{case.tracking_code}/")
    assert case.kind == "complaint" and case.complaint_category == data["category"]
    assert case.title.startswith("Jalan di depan pasar")
    assert sorted(Attachment.objects.filter(case=case).values_list("original_name", flat=True)) == [
        "foto.png", "surat.pdf"]


def test_files_page_refuses_bad_files_and_can_remove_kept_ones(client, data, settings):
    client.post("/lapor/", ABOUT)
    bad = client.post("/lapor/berkas/", {"files": [SimpleUploadedFile("virus.pdf", b"<script>alert(1)</script>")]})
    assert bad.status_code == 400
    assert "tidak diterima" in bad.content.decode() or "not accepted" in bad.content.decode()
    settings.UPLOAD_MAX_BYTES = 50
    big = client.post("/lapor/berkas/", {"files": [SimpleUploadedFile("besar.pdf", PDF)]})
    assert "terlalu besar" in big.content.decode() or "too large" in big.content.decode()
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    client.post("/lapor/berkas/", {"files": [SimpleUploadedFile("foto.png", PNG)], "lagi": "1"})
    page = client.get("/lapor/berkas/").content.decode()
    assert "foto.png" in page
    token = client.session["portal_drafts"]["complaint"]["files"]["files"][0]["token"]
    client.post("/lapor/berkas/", {"hapus": token})
    assert "foto.png" not in client.get("/lapor/berkas/").content.decode()


def test_anonymous_complaint_needs_no_name(client, data):
    response = file_report(client, privacy="anonymous",
                           contact={"contact_name": "", "contact_channel": "none", "language": "id"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.confidentiality == "anonymous" and case.contact_name == "" and case.contact_channel == "none"


def test_confidential_aspiration(client, data):
    client.post("/lapor/", {**ABOUT, "kind": "aspiration", "title": "Tambah lampu jalan"})
    client.post("/lapor/lokasi/", {})
    client.post("/lapor/berkas/", {})
    client.post("/lapor/privasi/", {"confidentiality": "confidential"})
    client.post("/lapor/kontak/", {"contact_name": "Rina", "contact_email": "rina@contoh.id",
                                   "contact_channel": "email", "language": "en"})
    assert client.post("/lapor/periksa/").status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.confidentiality, case.title, case.language) == (
        "aspiration", "confidential", "Tambah lampu jalan", "en")


def test_privacy_options_are_explained_in_one_sentence_each(client, data):
    html = client.get("/en/lapor/privasi/").content.decode()
    assert "Anonymous: nobody at the agency sees who you are" in html
    assert "Confidential: only the agency handling it" in html


def test_first_page_errors_keep_typed_text(client, data):
    response = client.post("/lapor/", {"kind": "", "category": "jalan-berlubang", "description": "Lubang"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_kind_0"' in html and 'href="#id_description"' in html
    assert "Lubang</textarea>" in html


def test_check_page_lists_missing_parts(client, data):
    client.post("/lapor/", ABOUT)
    response = client.post("/lapor/periksa/")
    assert response.status_code == 400
    assert 'href="/lapor/privasi/"' in response.content.decode()
    assert not Case.objects.exists()


def test_accommodation_needs_are_asked_and_counted(client, data):
    response = file_report(client, contact={"contact_name": "Budi", "contact_phone": "081234567890",
                                            "contact_channel": "sms", "language": "id",
                                            "accommodations": ["sign_language"], "accommodation_note": "Saya tuli"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.accommodations == ["sign_language"] and case.has_accommodations
    assert case.accommodation_note == "Saya tuli"


def test_contact_step_is_prefilled_for_a_signed_in_citizen(client, data):
    from tests.factories import UserFactory

    client.force_login(UserFactory(full_name="Rahmat Hidayat", phone="+6281250000009"))
    client.post("/lapor/", ABOUT)
    html = client.get("/lapor/kontak/").content.decode()
    assert 'value="Rahmat Hidayat"' in html and 'value="+6281250000009"' in html
