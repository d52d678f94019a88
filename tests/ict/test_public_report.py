"""A cyber incident reported by a citizen on the portal carries the national CSIRT intake the staff desk
asks (affected asset, incident type from the desk's taxonomy, impact and urgency, evidence, TLP), asked in
plain words; the ICT agent gets it with the desk's priority (P1–P4) and office-hour targets."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.cases.models import Case
from balai.catalog.models import Service
from balai.ict import desk
from balai.ict.models import ServiceProfile
from balai.ict.selectors import case_targets
from balai.ict.services import public_report_extra
from balai.portal.forms.incident import IMPACT_PLAIN, TAXONOMY_PLAIN, TLP_PLAIN, URGENCY_PLAIN
from tests.factories import ServiceFactory
from tests.otp import verified_login
from tests.portal.flow_data import PDF

pytestmark = pytest.mark.django_db

FORM = [
    {"name": "full_name", "type": "text", "label": {"id": "Nama pelapor", "en": "Your name"}, "required": True},
    {"name": "details", "type": "textarea", "label": {"id": "Uraian kejadian", "en": "What happened"},
     "required": True},
]
INTAKE = {"asset": "https://dinkes.kaltimprov.go.id", "taxonomy": "intrusions", "impact": "high",
          "urgency": "high", "impact_text": "Halaman depan diganti sejak pagi.",
          "evidence": "Tangkapan layar pukul 07.10 WITA", "tlp": "TLP:AMBER"}


@pytest.fixture
def csirt(ict):
    service = ServiceFactory(code="lapor-insiden-siber", kind=Service.Kind.ICT, agency=ict.diskominfo,
                             unit=ict.ict_unit, deadline_working_days=1, channels=["web"], form_definition=FORM,
                             name_id="Pelaporan Insiden Siber", name_en="Reporting a cyber incident")
    ServiceProfile.objects.create(service=service, ticket=ServiceProfile.Ticket.SECURITY, public=True)
    return service


def _through_to_the_check(client, base, intake, files=None):
    assert client.post(base, {"full_name": "Sari Wulandari", "details": "Situs berubah."}).status_code == 302
    step = client.post(base + "insiden/", {**intake, **(files or {})})
    assert step.status_code == 302, step.content.decode()[:3000]
    assert client.post(base + "kontak/", {"contact_name": "Sari Wulandari", "contact_phone": "0812 3456 7890",
                                          "contact_email": "", "contact_channel": "sms",
                                          "language": "id"}).status_code == 302
    assert client.post(base + "kebutuhan/", {"accommodation_note": ""}).status_code == 302


def test_plain_words_cover_exactly_the_desks_values():
    assert set(TAXONOMY_PLAIN) == set(desk.SECURITY_TAXONOMY)
    assert set(TLP_PLAIN) == set(desk.TLP)
    assert set(IMPACT_PLAIN) == set(URGENCY_PLAIN) == set(desk.LEVELS)


def test_the_report_reaches_the_ict_agent_with_priority_targets_and_the_csirt_intake(client, ict, csirt):
    base = f"/layanan/{csirt.code}/ajukan/"
    _through_to_the_check(client, base, INTAKE, {"evidence_file": SimpleUploadedFile(
        "deface.pdf", PDF, content_type="application/pdf")})
    check = client.get(base + "periksa/").content.decode()
    assert "https://dinkes.kaltimprov.go.id" in check and "deface.pdf" in check  # shown back to check
    sent = client.post(base + "periksa/")
    assert sent.status_code == 302, sent.content.decode()[:3000]
    case = Case.objects.get(service=csirt)
    info = case.extra["ict"]
    assert info["source"] == "public" and info["ticket"] == "security"
    assert info["priority"] == desk.priority_for("high", "high") == "P1"
    assert info["csirt"] == {"asset": INTAKE["asset"], "taxonomy": "intrusions", "impact_text": INTAKE["impact_text"],
                             "evidence": INTAKE["evidence"], "tlp": "TLP:AMBER"}
    assert INTAKE["asset"] in case.title
    assert case.answers["evidence_file"]["name"] == "deface.pdf"  # the proof is an attachment of the case
    targets = case_targets(case)  # the desk's own computation
    assert targets is not None and targets.priority == "P1"
    assert targets.response_due < targets.resolution_due
    verified_login(client, ict.agent)
    page = client.get(reverse("office:case", args=[case.tracking_code])).content.decode()
    for text in ("P1", INTAKE["asset"], "TLP:AMBER", INTAKE["evidence"], str(desk.SECURITY_TAXONOMY["intrusions"])):
        assert text in page, text
    assert 'id="targets-title"' in page  # response and resolution targets, in office hours
    assert "Warga, melalui portal" in page and "Pemohon (petugas perangkat daerah)" not in page  # not an officer


@pytest.mark.parametrize(("impact", "urgency"), [("low", "low"), ("medium", "high"), ("high", "low")])
def test_priority_is_the_desks_impact_times_urgency(client, ict, csirt, impact, urgency):
    base = f"/layanan/{csirt.code}/ajukan/"
    _through_to_the_check(client, base, {**INTAKE, "impact": impact, "urgency": urgency})
    assert client.post(base + "periksa/").status_code == 302
    case = Case.objects.get(service=csirt)
    assert case.extra["ict"]["priority"] == desk.priority_for(impact, urgency)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_errors_keep_what_was_typed_in_both_languages(client, ict, csirt, prefix):
    base = f"{prefix}/layanan/{csirt.code}/ajukan/"
    client.post(base, {"full_name": "Sari", "details": "Situs berubah."})
    page = client.post(base + "insiden/", {"asset": "https://bapenda.kaltimprov.go.id/login", "urgency": "high",
                                           "evidence": "email dari admin@bapenda-kaltim.xyz"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="https://bapenda.kaltimprov.go.id/login"' in html and "admin@bapenda-kaltim.xyz" in html
    assert 'value="high" checked' in html or 'checked value="high"' in html or "checked" in html
    assert 'class="error-summary"' in html
    if prefix:
        assert "What happened?" in html and "May we share your report?" in html
    else:
        assert "Apa yang terjadi?" in html and "Bolehkah laporan Anda dibagikan?" in html
    assert "<script" not in html.split("</header>", 1)[-1]  # the step works without JavaScript


def test_the_check_page_refuses_to_send_without_the_incident_step(client, ict, csirt):
    base = f"/layanan/{csirt.code}/ajukan/"
    client.post(base, {"full_name": "Sari", "details": "Situs berubah."})
    client.post(base + "kontak/", {"contact_name": "Sari", "contact_phone": "0812 3456 7890", "contact_email": "",
                                   "contact_channel": "sms", "language": "id"})
    client.post(base + "kebutuhan/", {"accommodation_note": ""})
    sent = client.post(base + "periksa/")
    assert sent.status_code == 400 and f"{base}insiden/" in sent.content.decode()
    assert not Case.objects.filter(service=csirt).exists()


def test_a_plain_public_ict_request_has_no_incident_step(client, ict):
    service = ServiceFactory(code="tik-info-publik", kind=Service.Kind.ICT, agency=ict.diskominfo, unit=ict.ict_unit,
                             channels=["web"], form_definition=FORM)
    ServiceProfile.objects.create(service=service, ticket=ServiceProfile.Ticket.REQUEST, public=True)
    step = client.post(f"/layanan/{service.code}/ajukan/", {"full_name": "Sari", "details": "Pertanyaan."})
    assert step["Location"].endswith("/kontak/")
    assert client.get(f"/layanan/{service.code}/ajukan/insiden/").status_code != 200


def test_public_report_extra_is_the_desks_rule(ict, csirt):
    with pytest.raises(ValidationError) as exc:
        public_report_extra(service=csirt, impact="high", urgency="", security={"asset": " "})
    assert {"urgency", "asset", "taxonomy", "tlp"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):  # an agencies-only service takes no report from the public
        public_report_extra(service=ict.security, impact="high", urgency="high", security=INTAKE)
    extra = public_report_extra(service=csirt, impact="medium", urgency="medium", security=INTAKE)
    assert extra["ict"]["priority"] == "P3" and extra["ict"]["csirt"]["asset"] == INTAKE["asset"]
