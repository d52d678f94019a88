"""Counter intake: an officer registers a case for a walk-in citizen (channel "counter")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.audit.models import AuditRecord
from balai.cases.models import Case, Event
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

URL = reverse("office:counter")


def _base(**kw):
    data = {"title": "Lampu jalan mati", "description": "Sejak seminggu", "contact_channel": "none",
            "language": "id", "confidentiality": "public", "consent": "on"}
    data.update(kw)
    return data


def test_walk_in_without_phone_or_email_gets_a_code_and_a_receipt(client, world):
    counter = world.staff["counter"]
    office_login(client, counter)
    response = client.post(f"{URL}?jenis=complaint", _base(subject=world.category.pk, contact_name="Pak Darto"))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == reverse("office:counter_done", args=[case.tracking_code])
    assert case.channel == "counter" and case.registered_by == counter
    assert case.contact_phone == "" and case.contact_email == "" and case.contact_channel == "none"
    assert case.extra["consent"]["read_aloud"] is True
    event = Event.objects.get(case=case, action="submit")
    assert event.actor == counter and event.data["channel"] == "counter"
    assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).exists()
    done = client.get(response["Location"])
    assert done.status_code == 200
    html = done.content.decode()
    assert case.tracking_code in html and "Pak Darto" not in html  # the receipt page prints no contact
    pdf = client.get(reverse("office:counter_receipt", args=[case.tracking_code]) + "?kertas=80mm")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


def test_service_request_uses_the_service_form(client, world):
    world.service.form_definition = [
        {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"},
         "required": True},
    ]
    world.service.save()
    office_login(client, world.staff["counter"])
    start = client.get(f"{URL}?jenis=service_request")
    assert start.status_code == 200 and world.service.name in start.content.decode()
    url = f"{URL}?jenis=service_request&layanan={world.service.pk}"
    form = client.get(url)
    assert "Nama usaha" in form.content.decode()
    missing = client.post(url, _base(title=""))
    assert missing.status_code == 400
    assert "isian-nama_usaha" in missing.content.decode()
    assert not Case.objects.exists()
    ok = client.post(url, _base(title="", **{"isian-nama_usaha": "Warung Bu Sri"}))
    assert ok.status_code == 302
    case = Case.objects.get()
    assert case.service == world.service and case.answers["nama_usaha"] == "Warung Bu Sri"
    assert case.title == world.service.name_id or case.title == world.service.name


def test_consent_is_required_and_errors_are_shown(client, world):
    office_login(client, world.staff["counter"])
    data = _base(subject=world.category.pk, contact_channel="sms")
    del data["consent"]
    response = client.post(f"{URL}?jenis=complaint", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "id_consent" in html and "id_contact_phone" in html
    assert not Case.objects.exists()


def test_engine_errors_come_back_on_the_form(client, world):
    office_login(client, world.staff["counter"])
    response = client.post(f"{URL}?jenis=complaint",
                           _base(subject=world.category.pk, contact_phone="12", contact_channel="sms"))
    assert response.status_code == 400
    assert "error-message" in response.content.decode()
    assert not Case.objects.exists()


def test_information_request_names_the_agency_and_the_applicant(client, world):
    office_login(client, world.staff["counter"])
    url = f"{URL}?jenis=information_request"
    assert client.post(url, _base(subject=world.agency.pk)).status_code == 400  # applicant's name missing
    response = client.post(url, _base(subject=world.agency.pk, contact_name="Rina"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == "information_request" and case.unit == world.ppid_unit


def test_anonymous_is_offered_only_for_complaints(client, world):
    office_login(client, world.staff["counter"])
    assert 'value="anonymous"' in client.get(f"{URL}?jenis=complaint").content.decode()
    assert 'value="anonymous"' not in client.get(f"{URL}?jenis=information_request").content.decode()


def test_only_counter_officers(client, world):
    office_login(client, world.staff["operator"])
    assert client.get(URL).status_code == 403


def test_receipt_only_for_the_officer_who_registered(client, world, submit):
    case = submit(registered_by=world.staff["counter_ppid"], channel="counter")
    office_login(client, world.staff["counter"])
    assert client.get(reverse("office:counter_done", args=[case.tracking_code])).status_code == 404
    assert client.get(reverse("office:counter_receipt", args=[case.tracking_code])).status_code == 404


def test_bad_kind_and_unknown_service_are_400_not_500(client, world):
    office_login(client, world.staff["counter"])
    assert client.get(f"{URL}?jenis=nonsense").status_code == 400
    assert client.get(f"{URL}?jenis=service_request&layanan=99999").status_code == 400


def test_counter_registers_a_citizen_without_a_phone_for_a_form_that_asks_one(client, world):
    """The service form's name and phone are the counter's contact fields (asked once); without a phone the
    paper receipt is the channel."""
    world.service.form_definition = [
        {"name": "full_name", "type": "text", "label": {"id": "Nama lengkap", "en": "Full name"}, "required": True},
        {"name": "phone", "type": "phone", "label": {"id": "Nomor HP", "en": "Mobile"}, "required": True},
        {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"},
         "required": True},
    ]
    world.service.save()
    office_login(client, world.staff["counter"])
    url = f"{URL}?jenis=service_request&layanan={world.service.pk}"
    html = client.get(url).content.decode()
    assert "isian-phone" not in html and "isian-full_name" not in html  # the counter asks them once
    ok = client.post(url, _base(title="", contact_name="Pak Darto", **{"isian-nama_usaha": "Warung"}))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    case = Case.objects.get()
    assert case.contact_phone == "" and case.contact_channel == "none"
    assert case.answers["full_name"] == "Pak Darto" and "phone" not in case.answers
    # With SMS as the channel, the phone is needed (and lands in the answers too).
    again = client.post(url, _base(title="", contact_name="Bu Sri", contact_channel="sms",
                                   contact_phone="0812 3456 7890", **{"isian-nama_usaha": "Toko"}))
    assert again.status_code == 302
    assert Case.objects.latest("pk").answers["phone"] in ("+6281234567890", "081234567890", "0812 3456 7890")
