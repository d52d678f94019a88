"""Deadline rules of docs/regulations.md §3–4, with dates computed by hand from the 2026 calendar.

2026 days off used here (weekdays): 16–17 Feb (Imlek and its cuti bersama), 18–20 and 23–24 Mar (Nyepi,
Idul Fitri and cuti bersama), 3 Apr (Good Friday), 14–15 May (Ascension + cuti bersama), 27–28 May
(Idul Adha + cuti bersama), 1 Jun (Pancasila), 17 and 25 Aug. Office closes 16:00 WITA.
"""

from __future__ import annotations

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.deadlines import sweep
from balai.cases.errors import TransitionNotAllowed
from balai.cases.services import case_transition
from tests.cases.conftest import wita
from tests.ppid.helpers import privacy_test

pytestmark = pytest.mark.django_db


def test_service_request_deadline_across_imlek(submit):
    case = submit("service_request", submitted_at=wita(2026, 2, 9, 10))  # 5 working days
    # Tue 10, Wed 11, Thu 12, Fri 13, (Mon 16 and Tue 17 off) Wed 18
    assert case.due_at == wita(2026, 2, 18, 16)
    assert case.clock_state == "running" and case.target_working_days == 5


def test_ict_request_uses_the_service_deadline(submit):
    case = submit("ict_request", submitted_at=wita(2026, 7, 3, 14))  # 3 working days
    assert case.due_at == wita(2026, 7, 8, 16)


def test_complaint_verification_3_then_follow_up_5_then_closure_10(world, submit):
    case = submit("complaint", submitted_at=wita(2026, 3, 16, 9))
    # verification within 3 working days: Tue 17, (18–24 off) Wed 25, Thu 26
    assert case.due_at == wita(2026, 3, 26, 16)
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 3, 26, 11)))
    # follow-up within 5 working days of verification: 27, 30, 31 Mar, 1, 2 Apr
    assert case.due_at == wita(2026, 4, 2, 16)
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["operator"], body="Sudah diperbaiki.",
                           at=wita(2026, 4, 2, 15)))
    assert case.status == "answered" and case.clock_state == "stopped"
    # Mon 16 Mar → Thu 2 Apr: 17, 25, 26, 27, 30, 31, 1, 2 = 8 working days
    assert case.elapsed_working_days == 8
    # closure 10 working days after the answer: (3 Apr off) 6–10, 13–17 Apr
    assert case.auto_close_at == wita(2026, 4, 17, 16)
    assert sweep(now=wita(2026, 4, 17, 15, 59)).auto_closed == 0
    case.refresh_from_db()
    assert case.status == "answered"
    assert sweep(now=wita(2026, 4, 17, 16)).auto_closed == 1
    case.refresh_from_db()
    assert case.status == "closed" and not case.is_open and case.closed_at == wita(2026, 4, 17, 16)
    assert case.events.filter(action="auto_close", actor__isnull=True, actor_label="system").exists()


def test_complaint_dispute_goes_back_with_a_new_follow_up_deadline(world, submit):
    case = submit("complaint", submitted_at=wita(2026, 7, 1, 9))
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 7, 1, 10)))
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["operator"], body="Jawaban",
                           at=wita(2026, 7, 3, 10)))
    case = case_transition(case, CaseCommand(action="dispute", actor=None, channel="sms", reason="Belum beres",
                           at=wita(2026, 7, 6, 9)))
    assert case.status == "in_progress" and case.clock_state == "running" and case.auto_close_at is None
    assert case.due_at == wita(2026, 7, 13, 16)  # 7, 8, 9, 10, 13 Jul
    # the citizen's time between answer (Fri 3) and dispute (Mon 6) is not the agency's: 1 working day
    assert case.paused_working_days == 1


