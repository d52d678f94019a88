"""Catalog admin: bad input gets a clear message and keeps what was typed ("Done when")."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from balai.catalog.models import Service
from tests.factories import MembershipFactory, ServiceFactory, UnitFactory, UserFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    return client


def url(name, *args):
    """English admin URLs (i18n patterns), so the messages below are the English msgids."""
    with translation.override("en"):
        return reverse(name, args=args)


def form_data(unit, **overrides):
    data = {
        "code": "layanan-uji", "kind": "service", "agency": unit.agency.pk, "unit": unit.pk, "is_published": "on",
        "name_id": "Layanan Uji", "name_en": "Test service", "summary_id": "", "summary_en": "",
        "description_id": "", "description_en": "", "fee": "0", "fee_note_id": "", "fee_note_en": "",
        "deadline_working_days": "5", "channels": ["web"], "standard": "{}", "requirements": "[]",
        "form_definition": "[]",
    }
    data.update(overrides)
    return data


def errors_of(response):
    return response.context["adminform"].form.errors


def test_add_with_malformed_definition_shows_message_and_keeps_text(admin_client):
    unit = UnitFactory()
    typed = '[{"name": "Nama Lengkap", "type": "teks", "label": {"id": "Nama"}}]'
    with translation.override("en"):
        response = admin_client.post(url("admin:catalog_service_add"), form_data(unit, form_definition=typed))
    assert response.status_code == 200
    assert not Service.objects.filter(code="layanan-uji").exists()
    messages = errors_of(response)["form_definition"]
    assert any("is not valid: use lower-case letters" in m for m in messages)
    assert any("unknown type \"teks\"" in m for m in messages)
    body = response.content.decode()
    assert "Nama Lengkap" in body and "teks" in body  # the typed text is still there
    assert "Layanan Uji" in body


def test_change_with_invalid_json_syntax_keeps_the_exact_text(admin_client):
    service = ServiceFactory()
    typed = '[{"name": "nik", "type": "nik",, }'
    with translation.override("en"):
        response = admin_client.post(
            url("admin:catalog_service_change", service.pk),
            form_data(service.unit, code=service.code, agency=service.agency.pk, form_definition=typed),
        )
    assert response.status_code == 200
    with translation.override("en"):
        message = errors_of(response)["form_definition"][0]
    assert "not valid JSON" in message and "line 1" in message
    assert "not valid JSON" in response.content.decode()
    assert response.context["adminform"].form["form_definition"].value() == typed
    service.refresh_from_db()
    assert service.form_definition == []


def test_bad_standard_and_requirements_are_reported(admin_client):
    unit = UnitFactory()
    response = admin_client.post(url("admin:catalog_service_add"), form_data(
        unit, standard='{"biaya": "gratis"}', requirements='["KTP"]'))
    errors = errors_of(response)
    assert "standard" in errors and "requirements" in errors
    assert "biaya" in response.content.decode()


def test_valid_post_saves_and_json_is_shown_readably(admin_client):
    unit = UnitFactory()
    MembershipFactory(unit=unit, role="verifier")  # someone there can take every step (balai.cases.actors)
    definition = ('[{"name": "nik", "type": "nik", "label": {"id": "NIK pemohon", "en": "Applicant NIK"}, '
                  '"required": true}]')
    response = admin_client.post(url("admin:catalog_service_add"), form_data(
        unit, form_definition=definition, accommodations=["wheelchair"]))
    assert response.status_code == 302, errors_of(response)
    service = Service.objects.get(code="layanan-uji")
    assert service.form_definition[0]["name"] == "nik"
    assert service.accommodations == ["wheelchair"]
    page = admin_client.get(url("admin:catalog_service_change", service.pk)).content.decode()
    assert "NIK pemohon" in page  # non-ASCII-safe, indented JSON in a textarea
    assert "\n  {" in page or "\n  {\n" in page


def test_complaint_category_page_has_route_inline(admin_client):
    response = admin_client.get(url("admin:catalog_complaintcategory_add"))
    assert response.status_code == 200
    assert "routes-TOTAL_FORMS" in response.content.decode()
