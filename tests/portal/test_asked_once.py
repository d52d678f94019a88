"""Contact details are asked once: a service form that asks the name and phone feeds the contact step,
which then asks only how to reach the citizen; the signed-in citizen's account prefills them."""

from __future__ import annotations

import pytest

from balai.cases.models import Case
from balai.catalog.form_definition import contact_fields
from tests.factories import AgencyFactory, ServiceFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = [
    {"name": "full_name", "type": "text", "label": {"id": "Nama lengkap", "en": "Full name"}, "required": True},
    {"name": "phone", "type": "phone", "label": {"id": "Nomor HP", "en": "Mobile number"}, "required": True},
    {"name": "keperluan", "type": "text", "label": {"id": "Keperluan", "en": "Purpose"}, "required": True},
]
BASE = "/layanan/surat-uji/ajukan/"


@pytest.fixture
def service():
    agency = AgencyFactory(slug="uji")
    return ServiceFactory(code="surat-uji", agency=agency, unit=UnitFactory(agency=agency, slug="loket"),
                          form_definition=FORM, channels=["web"], accommodations=[])


def test_contact_fields_are_found_in_the_definition():
    assert contact_fields(FORM) == {"full_name": "contact_name", "phone": "contact_phone"}


def test_name_and_phone_asked_once_and_used_for_the_case(client, service):
    assert client.post(BASE, {"full_name": "Sari Wulandari", "phone": "0812 3456 7890",
                              "keperluan": "Surat keterangan"}).status_code == 302
    page = client.get(BASE + "kontak/").content.decode()
    assert 'name="contact_name"' not in page and 'name="contact_phone"' not in page
    assert "Sari Wulandari" in page and "0812 3456 7890" in page  # shown with a change link
    assert client.post(BASE + "kontak/", {"contact_email": "", "contact_channel": "sms",
                                          "language": "id"}).status_code == 302
    assert client.post(BASE + "kebutuhan/", {}).status_code == 302
    check = client.get(BASE + "periksa/").content.decode()
    assert check.count("Sari Wulandari") == 1  # once, in the form's answers
    assert client.post(BASE + "periksa/").status_code == 302
    case = Case.objects.get()
    assert (case.contact_name, case.contact_phone) == ("Sari Wulandari", "+6281234567890")


def test_signed_in_citizen_gets_name_and_phone_prefilled(client, service):
    citizen = UserFactory(full_name="Rahmat Hidayat", phone="+6281250000009")
    client.force_login(citizen)
    page = client.get(BASE).content.decode()
    assert 'value="Rahmat Hidayat"' in page and 'value="+6281250000009"' in page
