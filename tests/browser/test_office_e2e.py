"""End to end through the staff workspace in a real browser with JavaScript OFF, by keyboard where it can be.

Three journeys ("Done when"): a complaint from submitted to closed; an information request
through an extension and an objection; a service request through "waiting for the citizen" and back.
The citizen's steps go through the engine (the portal has its own browser tests). Every step must be in
the case's timeline on the page and in the audit trail (one audit record per event).
"""

from __future__ import annotations

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.submission import Submission
from tests.browser.journeys import act
from tests.browser.staff import officer, seed_staff, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(transactional_db) -> dict:
    from balai.agencies.models import Unit

    data: dict = {}
    seed_staff(data)
    ppid_unit = Unit.objects.get(agency=data["agency"], slug="ppid-uji", kind=Unit.Kind.PPID)  # the seed's
    data["users"]["ppid"] = officer("ppid", ppid_unit)
    data["users"]["ppid_head"] = officer("head", ppid_unit)
    return data


def _case(code):
    from balai.cases.models import Case

    return Case.objects.get(tracking_code=code)


def _act(page, base, code, action, **fields):
    """Open the case page, fill the action's fields by keyboard and press Enter on its button."""
    act(page, base, code, action, keyboard=True, **fields)


def _citizen(code, action, **kw):
    from balai.cases.services import case_transition

    case = _case(code)
    case_transition(case, CaseCommand(action=action, actor=case.citizen, channel="web", **kw))


def _assert_timeline_and_audit(page, base, code, expected_actions):
    from balai.audit.models import AuditRecord
    from balai.cases.models import Event

    case = _case(code)
    events = list(Event.objects.filter(case=case).order_by("id"))
    assert [e.action for e in events] == expected_actions
    # every event has its own audit record (hash-chained trail)
    audited = {r.data.get("event") for r in AuditRecord.objects.filter(target_id=str(case.pk))}
    assert AuditRecord.objects.filter(target_id=str(case.pk), action="case.submit").exists()
    missing = [e.action for e in events if e.action != "submit" and e.pk not in audited]
    assert missing == []
    # and every event is on the page's timeline
    page.goto(f"{base}/kantor/berkas/{code}/")
    assert page.locator("#timeline .timeline__entry").count() == len(events)


def test_complaint_from_submitted_to_closed(data, live_server, page_nojs):
    from balai.cases.services import case_submit
    from tests.factories import UserFactory

    base = live_server.url
    citizen = UserFactory(full_name="Warga Uji", phone="+6281250000011")
    case = case_submit(Submission(kind="complaint", channel="web", complaint_category=data["agency"].complaint_categories.first(),
                       title="Lampu jalan mati", description="Di Jl. Pahlawan.", citizen=citizen,
                       contact_phone="0812-5000-0011"))
    code = case.tracking_code
    staff_login(page_nojs, base, data["users"]["head"])
    _act(page_nojs, base, code, "assign", assignee=str(data["users"]["verifier"].pk))
    page_nojs.context.clear_cookies()
    staff_login(page_nojs, base, data["users"]["verifier"])
    _act(page_nojs, base, code, "verify")
    _act(page_nojs, base, code, "start")
    _act(page_nojs, base, code, "answer", body="Lampu sudah diganti oleh tim pada hari Selasa.")
    assert _case(code).status == "answered"
    _citizen(code, "accept")
    assert _case(code).status == "closed" and not _case(code).is_open
    _assert_timeline_and_audit(page_nojs, base, code,
                               ["submit", "assign", "verify", "start", "answer", "accept"])


