"""The desk pages under /kantor/tik/ and the registry under /kantor/aplikasi/ (second factor, forms,
duplicate suggestions before submission, approval, ICT wording on the case page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.ict.models import Application
from balai.ict.services import DeskRequest, desk_submit
from tests.ict.conftest import wita
from tests.otp import verified_login

pytestmark = pytest.mark.django_db


def _app(ict, name, purpose, code="RAB.03.02", status="live", **kw):
    return Application.objects.create(slug=name.lower().replace(" ", "-"), name=name, agency=ict.agency,
                                      purpose=purpose, spbe_code=code, status=status, **kw)


def test_desk_lists_ict_services_for_any_staff_member(client, ict):
    verified_login(client, ict.officer)
    page = client.get(reverse("office:ict_desk"))
    assert page.status_code == 200
    assert ict.incident.name_id in page.content.decode()


def test_desk_needs_the_second_factor(client, ict):
    client.force_login(ict.officer)
    assert client.get(reverse("office:ict_desk")).status_code == 302


def test_incident_form_submits_with_priority(client, ict):
    verified_login(client, ict.officer)
    url = reverse("office:ict_service", args=[ict.incident.code])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"agency": ict.agency.pk, "title": "Jaringan putus"})
    assert bad.status_code == 400
    ok = client.post(url, {"agency": ict.agency.pk, "title": "Jaringan putus", "impact": "high", "urgency": "high"})
    assert ok.status_code == 302
    detail = client.get(ok["Location"])
    assert detail.status_code == 200
    assert "P1" in detail.content.decode()


def test_application_proposal_shows_similar_applications_before_submission(client, ict):
    _app(ict, "SIMPEG Dinkes", "Mengelola data kepegawaian ASN: cuti, absensi, kenaikan pangkat pegawai.")
    verified_login(client, ict.officer)
    url = reverse("office:ict_service", args=[ict.proposal.code])
    data = {"agency": ict.agency.pk, "title": "Aplikasi kepegawaian", "app_name": "e-Pegawai",
            "app_purpose": "Aplikasi untuk mengelola data kepegawaian ASN, cuti dan absensi pegawai.",
            "spbe_code": "RAB.03.02"}
    first = client.post(url, data)
    assert first.status_code == 400
    assert "SIMPEG Dinkes" in first.content.decode()
    second = client.post(url, {**data, "checked_similar": "on"})
    assert second.status_code == 302


def test_approval_page_for_the_agency_head(client, ict):
    case = desk_submit(DeskRequest(service=ict.subdomain, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="Subdomain baru"))
    url = reverse("office:ict_request", args=[case.tracking_code])
    verified_login(client, ict.other_head)
    assert client.get(url).status_code == 404
    verified_login(client, ict.agency_head)
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "approval", "decision": "approve", "note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.extra["approval"]["state"] == "approved"


def test_case_page_calls_the_requester_an_agency_officer(client, ict):
    case = desk_submit(DeskRequest(service=ict.incident, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="Printer", impact="low", urgency="low", submitted_at=wita(2026, 5, 13, 9)))
    verified_login(client, ict.agent)
    page = client.get(reverse("office:case", args=[case.tracking_code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Requester (agency officer)" in text or "Pemohon (petugas perangkat daerah)" in text
    assert "Pertanyaan kepada warga" not in text and "Question to the citizen" not in text


def test_registry_pages_and_clusters(client, ict):
    _app(ict, "SIMPEG Dinkes", "Mengelola data kepegawaian ASN: cuti, absensi, kenaikan pangkat pegawai.")
    _app(ict, "E-Kepegawaian Dishub", "Mengelola data kepegawaian ASN, cuti, absensi dan kenaikan pangkat.")
    verified_login(client, ict.officer)
    assert client.get(reverse("office:applications")).status_code == 200
    assert client.get(reverse("office:application", args=["simpeg-dinkes"])).status_code == 200
    clusters = client.get(reverse("office:application_clusters")).content.decode()
    assert "SIMPEG Dinkes" in clusters and "E-Kepegawaian Dishub" in clusters
    assert client.get(reverse("office:application_new")).status_code == 403
    verified_login(client, ict.agent)
    assert client.get(reverse("office:application_new")).status_code == 200


def test_ict_agent_publishes_an_incident_from_a_ticket_with_updates(client, ict, fresh_status_board):
    from balai.ict.models import StatusNotice

    case = desk_submit(DeskRequest(service=ict.incident, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="SIMPUS mati", impact="high", urgency="high"))
    app = _app(ict, "SIMPUS", "Sistem informasi puskesmas untuk rekam medis.", url="http://127.0.0.1:9/")
    verified_login(client, ict.officer)
    assert client.get(reverse("office:ict_notices")).status_code == 403
    verified_login(client, ict.agent)
    url = reverse("office:ict_notices")
    assert client.get(f"{url}?berkas={case.tracking_code}").status_code == 200
    response = client.post(url, {"form": "open", "berkas": case.tracking_code, "kind": "incident",
                                 "title": "SIMPUS tidak dapat diakses", "body": "Sedang diperiksa.",
                                 "applications": [str(app.pk)]})
    assert response.status_code == 302
    notice = StatusNotice.objects.get()
    assert notice.case == case and list(notice.applications.all()) == [app]
    assert client.post(url, {"form": "update", "notice": notice.pk, "body": "Pulih.", "close": "on"}).status_code == 302
    notice.refresh_from_db()
    assert notice.ends_at is not None and notice.updates.count() == 2
    assert client.post(url, {"form": "update", "notice": "x", "body": ""}).status_code == 400
    assert "SIMPUS tidak dapat diakses" in client.get("/status/").content.decode()
