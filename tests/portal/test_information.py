"""Public information requests end to end (UU 14/2008 art. 22; Perki 1/2021 accessible formats)."""

from __future__ import annotations

import pytest

from balai.cases.models import Case
from tests.portal.flow_data import build_flow_data

pytestmark = pytest.mark.django_db

WHAT = {"agency": "dpmptsp-uji", "information": "Daftar izin usaha yang terbit di Samarinda tahun 2025.",
        "purpose": "Penelitian skripsi tentang UMKM."}
HOW = {"format": "softcopy", "accessible": ["large_print"], "delivery": "email"}
WHO = {"contact_name": "Dewi Lestari", "contact_address": "Jl. Juanda No. 5, Samarinda",
       "contact_email": "dewi@contoh.id", "contact_phone": "", "contact_channel": "email", "language": "id"}


@pytest.fixture
def data():
    return build_flow_data()


def test_request_is_registered_with_the_ppid(client, data):
    assert client.post("/informasi/", WHAT).status_code == 302
    assert client.post("/informasi/bentuk/", HOW).status_code == 302
    assert client.post("/informasi/kontak/", WHO).status_code == 302
    check = client.get("/informasi/periksa/").content.decode()
    assert "Penelitian skripsi" in check and "Jl. Juanda No. 5" in check
    response = client.post("/informasi/periksa/")
    case = Case.objects.get()
    assert response["Location"].endswith(f"/terkirim/{case.tracking_code}/")
    assert case.kind == "information_request" and case.agency == data["agency"]
    assert case.unit.kind == "ppid"
    assert case.description.startswith("Daftar izin usaha")
    assert case.answers == {"purpose": "Penelitian skripsi tentang UMKM.", "format": "softcopy",
                            "accessible_formats": ["large_print"], "delivery": "email"}
    assert case.accommodations == ["large_print"]
    assert (case.contact_name, case.contact_address) == ("Dewi Lestari", "Jl. Juanda No. 5, Samarinda")


def test_required_fields_have_linked_errors(client, data):
    response = client.post("/informasi/", {"agency": "", "information": "", "purpose": ""})
    html = response.content.decode()
    assert response.status_code == 400
    for anchor in ("#id_agency", "#id_information", "#id_purpose"):
        assert f'href="{anchor}"' in html
    response = client.post("/informasi/bentuk/", {})
    assert 'href="#id_format_0"' in response.content.decode() and 'href="#id_delivery_0"' in response.content.decode()


def test_name_and_address_are_required_by_law(client, data):
    client.post("/informasi/", WHAT)
    client.post("/informasi/bentuk/", HOW)
    response = client.post("/informasi/kontak/", {**WHO, "contact_name": "", "contact_address": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_contact_name"' in html and 'href="#id_contact_address"' in html
    assert 'value="dewi@contoh.id"' in html  # what was typed is kept


def test_delivery_by_email_needs_an_email(client, data):
    client.post("/informasi/", WHAT)
    client.post("/informasi/bentuk/", HOW)
    response = client.post("/informasi/kontak/", {**WHO, "contact_email": "", "contact_channel": "sms",
                                                  "contact_phone": "081234567890"})
    assert response.status_code == 400
    assert 'href="#id_contact_email"' in response.content.decode()


def test_accessible_formats_are_offered(client, data):
    html = client.get("/en/informasi/bentuk/").content.decode()
    for label in ("Audio", "Braille", "Large print"):
        assert label in html


def test_check_page_sends_back_to_unanswered_parts(client, data):
    client.post("/informasi/", WHAT)
    response = client.post("/informasi/periksa/")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="/informasi/bentuk/"' in html and 'href="/informasi/kontak/"' in html
    assert not Case.objects.exists()


def test_contact_step_is_prefilled_for_a_signed_in_citizen(client, data):
    from tests.factories import UserFactory

    client.force_login(UserFactory(full_name="Rahmat Hidayat", phone="+6281250000009", email="rahmat@contoh.id"))
    client.post("/informasi/", WHAT)
    client.post("/informasi/bentuk/", HOW)
    html = client.get("/informasi/kontak/").content.decode()
    assert 'value="Rahmat Hidayat"' in html and 'value="rahmat@contoh.id"' in html
    assert 'value="+6281250000009"' in html


def test_staff_on_the_portal_get_no_prefill(client, data):
    from tests.factories import UserFactory

    client.force_login(UserFactory(full_name="Petugas Loket", is_staff=True))
    client.post("/informasi/", WHAT)
    client.post("/informasi/bentuk/", HOW)
    assert 'value="Petugas Loket"' not in client.get("/informasi/kontak/").content.decode()
