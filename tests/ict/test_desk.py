"""The ICT service desk: priorities and office-hour targets, the pause (including cuti bersama), the
approval step, the CSIRT intake, escalation (docs/regulations.md §13)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.cases.commands import CaseCommand
from balai.cases.errors import TransitionNotAllowed
from balai.cases.services import case_transition
from balai.ict import desk
from balai.ict.selectors import approvals_waiting, case_targets, my_desk_request
from balai.ict.services import DeskRequest, decide_approval, desk_submit, sweep_targets
from balai.worktime.calendar import add_office_minutes, office_minutes_between
from tests.ict.conftest import wita

pytestmark = pytest.mark.django_db


def _incident(ict, *, impact="high", urgency="medium", at=None):
    return desk_submit(DeskRequest(service=ict.incident, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="Server SIMPUS tidak bisa diakses", impact=impact, urgency=urgency,
                                   on_behalf_of="Kepala Puskesmas", submitted_at=at or wita(2026, 5, 13, 10, 0)))


@pytest.mark.parametrize(("impact", "urgency", "priority"), [
    ("high", "high", "P1"), ("high", "medium", "P2"), ("medium", "high", "P2"), ("medium", "medium", "P3"),
    ("low", "high", "P3"), ("medium", "low", "P4"), ("low", "low", "P4"),
])
def test_priority_matrix(impact, urgency, priority):
    assert desk.priority_for(impact, urgency) == priority


def test_priority_rejects_unknown_levels():
    with pytest.raises(ValueError):
        desk.priority_for("huge", "high")


def test_office_minutes_skip_nights_weekends_and_cuti_bersama():
    # Wed 13 May 2026 14:00; Thu 14 May Ascension (holiday), Fri 15 May cuti bersama, then the weekend.
    start = wita(2026, 5, 13, 14, 0)
    assert add_office_minutes(start, 120) == wita(2026, 5, 13, 16, 0)
    assert add_office_minutes(start, 180) == wita(2026, 5, 18, 9, 0)
    assert office_minutes_between(start, wita(2026, 5, 18, 9, 0)) == 180
    # a start before opening counts from 08:00
    assert add_office_minutes(wita(2026, 5, 18, 6, 0), 30) == wita(2026, 5, 18, 8, 30)


def test_incident_gets_priority_and_office_hour_targets(ict):
    case = _incident(ict)
    assert case.extra["ict"]["priority"] == "P2"
    assert case.extra["ict"]["agency"] == ict.agency.pk
    assert case.citizen_id == ict.officer.pk  # the requester's own staff account
    t = case_targets(case, now=wita(2026, 5, 13, 10, 5))
    assert t.response_due == wita(2026, 5, 13, 11, 0)  # 60 office minutes
    # 8 office hours: 6 on Wednesday, then Thursday holiday, Friday cuti bersama, weekend → Monday 10:00
    assert t.resolution_due == wita(2026, 5, 18, 10, 0)
    assert t.response_met is None and t.resolution_met is None


def test_clock_pauses_while_waiting_for_the_requester_across_cuti_bersama(ict):
    case = _incident(ict)
    case_transition(case, CaseCommand(action="start", actor=ict.agent, at=wita(2026, 5, 13, 10, 30)))
    case_transition(case, CaseCommand(action="request_info", actor=ict.agent, body="Mohon kirim pesan galatnya.",
                    at=wita(2026, 5, 13, 14, 0)))
    case_transition(case, CaseCommand(action="citizen_reply", actor=ict.officer, body="Terlampir.",
                    at=wita(2026, 5, 18, 9, 0)))
    t = case_targets(case, now=wita(2026, 5, 18, 9, 30))
    # paused Wed 14:00–16:00 and Mon 08:00–09:00: 180 office minutes; holiday and cuti bersama count 0
    assert t.paused_minutes == 180
    assert t.resolution_due == wita(2026, 5, 18, 13, 0)
    assert t.response_met is True
    case_transition(case, CaseCommand(action="resolve", actor=ict.agent, body="Sudah pulih.", at=wita(2026, 5, 18, 12, 0)))
    t = case_targets(case, now=wita(2026, 5, 18, 15, 0))
    assert t.resolution_met is True


def test_breached_incident_escalates_to_head_of_unit_then_head(ict):
    case = _incident(ict, impact="high", urgency="high")  # P1: 4 office hours
    assert sweep_targets(now=wita(2026, 5, 13, 13, 0)) == {"head": 0, "agency_head": 0}
    assert sweep_targets(now=wita(2026, 5, 18, 8, 30)) == {"head": 1, "agency_head": 0}
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert sweep_targets(now=wita(2026, 5, 18, 11, 0)) == {"head": 0, "agency_head": 1}
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert case.events.filter(kind="escalation").last().data["to"] == "agency_head"


def test_request_needing_approval_waits_for_the_requesting_agency_head(ict):
    case = desk_submit(DeskRequest(service=ict.subdomain, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="Subdomain simpus.kaltimprov.go.id", answers={}))
    assert case.extra["approval"] == {"state": "pending", "agency": ict.agency.pk, "by": "agency_head"}
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="start", actor=ict.agent))
    assert list(approvals_waiting(ict.agency_head)) == [case]
    assert list(approvals_waiting(ict.other_head)) == []
    assert my_desk_request(ict.agency_head, case.tracking_code) == case
    assert my_desk_request(ict.other_head, case.tracking_code) is None
    with pytest.raises(PermissionDenied):
        decide_approval(case=case, actor=ict.other_head, approve=True)
    with pytest.raises(PermissionDenied):
        decide_approval(case=case, actor=ict.agent, approve=True)
    decide_approval(case=case, actor=ict.agency_head, approve=True, note="Setuju.")
    assert case.extra["approval"]["state"] == "approved"
    case_transition(case, CaseCommand(action="start", actor=ict.agent))
    assert case.status == "in_progress"
    with pytest.raises(ValidationError):
        decide_approval(case=case, actor=ict.agency_head, approve=True)


def test_refused_approval_keeps_the_request_blocked(ict):
    case = desk_submit(DeskRequest(service=ict.subdomain, requester=ict.officer, agency_id=ict.agency.pk,
                                   title="Subdomain baru"))
    with pytest.raises(ValidationError):
        decide_approval(case=case, actor=ict.agency_head, approve=False)  # a refusal needs a reason
    decide_approval(case=case, actor=ict.agency_head, approve=False, note="Pakai subdomain yang ada.")
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="resolve", actor=ict.agent, body="x"))
    case_transition(case, CaseCommand(action="reject", actor=ict.agent, reason="Ditolak kepala perangkat daerah."))
    assert case.status == "rejected"


def test_requester_must_belong_to_the_agency(ict):
    with pytest.raises(ValidationError) as exc:
        desk_submit(DeskRequest(service=ict.incident, requester=ict.officer, agency_id=ict.diskominfo.pk,
                                title="x", impact="low", urgency="low"))
    assert "agency" in exc.value.message_dict


def test_security_incident_records_the_csirt_intake(ict):
    with pytest.raises(ValidationError) as exc:
        desk_submit(DeskRequest(service=ict.security, requester=ict.officer, agency_id=ict.agency.pk,
                                title="Situs diretas", impact="high", urgency="high", security={}))
    assert {"asset", "taxonomy", "tlp"} <= set(exc.value.message_dict)
    case = desk_submit(DeskRequest(
        service=ict.security, requester=ict.officer, agency_id=ict.agency.pk, title="Situs diretas",
        impact="high", urgency="high",
        security={"asset": "dinkes.kaltimprov.go.id", "taxonomy": "intrusions", "impact_text": "Tampilan diubah",
                  "tlp": "TLP:AMBER"}))
    assert case.extra["ict"]["csirt"]["taxonomy"] == "intrusions"
    assert case.extra["ict"]["priority"] == "P1"
