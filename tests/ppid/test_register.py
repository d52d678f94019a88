"""The register of public information: propose → approve (audited), the public pages, open data, the stale
warning of periodic items, consequence tests opening at the end of their period, and refusals citing a test
(docs/regulations.md §11)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.audit.models import AuditRecord
from balai.cases.commands import CaseCommand
from balai.cases.errors import MissingRequirement
from balai.cases.services import case_transition
from balai.ppid.models import ConsequenceTest, InformationItem, StaffWarning
from balai.ppid.services import item_propose, item_review, item_update, ppid_sweep
from tests.cases.conftest import wita
from tests.factories import MembershipFactory, StaffFactory, UnitFactory
from tests.ppid.helpers import ITEM, approved_item, privacy_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def main_ppid(world):
    unit = UnitFactory(agency=world.diskominfo, slug="ppid-utama", kind="ppid")
    user = StaffFactory(full_name="PPID Utama")
    MembershipFactory(user=user, unit=unit, role="ppid_main")
    return user


def test_officer_proposes_main_ppid_approves_and_both_are_audited(world, main_ppid):
    officer = world.staff["ppid"]
    item = item_propose(actor=officer, agency=world.agency, values=ITEM)
    assert item.status == "proposed" and item.number == "DIP-DINKES-2026-0001"
    with pytest.raises(PermissionDenied):
        item_review(actor=officer, item=item, approve=True)  # a pelaksana cannot approve
    with pytest.raises(ValidationError):
        item_review(actor=main_ppid, item=item, approve=False, note="")  # returning needs a reason
    item = item_review(actor=main_ppid, item=item, approve=True)
    assert item.status == "approved" and item.approved_by == main_ppid
    actions = list(AuditRecord.objects.filter(target_id=str(item.pk)).values_list("action", flat=True))
    assert actions == ["ppid.item.propose", "ppid.item.approve"]
    # an update by the officer goes back to the main PPID
    item = item_update(actor=officer, item=item, values={"summary": "Versi semester II"})
    assert item.status == "proposed"


def test_officer_of_another_agency_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        item_propose(actor=world.outsider, agency=world.agency, values=ITEM)


def test_a_main_ppid_role_is_only_given_in_a_ppid_unit(world):
    from balai.people.services import validate_membership

    with pytest.raises(ValidationError):
        validate_membership(unit=world.unit, role="ppid_main")
    validate_membership(unit=world.ppid_unit, role="ppid_main")


def test_public_register_shows_only_approved_items_filters_and_both_languages(world, client):
    shown = approved_item(world.agency, title="Laporan keuangan 2026")
    item_propose(actor=None, agency=world.agency, values={**ITEM, "title": "Usulan belum disetujui"})
    approved_item(world.agency, title="Rencana strategis", category="setiap_saat", year=2025)
    page = client.get("/informasi/daftar/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Laporan keuangan 2026" in text and "Usulan belum disetujui" not in text
    filtered = client.get("/en/informasi/daftar/?kategori=setiap_saat&tahun=2025&instansi=dinkes").content.decode()
    assert "Rencana strategis" in filtered and "Laporan keuangan 2026" not in filtered
    assert client.get("/informasi/daftar/?q=keuangan").content.decode().count("Laporan keuangan 2026") == 1
    for bad in ("?tahun=abc", "?halaman=-3", "?kategori=x&instansi=zzz", "?halaman=99999"):
        assert client.get("/informasi/daftar/" + bad).status_code == 200
    detail = client.get(f"/en/informasi/daftar/{shown.pk}/")
    assert detail.status_code == 200 and b"Retention period" in detail.content
    assert client.get(f"/informasi/daftar/{shown.pk}.txt")["Content-Type"].startswith("text/plain")
    hidden = InformationItem.objects.get(title="Usulan belum disetujui")
    assert client.get(f"/informasi/daftar/{hidden.pk}/").status_code == 404


def test_register_in_open_data_and_the_dcat_catalog(world, client):
    approved_item(world.agency, title="Laporan keuangan 2026")
    csv = b"".join(client.get("/data/daftar-informasi.csv").streaming_content).decode()
    assert csv.splitlines()[0].startswith("number,agency,title,summary,holder,responsible,made_when")
    assert "Laporan keuangan 2026" in csv
    rows = json.loads(b"".join(client.get("/data/daftar-informasi.json").streaming_content))
    assert "daftar-informasi" in client.get("/data/catalog.jsonld").content.decode()
    assert rows


def test_periodic_item_older_than_six_months_warns_its_owner_once(world):
    officer = world.staff["ppid"]
    item = item_propose(actor=officer, agency=world.agency, values=ITEM, at=wita(2026, 1, 10, 9))
    item_review(actor=None, item=item, approve=True)
    assert ppid_sweep(now=wita(2026, 7, 9, 9)).stale == []  # not yet six months
    result = ppid_sweep(now=wita(2026, 7, 11, 9))
    assert result.stale == [item.number]
    warning = StaffWarning.objects.get(item=item)
    assert warning.kind == "stale" and warning.recipient == officer
    assert ppid_sweep(now=wita(2026, 7, 12, 9)).stale == []  # once
    item.refresh_from_db()
    item_update(actor=officer, item=item, values={"document_url": "https://example.org/lk-2.pdf"},
                at=wita(2026, 7, 13, 9))
    warning.refresh_from_db()
    assert warning.done_at is not None


def test_exempt_item_warned_30_working_days_before_and_opened_at_the_end(world):
    item = approved_item(world.agency, title="Data penerima bantuan", category="dikecualikan")
    test = privacy_test(world.agency, item=item, until=date(2026, 9, 1))
    test.decision = "full"
    test.save()
    # 30 working days before 1 Sep 2026 (17 Aug is a holiday): warned from mid-July, not before
    assert ppid_sweep(now=wita(2026, 7, 1, 9)).review == []
    assert ppid_sweep(now=wita(2026, 7, 20, 9)).review == [test.number]
    assert ppid_sweep(now=wita(2026, 7, 21, 9)).review == []
    assert ppid_sweep(now=wita(2026, 8, 31, 9)).opened == []
    assert ppid_sweep(now=wita(2026, 9, 1, 9)).opened == [test.number]
    item.refresh_from_db()
    test.refresh_from_db()
    assert item.category == "setiap_saat" and test.opened_at is not None
    assert AuditRecord.objects.filter(action="ppid.test.opened", target_id=str(test.pk)).exists()


def test_refusing_a_request_requires_a_consequence_test_of_the_agency(world, submit):
    case = submit("information_request")
    officer = world.staff["ppid"]
    with pytest.raises(MissingRequirement) as missing:
        case_transition(case, CaseCommand(action="refuse", actor=officer, exemption="17h", reason="Data pribadi"))
    assert "consequence_test" in missing.value.field_errors
    other = privacy_test(world.diskominfo, number="UK-LAIN-1")
    with pytest.raises(MissingRequirement):
        case_transition(case, CaseCommand(action="refuse", actor=officer, exemption="17h", reason="Data pribadi",
                        data={"consequence_test": other.number}))
    own = privacy_test(world.agency, number="UK-DINKES-1")
    with pytest.raises(MissingRequirement) as wrong:
        case_transition(case, CaseCommand(action="refuse", actor=officer, exemption="17a", reason="x",
                        data={"consequence_test": own.number}))
    assert "exemption" in wrong.value.field_errors
    case = case_transition(case, CaseCommand(action="refuse", actor=officer, exemption="17h", reason="Data pribadi",
                           data={"consequence_test": own.number}))
    assert case.status == "refused"
    assert case.events.get(action="refuse").data["consequence_test"] == "UK-DINKES-1"


def test_consequence_test_decree_pdf_and_office_pages(world, staff_client, main_ppid, client):
    item = approved_item(world.agency, title="Data penerima bantuan", category="dikecualikan")
    test = privacy_test(world.agency, item=item)
    assert client.get(f"/informasi/uji-konsekuensi/{test.pk}.pdf").content.startswith(b"%PDF")
    c = staff_client(world.staff["ppid"])
    assert c.get("/kantor/ppid/").status_code == 200
    assert c.get(f"/kantor/ppid/uji/{test.pk}.pdf").content.startswith(b"%PDF")
    response = c.post("/kantor/ppid/usul/", {**ITEM, "agency": world.agency.pk, "made_when": "2026-01-10"})
    assert response.status_code == 302
    proposed = InformationItem.objects.get(status="proposed")
    assert c.post(f"/kantor/ppid/item/{proposed.pk}/", {"what": "review", "decision": "approve"}).status_code in (
        400, 403)
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    m = staff_client(main_ppid)
    assert m.post(f"/kantor/ppid/item/{proposed.pk}/", {"what": "review", "decision": "approve"}).status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == "approved"
    c = staff_client(world.staff["ppid"])
    created = c.post("/kantor/ppid/uji/", {
        "agency": world.agency.pk, "item": "", "occasion": "request", "document": "Dokumen X",
        "excluded_part": "Lampiran 2", "exemption": "17i", "law": "UU 14/2008 pasal 17 huruf i",
        "harm": "Memo internal", "public_interest": "Tidak ada", "decision": "partial",
        "decided_at": "2026-03-01", "exempt_until": "2027-03-01"})
    assert created.status_code == 302, created.context["form"].errors
    assert ConsequenceTest.objects.filter(document="Dokumen X").exists()
    assert world.outsider and staff_client(world.outsider).get("/kantor/ppid/").status_code == 403


def test_office_refusal_form_asks_for_the_consequence_test(world, submit, staff_client):
    case = submit("information_request")
    c = staff_client(world.staff["ppid"])
    page = c.get(f"/kantor/berkas/{case.tracking_code}/").content.decode()
    assert 'name="refuse-consequence_test"' in page
    post = {"action": "refuse", "refuse-action": "refuse", "refuse-expected_version": case.version,
            "refuse-exemption": "17h", "refuse-reason": "Data pribadi"}
    response = c.post(f"/kantor/berkas/{case.tracking_code}/", post)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "submitted"
    test = privacy_test(world.agency, number="UK-DINKES-9")
    response = c.post(f"/kantor/berkas/{case.tracking_code}/", {**post, "refuse-consequence_test": test.number})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "refused"