def test_information_request_extension_and_objection(data, live_server, page_nojs):
    from balai.cases.services import case_submit
    from tests.factories import UserFactory

    base = live_server.url
    citizen = UserFactory(full_name="Pemohon Informasi", phone="+6281250000012")
    case = case_submit(Submission(kind="information_request", channel="web", agency=data["agency"],
                       title="Anggaran puskesmas 2025", description="Mohon salinan RKA.", citizen=citizen,
                       contact_name="Pemohon Informasi", contact_phone="0812-5000-0012"))
    code = case.tracking_code
    due_before = _case(code).due_at
    staff_login(page_nojs, base, data["users"]["ppid"])
    _act(page_nojs, base, code, "start")
    _act(page_nojs, base, code, "extend", reason="Dokumen ada di arsip UPTD dan perlu dikumpulkan.")
    assert _case(code).extended and _case(code).due_at > due_before
    _act(page_nojs, base, code, "answer", body="Salinan RKA kami lampirkan.")
    _citizen(code, "object", reason="Lampiran tidak lengkap: rincian belanja tidak ada.")
    assert _case(code).status == "objection"
    page_nojs.context.clear_cookies()
    staff_login(page_nojs, base, data["users"]["ppid_head"])
    _act(page_nojs, base, code, "answer_objection", body="Rincian belanja kini kami lampirkan lengkap.")
    assert _case(code).status == "objection_answered"
    _citizen(code, "accept")
    assert _case(code).status == "closed"
    _assert_timeline_and_audit(page_nojs, base, code,
                               ["submit", "start", "extend", "answer", "object", "answer_objection", "accept"])


def test_service_request_waiting_for_the_citizen_and_back(data, live_server, page_nojs):
    from balai.cases.services import case_submit
    from balai.catalog.models import Service
    from tests.factories import UserFactory

    base = live_server.url
    citizen = UserFactory(full_name="Pemohon Izin", phone="+6281250000013")
    service = Service.objects.get(agency=data["agency"])
    case = case_submit(Submission(kind="service_request", channel="web", service=service, title="Izin warung kopi",
                       citizen=citizen, contact_phone="0812-5000-0013"))
    code = case.tracking_code
    staff_login(page_nojs, base, data["users"]["verifier"])
    _act(page_nojs, base, code, "verify")
    _act(page_nojs, base, code, "request_info", body="Mohon kirim foto KTP dan denah lokasi usaha.")
    assert _case(code).status == "waiting_citizen" and _case(code).clock_state == "paused"
    _citizen(code, "citizen_reply", body="Foto KTP dan denah sudah saya kirim.")
    assert _case(code).status == "in_progress" and _case(code).clock_state == "running"
    _act(page_nojs, base, code, "complete", body="Izin usaha mikro terbit; silakan unduh.")
    assert _case(code).status == "completed"
    _assert_timeline_and_audit(page_nojs, base, code,
                               ["submit", "verify", "request_info", "citizen_reply", "complete"])


def test_counter_intake_by_keyboard(data, live_server, page_nojs):
    """A walk-in citizen without phone or e-mail: the counter officer registers and prints the receipt."""
    from balai.cases.models import Case

    base = live_server.url
    staff_login(page_nojs, base, data["users"]["counter"])
    page_nojs.goto(f"{base}/kantor/loket/")
    page_nojs.locator("input[name=jenis][value=complaint]").check()
    with page_nojs.expect_navigation():
        page_nojs.keyboard.press("Enter")
    page_nojs.locator("#id_subject").select_option(index=1)
    page_nojs.locator("#id_title").focus()
    page_nojs.keyboard.type("Trotoar rusak")
    page_nojs.locator("#id_contact_name").focus()
    page_nojs.keyboard.type("Pak Darto")
    page_nojs.locator("#id_consent").focus()
    page_nojs.keyboard.press("Space")
    with page_nojs.expect_navigation():
        page_nojs.keyboard.press("Enter")
    case = Case.objects.get(title="Trotoar rusak")
    assert case.channel == "counter" and case.registered_by == data["users"]["counter"]
    assert page_nojs.locator(".tracking-code").inner_text().strip() == case.tracking_code
    response = page_nojs.request.get(f"{base}/kantor/loket/tanda-terima/{case.tracking_code}/?kertas=80mm")
    assert response.status == 200 and response.body().startswith(b"%PDF")
