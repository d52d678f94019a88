"""The annual report's figures against a hand-computed example, its draft → annotation → publication by the
main PPID, and the public page, PDF and CSV (docs/regulations.md §11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.ppid.report import annual_figures
from balai.ppid.services import dispute_record, objection_decide, report_annotate
from tests.cases.conftest import wita
from tests.factories import MembershipFactory, StaffFactory, UnitFactory
from tests.ppid.helpers import privacy_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(world, submit):
    ppid = world.staff["ppid"]
    kominfo_ppid = StaffFactory()
    MembershipFactory(user=kominfo_ppid, unit=UnitFactory(agency=world.diskominfo, kind="ppid"), role="ppid")
    # A: Dinkes, web, Mon 3 Feb → Thu 6 Feb 2025: 3 working days, granted, in time
    a = submit("information_request", submitted_at=wita(2025, 2, 3, 9))
    case_transition(a, CaseCommand(action="answer", actor=ppid, body="Terlampir", at=wita(2025, 2, 6, 10)))
    # B: Dinkes, at the counter, Mon 3 Feb → Mon 24 Feb: 15 working days (due 17 Feb: late), refused (17h),
    #    objection rejected by the superior, dispute at the Commission
    b = submit("information_request", channel="counter", registered_by=world.staff["counter_ppid"],
               submitted_at=wita(2025, 2, 3, 9))
    test = privacy_test(world.agency)
    case_transition(b, CaseCommand(action="refuse", actor=ppid, exemption="17h", reason="Data pribadi",
                    at=wita(2025, 2, 24, 10), data={"consequence_test": test.number}))
    case_transition(b, CaseCommand(action="object", actor=None, channel="web", reason="Bukan rahasia",
                    at=wita(2025, 2, 25, 10), data={"grounds": ["a"]}))
    objection = b.ppid_objections.get()
    objection = objection_decide(actor=world.staff["ppid_head"], objection=objection, decision="rejected",
                                 reasons="Tetap dikecualikan", position="Kepala Dinas", at=wita(2025, 3, 10, 10))
    dispute_record(actor=ppid, objection=objection, values={"commission_number": "KI/2025/1",
                                                          "registered_at": wita(2025, 3, 20).date()})
    # C: Diskominfo, SMS, Mon 7 Jul → Mon 14 Jul: 5 working days, granted in part
    c = submit("information_request", agency=world.diskominfo, channel="sms", submitted_at=wita(2025, 7, 7, 9))
    case_transition(c, CaseCommand(action="answer", actor=kominfo_ppid, body="Sebagian", at=wita(2025, 7, 14, 10),
                    data={"partial": True}))
    # D: Diskominfo, web, not answered; E: received in 2024, answered in 2025 (not this year's)
    submit("information_request", agency=world.diskominfo, submitted_at=wita(2025, 8, 4, 9))
    e = submit("information_request", submitted_at=wita(2024, 12, 23, 9))
    case_transition(e, CaseCommand(action="answer", actor=ppid, body="Ada", at=wita(2025, 1, 6, 10)))
    return world


def test_figures_match_the_hand_computed_example(year_2025):
    world = year_2025
    figures = annual_figures(government_id=world.government.pk, year=2025)
    gov = figures["government"]
    assert gov == {"received": 4, "online": 3, "offline": 1, "answered": 3, "in_time": 2, "granted": 1,
                   "partial": 1, "refused": 1, "avg_days": "7.7", "max_days": 15, "objections": 1,
                   "objections_upheld": 0, "objections_partial": 0, "objections_rejected": 1, "disputes": 1,
                   "refused_by_ground": {"17h": 1}}
    by = {row["slug"]: row for row in figures["agencies"]}
    assert by["dinkes"]["received"] == 2 and by["dinkes"]["offline"] == 1 and by["dinkes"]["in_time"] == 1
    assert by["dinkes"]["avg_days"] == "9.0" and by["dinkes"]["max_days"] == 15 and by["dinkes"]["disputes"] == 1
    assert by["diskominfo"]["received"] == 2 and by["diskominfo"]["online"] == 2
    assert by["diskominfo"]["partial"] == 1 and by["diskominfo"]["avg_days"] == "5.0"
    assert annual_figures(government_id=world.government.pk, year=2024)["government"]["received"] == 1


def test_draft_annotated_and_published_by_the_main_ppid_then_public(year_2025, client):
    world = year_2025
    main = StaffFactory()
    MembershipFactory(user=main, unit=UnitFactory(agency=world.diskominfo, kind="ppid"), role="ppid_main")
    with pytest.raises(PermissionDenied):
        report_annotate(actor=world.staff["ppid"], government=world.government, year=2025, values={})
    report_annotate(actor=main, government=world.government, year=2025, values={"policy": "Keterbukaan penuh"})
    assert client.get("/informasi/laporan-tahunan/2025/").status_code == 404  # a draft is not public
    report = report_annotate(actor=main, government=world.government, year=2025,
                             values={"constraints": "Jaringan di pedalaman"}, publish=True)
    assert report.status == "published" and report.figures["government"]["received"] == 4
    page = client.get("/en/informasi/laporan-tahunan/2025/")
    assert page.status_code == 200 and b"Keterbukaan penuh" in page.content and b"<svg" in page.content
    assert client.get("/informasi/laporan-tahunan/2025.pdf").content.startswith(b"%PDF")
    csv = client.get("/informasi/laporan-tahunan/2025.csv").content.decode()
    assert csv.splitlines()[1].startswith("government,,4,3,1,3,2,1,1,1,7.7,15,1,0,0,1,1,17h=1")
    assert client.get("/informasi/laporan-tahunan/1999/").status_code == 404


def test_office_report_page_for_the_main_ppid(year_2025, client):
    from tests.office.conftest import office_login

    world = year_2025
    main = StaffFactory()
    MembershipFactory(user=main, unit=UnitFactory(agency=world.diskominfo, kind="ppid"), role="ppid_main")
    office_login(client, main)
    assert client.get("/kantor/ppid/laporan/?tahun=2025").status_code == 200
    assert client.get("/kantor/ppid/laporan/?tahun=abc").status_code == 200
    response = client.post("/kantor/ppid/laporan/?tahun=2025", {"policy": "Kebijakan", "publish": "on"})
    assert response.status_code == 302
    assert client.get("/informasi/laporan-tahunan/2025/").status_code == 200