def test_complaint_dispute_after_the_closure_window_is_refused(world, submit):
    case = submit("complaint", submitted_at=wita(2026, 7, 1, 9))
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 7, 1, 10)))
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["operator"], body="Jawaban",
                           at=wita(2026, 7, 2, 10)))
    assert case.auto_close_at == wita(2026, 7, 16, 16)  # 3, 6–10, 13–16 Jul
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="dispute", actor=None, channel="web", reason="x", at=wita(2026, 7, 17, 8)))


def test_complaint_completion_target_per_category_caps_stage_deadlines(world, submit):
    world.category.completion_working_days = 4
    world.category.save()
    case = submit("complaint", submitted_at=wita(2026, 6, 8, 9))
    assert case.completion_due_at == wita(2026, 6, 12, 16)  # 9, 10, 11, 12 Jun
    assert case.due_at == wita(2026, 6, 11, 16)  # verification: 9, 10, 11
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 10, 10)))
    # follow-up would be 17 Jun (11, 12, 15, 16, 17) but the category's target ends on 12 Jun
    assert case.due_at == wita(2026, 6, 12, 16)


def test_disposition_keeps_the_clock(world, submit):
    case = submit("complaint", submitted_at=wita(2026, 7, 1, 9))
    due = case.due_at
    case = case_transition(case, CaseCommand(action="dispose", actor=world.staff["head"], reason="Bukan wewenang kami",
                           target_unit=world.other_unit, at=wita(2026, 7, 2, 9)))
    assert case.unit == world.other_unit and case.due_at == due and case.assignee is None
    assert case.events.filter(kind="forwarding", data__unit=world.other_unit.pk).exists()


def test_information_request_10_days_then_one_extension_of_7(world, submit):
    case = submit("information_request", submitted_at=wita(2026, 5, 4, 10))
    assert case.unit == world.ppid_unit
    # 5–8, 11–13, (14, 15 off) 18, 19, 20 May
    assert case.due_at == wita(2026, 5, 20, 16)
    case = case_transition(case, CaseCommand(action="extend", actor=world.staff["ppid"], reason="Data di tiga bidang",
                           at=wita(2026, 5, 19, 9)))
    # 21, 22, 25, 26, (27, 28 off) 29 May, (1 Jun off) 2, 3 Jun
    assert case.due_at == wita(2026, 6, 3, 16) and case.extended
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="extend", actor=world.staff["ppid"], reason="lagi", at=wita(2026, 5, 20, 9)))


def test_information_refusal_objection_and_superior_answer(world, submit):
    case = submit("information_request", submitted_at=wita(2026, 6, 22, 10))
    test = privacy_test(world.agency)
    case = case_transition(case, CaseCommand(action="refuse", actor=world.staff["ppid"], exemption="17h",
                           reason="Membuka rahasia pribadi pemohon lain", at=wita(2026, 7, 2, 10),
                           data={"consequence_test": test.number}))
    assert case.status == "refused"
    ev = case.events.get(action="refuse")
    assert ev.data["exemption"] == "17h"
    # objection window 30 working days: 3, 6–10, 13–17, 20–24, 27–31 Jul, 3–7, 10–13 Aug
    assert case.auto_close_at == wita(2026, 8, 13, 16)
    case = case_transition(case, CaseCommand(action="object", actor=None, channel="web", reason="Keberatan pasal 35",
                           at=wita(2026, 8, 13, 15)))
    assert case.status == "objection"
    # the superior answers within 30 working days: 14, (17 off) 18–21, 24, (25 off) 26–28 Aug,
    # 31 Aug–4 Sep, 7–11, 14–18, 21–25, 28 Sep
    assert case.due_at == wita(2026, 9, 28, 16)
    case = case_transition(case, CaseCommand(action="answer_objection", actor=world.staff["ppid_head"],
                           body="Keberatan ditolak dengan alasan tertulis", at=wita(2026, 9, 28, 10)))
    assert case.status == "objection_answered"
    # dispute to the Komisi Informasi within 14 working days: 29, 30 Sep, 1, 2, 5–9, 12–16 Oct
    assert case.auto_close_at == wita(2026, 10, 16, 16)
    assert case.events.get(action="answer_objection").data["komisi_informasi_until"] == \
        wita(2026, 10, 16, 16).isoformat()
    sweep(now=wita(2026, 10, 16, 16))
    case.refresh_from_db()
    assert case.status == "closed"


