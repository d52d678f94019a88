"""The ICT catalog answers 404 nowhere: an ICT service whose desk profile says it is public (reporting a
cyber incident to the CSIRT) is offered on the portal like any other public service, with the portal's own
apply flow, and its case is an ICT request in the ICT agents' queue; the agencies' internal ICT services
send portal visitors to the staff desk, where agency staff find them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.cases.commands import CaseCommand
from balai.cases.models import Case, CaseKind
from balai.cases.services import case_transition
from balai.catalog.models import Service
from balai.catalog.selectors import catalog_services, portal_service
from balai.ict.models import ServiceProfile
from tests.factories import ServiceFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db

FORM = [
    {"name": "full_name", "type": "text", "label": {"id": "Nama pelapor", "en": "Your name"}, "required": True},
    {"name": "phone", "type": "phone", "label": {"id": "Nomor HP", "en": "Mobile number"}, "required": True},
    {"name": "system", "type": "text", "label": {"id": "Sistem yang terdampak", "en": "Affected system"},
     "required": True},
]


@pytest.fixture
def csirt(ict):
    service = ServiceFactory(code="lapor-insiden-siber", kind=Service.Kind.ICT, agency=ict.diskominfo,
                             unit=ict.ict_unit, deadline_working_days=1, channels=["web"], form_definition=FORM,
                             name_id="Pelaporan Insiden Siber", name_en="Reporting a cyber incident")
    ServiceProfile.objects.create(service=service, ticket=ServiceProfile.Ticket.SECURITY, public=True)
    return service


def test_public_ict_service_is_in_the_portal_catalog_internal_ones_are_not(ict, csirt):
    listed = set(catalog_services().values_list("code", flat=True))
    assert csirt.code in listed
    assert not listed & {ict.incident.code, ict.subdomain.code, ict.security.code, ict.proposal.code}
    assert portal_service(csirt.code) == csirt and portal_service(ict.incident.code) is None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_ict_service_page_offers_the_portal_form(client, ict, csirt, prefix):
    page = client.get(f"{prefix}/layanan/{csirt.code}/")
    assert page.status_code == 200
    assert f"/layanan/{csirt.code}/ajukan/" in page.content.decode()
    form = client.get(f"{prefix}/layanan/{csirt.code}/ajukan/")
    assert form.status_code == 200 and "id_system" in form.content.decode()
    listing = client.get(f"{prefix}/layanan/?instansi={ict.diskominfo.slug}")
    assert csirt.name_id in listing.content.decode() or csirt.name_en in listing.content.decode()


def test_a_citizen_reports_through_the_portal_and_the_ict_agent_takes_it(client, ict, csirt):
    base = f"/layanan/{csirt.code}/ajukan/"
    step = client.post(base, {"full_name": "Sari Wulandari", "phone": "0812 3456 7890",
                              "system": "Situs dinkes diretas (deface)"})
    assert step.status_code == 302, step.content.decode()[:2000]
    assert client.post(base + "kontak/", {"contact_name": "Sari Wulandari", "contact_phone": "0812 3456 7890",
                                          "contact_email": "", "contact_channel": "sms",
                                          "language": "id"}).status_code == 302
    assert client.post(base + "kebutuhan/", {"accommodation_note": ""}).status_code == 302
    sent = client.post(base + "periksa/")
    assert sent.status_code == 302, sent.content.decode()[:3000]
    case = Case.objects.get(service=csirt)
    assert case.kind == CaseKind.ICT_REQUEST and case.channel == "web"
    assert case.agency == ict.diskominfo and case.unit == ict.ict_unit
    assert case.answers["system"] == "Situs dinkes diretas (deface)"
    confirmation = client.get(sent["Location"])
    assert confirmation.status_code == 200 and case.tracking_code in confirmation.content.decode()
    tracked = client.get(f"/lacak/{case.tracking_code}/")
    assert tracked.status_code == 200 and case.tracking_code in tracked.content.decode()
    verified_login(client, ict.agent)  # the ICT agents handle it like any ICT ticket
    assert client.get(reverse("office:case", args=[case.tracking_code])).status_code == 200
    taken = case_transition(case, CaseCommand(action="start", actor=ict.agent, expected_version=case.version))
    assert taken.status == "in_progress"


@pytest.mark.parametrize("path", ["/layanan/{code}/", "/layanan/{code}/ajukan/", "/layanan/{code}/ajukan/kontak/",
                                  "/layanan/{code}/ajukan/periksa/", "/en/layanan/{code}/"])
def test_internal_ict_services_send_portal_visitors_to_the_staff_desk(client, ict, path):
    for service in (ict.incident, ict.subdomain, ict.security, ict.proposal):
        response = client.get(path.format(code=service.code))
        assert response.status_code == 302, (path, service.code)
        assert reverse("office:ict_service", args=[service.code]) in response["Location"]


def test_every_ict_service_answers_on_the_desk_for_agency_staff(client, ict, csirt):
    verified_login(client, ict.officer)
    desk = client.get(reverse("office:ict_desk")).content.decode()
    for service in (ict.incident, ict.subdomain, ict.security, ict.proposal, csirt):
        assert reverse("office:ict_service", args=[service.code]) in desk
        assert client.get(reverse("office:ict_service", args=[service.code])).status_code == 200


def test_demo_catalog_marks_the_csirt_report_public_and_asks_the_public_nothing_only_officers_have():
    from balai.ops.demo.catalog_data import SERVICES
    from balai.ops.demo.ict import PROFILES

    public = {code for code, (_ticket, _approval, is_public) in PROFILES.items() if is_public}
    assert public == {"tik-insiden-siber"}
    ict_codes = {s["code"] for s in SERVICES if s.get("kind") == "ict"}
    assert set(PROFILES) == ict_codes  # every ICT service of the catalog has a desk profile
    form = next(s["form"] for s in SERVICES if s["code"] == "tik-insiden-siber")
    names = {f["name"] for f in form if f.get("required")}
    assert not names & {"nip", "agency_name", "officer_name"}