def test_objection_window_closes_after_30_working_days(world, submit):
    case = submit("information_request", submitted_at=wita(2026, 6, 22, 10))
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["ppid"], body="Terlampir",
                           at=wita(2026, 7, 2, 10)))
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="object", actor=None, channel="web", reason="x",
                        at=wita(2026, 8, 14, 8)))


def test_late_information_request_objection(world, submit):
    case = submit("information_request", submitted_at=wita(2026, 5, 4, 10))
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="object_late", actor=None, channel="web", reason="Terlambat",
                        at=wita(2026, 5, 20, 15)))
    case = case_transition(case, CaseCommand(action="object_late", actor=None, channel="web", reason="Terlambat",
                           at=wita(2026, 5, 21, 9)))
    assert case.status == "objection"


def test_refusal_needs_an_exemption_and_a_consequence_test(world, submit):
    from balai.cases.errors import MissingRequirement

    case = submit("information_request")
    with pytest.raises(MissingRequirement) as info:
        case_transition(case, CaseCommand(action="refuse", actor=world.staff["ppid"], exemption="bukan-pasal"))
    assert set(info.value.field_errors) == {"exemption", "reason"}


def test_pause_and_resume_exclude_the_citizens_time(world, submit):
    case = submit("service_request", submitted_at=wita(2026, 7, 6, 9))
    assert case.due_at == wita(2026, 7, 13, 16)  # 7–10, 13 Jul
    case = case_transition(case, CaseCommand(action="request_info", actor=world.staff["operator"],
                           body="Mohon lampirkan KK", at=wita(2026, 7, 7, 10)))
    assert case.clock_state == "paused" and case.paused_at == wita(2026, 7, 7, 10)
    case = case_transition(case, CaseCommand(action="citizen_reply", actor=None, channel="sms", body="Sudah saya kirim",
                           at=wita(2026, 7, 10, 11)))
    # paused for 8, 9, 10 Jul = 3 working days; the deadline moves by 3: 14, 15, 16 Jul
    assert case.paused_working_days == 3 and case.clock_state == "running"
    assert case.due_at == wita(2026, 7, 16, 16)
    case = case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"], at=wita(2026, 7, 20, 12)))
    # 7–10, 13–17, 20 Jul = 10 working days, minus 3 paused
    assert case.elapsed_working_days == 7
    assert case.events.get(action="complete").data["on_time"] is False


def test_the_sweep_does_not_breach_a_paused_case(world, submit):
    case = submit("service_request", submitted_at=wita(2026, 7, 6, 9))
    case_transition(case, CaseCommand(action="request_info", actor=world.staff["operator"], body="?",
                    at=wita(2026, 7, 7, 10)))
    result = sweep(now=wita(2026, 7, 30, 9))
    case.refresh_from_db()
    assert result.breached == 0 and case.breached_at is None


def test_reopen_within_the_configured_working_days(world, submit, settings):
    settings.BALAI_REOPEN_DAYS = 10
    case = submit("service_request", submitted_at=wita(2026, 7, 6, 9))
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 7, 6, 10)))
    case = case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"], at=wita(2026, 7, 20, 12)))
    # 10 working days after closure: 21–24, 27–31 Jul, 3 Aug
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="reopen", actor=None, channel="web", reason="x", at=wita(2026, 8, 4, 9)))
    case = case_transition(case, CaseCommand(action="reopen", actor=None, channel="web", reason="Izin belum terbit",
                           at=wita(2026, 8, 3, 15)))
    assert case.status == "in_progress" and case.is_open and case.closed_at is None
    assert case.due_at == wita(2026, 8, 10, 16)  # 4–7, 10 Aug
    settings.BALAI_REOPEN_DAYS = 2
    case = case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"], at=wita(2026, 8, 5, 9)))
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action="reopen", actor=None, channel="web", reason="x", at=wita(2026, 8, 10, 9)))


def test_due_soon_breach_and_escalation_levels(world, submit):
    case = submit("ict_request", submitted_at=wita(2026, 7, 3, 14))  # due Wed 8 Jul 16:00
    assert sweep(now=wita(2026, 7, 6, 9)).due_soon_marked == 0
    assert sweep(now=wita(2026, 7, 7, 9)).due_soon_marked == 1
    case.refresh_from_db()
    assert case.due_soon and case.breached_at is None
    result = sweep(now=wita(2026, 7, 8, 16, 30))
    case.refresh_from_db()
    assert result.breached == 1 and result.escalated_to_head == 1
    assert case.breached_at == wita(2026, 7, 8, 16) and not case.due_soon
    assert case.escalation_level == 1 and case.escalated_at == wita(2026, 7, 8, 16, 30)
    ev = case.events.get(kind="escalation")
    assert ev.data["to"] == "head" and ev.data["level"] == 1 and not ev.is_public
    # one working day after the first escalation ends at the close of Thu 9 Jul
    assert sweep(now=wita(2026, 7, 9, 15, 59)).escalated_to_inspectorate == 0
    result = sweep(now=wita(2026, 7, 9, 16))
    case.refresh_from_db()
    assert result.escalated_to_inspectorate == 1 and case.escalation_level == 2
    # an ICT request's level 2 is Diskominfo's head (ICT_REQUEST.escalation_chain), not the inspectorate
    last = case.events.filter(kind="escalation").last().data
    assert last["to"] == "agency_head" and last["agency"] == case.agency_id
    assert sweep(now=wita(2026, 7, 20, 9)).as_dict() == sweep(now=wita(2026, 7, 20, 9)).as_dict() == {
        "due_soon_marked": 0, "due_soon_cleared": 0, "breached": 0, "escalated_to_head": 0,
        "escalated_to_inspectorate": 0, "auto_closed": 0, "closure_notices": 0, "failed": 0}


def test_sweep_is_idempotent(world, submit):
    from balai.audit.models import AuditRecord
    from balai.cases.models import Case, Event

    for day in range(1, 9):
        submit("service_request", submitted_at=wita(2026, 7, day, 9))
        submit("complaint", submitted_at=wita(2026, 7, day, 9))
    answered = submit("complaint", submitted_at=wita(2026, 6, 1, 9))
    case_transition(answered, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 2, 9)))
    case_transition(answered, CaseCommand(action="answer", actor=world.staff["operator"], body="x", at=wita(2026, 6, 3, 9)))
    now = wita(2026, 7, 10, 9)

    def snapshot():
        return (list(Case.objects.order_by("pk").values_list(
            "status", "version", "due_soon", "breached_at", "escalation_level", "is_open")),
            Event.objects.count(), AuditRecord.objects.count())

    first = sweep(now=now)
    assert first.breached > 0 and first.due_soon_marked > 0 and first.auto_closed == 1
    after_first = snapshot()
    second = sweep(now=now)
    assert snapshot() == after_first
    assert set(second.as_dict().values()) == {0}


def test_due_soon_cleared_when_the_deadline_moves(world, submit):
    case = submit("information_request", submitted_at=wita(2026, 5, 4, 10))  # due 20 May
    sweep(now=wita(2026, 5, 19, 9))
    case.refresh_from_db()
    assert case.due_soon
    case = case_transition(case, CaseCommand(action="extend", actor=world.staff["ppid"], reason="Perlu waktu",
                           at=wita(2026, 5, 19, 10)))
    assert not case.due_soon
    sweep(now=wita(2026, 5, 19, 11))
    case.refresh_from_db()
    assert not case.due_soon
