"""Submission: validation, routing, clock start, timeline, audit and notification in one transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balai.audit.models import AuditRecord
from balai.cases.commands import CaseCommand
from balai.cases.errors import MissingRequirement
from balai.cases.models import Case, Event
from balai.cases.queue import base_queue
from balai.cases.selectors import case_by_code, public_timeline
from balai.cases.services import (
    available_actions,
    case_add_note,
    case_assign,
    case_dispose,
    case_transition,
    citizen_actions,
)
from balai.catalog.models import ComplaintRoute, Service
from balai.notify.models import Message
from tests.factories import AgencyFactory, RegionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_service_request_is_routed_numbered_timed_audited_and_acknowledged(world, submit):
    case = submit("service_request", accommodations=["wheelchair", "sign_language"])
    assert case.agency == world.agency and case.unit == world.unit and case.government == world.government
    assert case.status == "submitted" and case.is_open and case.version == 1
    assert case.tracking_code.startswith("KT-") and len(case.tracking_code) == 12
    assert case.contact_phone == "+6281234567890"
    assert case.has_accommodations and case.accommodations == ["wheelchair", "sign_language"]
    ev = Event.objects.get(case=case)
    assert ev.kind == "submitted" and ev.to_status == "submitted" and ev.is_public
    assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).count() == 1
    assert list(Message.objects.filter(case=case).values_list("event", flat=True)) == ["received"]
    world.service.refresh_from_db()
    assert world.service.popularity == 1


def test_complaint_follows_the_regional_route(world, submit):
    regency = RegionFactory(code="64.02", name="Kutai Kartanegara", level="regency")
    uptd_agency = AgencyFactory(government=world.government)
    uptd = UnitFactory(agency=uptd_agency, kind="uptd")
    ComplaintRoute.objects.create(category=world.category, region=regency, agency=uptd_agency, unit=uptd)
    village = RegionFactory(code="64.02.01.2001", name="Desa Uji", level="village")
    case = submit("complaint", region=village)
    assert (case.agency, case.unit) == (uptd_agency, uptd)
    other = submit("complaint", region=None)
    assert (other.agency, other.unit) == (world.agency, world.unit)


def test_information_request_goes_to_the_ppid_and_ict_to_diskominfo(world, submit):
    assert submit("information_request").unit == world.ppid_unit
    ict = submit("ict_request")
    assert (ict.agency, ict.unit) == (world.diskominfo, world.ict_unit)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"title": " "}, "title"),
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"contact_email": "bukan-email"}, "contact_email"),
    ({"contact_channel": "email", "contact_email": ""}, "contact_email"),
    ({"accommodations": ["teleportation"]}, "accommodations"),
    ({"confidentiality": "secret"}, "confidentiality"),
    ({"latitude": "200"}, "latitude"),
    ({"channel": "fax"}, "channel"),
    ({"service": None}, "service"),
])
def test_invalid_submissions_are_refused_with_field_messages(submit, kwargs, field):
    with pytest.raises(ValidationError) as info:
        submit("service_request", **kwargs)
    assert field in info.value.message_dict
    assert Case.objects.count() == 0 and Event.objects.count() == 0


def test_an_ict_service_cannot_be_requested_as_a_public_service(world, submit):
    with pytest.raises(ValidationError) as info:
        submit("service_request", service=world.ict_service)
    assert "service" in info.value.message_dict


def test_answers_are_validated_against_the_service_form(world, submit):
    world.service.form_definition = [
        {"name": "jumlah", "type": "number", "label": {"id": "Jumlah", "en": "Number"}, "required": True,
         "min": 1, "max": 10},
    ]
    world.service.save()
    with pytest.raises(ValidationError) as info:
        submit("service_request", answers={})
    assert "answers.jumlah" in info.value.message_dict
    case = submit("service_request", answers={"jumlah": "3", "unknown": "x"})
    assert case.answers == {"jumlah": 3}


def test_submission_is_atomic(world, submit, monkeypatch):
    import balai.notify.outbox

    def boom(*args, **kwargs):
        raise RuntimeError("gateway table missing")

    # A submission writes its acknowledgement with `queue_messages` (the writer it shares with a batch).
    monkeypatch.setattr(balai.notify.outbox, "queue_messages", boom)
    with pytest.raises(RuntimeError):
        submit("service_request")
    assert Case.objects.count() == 0 and Event.objects.count() == 0
    assert not AuditRecord.objects.filter(action="case.submit").exists()
    world.service.refresh_from_db()
    assert world.service.popularity == 0


@pytest.mark.parametrize("target", ["balai.audit.services.audit_record", "balai.cases.messages.queue_case_message"])
def test_transition_is_atomic(world, submit, monkeypatch, target):
    case = submit("service_request")
    events, records, messages = Event.objects.count(), AuditRecord.objects.count(), Message.objects.count()
    module, name = target.rsplit(".", 1)

    def boom(**kwargs):
        raise RuntimeError("failure inside the transaction")

    monkeypatch.setattr(__import__(module, fromlist=[name]), name, boom)
    with pytest.raises(RuntimeError):
        case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case.refresh_from_db()
    assert case.status == "submitted" and case.version == 1
    assert (Event.objects.count(), AuditRecord.objects.count(), Message.objects.count()) == (
        events, records, messages)


def test_stale_version_is_a_conflict(world, submit):
    from balai.cases.errors import ConflictError

    case = submit("service_request")
    case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], expected_version=1))
    with pytest.raises(ConflictError) as info:
        case_transition(case, CaseCommand(action="note", actor=world.staff["operator"], body="x", expected_version=1))
    assert "Reload" in str(info.value) or "Muat" in str(info.value)


def test_notes_assignment_and_disposition(world, submit):
    case = submit("complaint", confidentiality="confidential")
    case = case_add_note(case=case, actor=world.staff["operator"], body="Cek lokasi besok")
    note = case.events.get(kind="note")
    assert not note.is_public and case.status == "submitted"
    assert AuditRecord.objects.filter(action="case.transition.note").exists()
    assert note not in public_timeline(case)
    # inspectors may add notes on any case of their government
    case_add_note(case=case, actor=world.staff["inspector"], body="Dipantau")
    with pytest.raises(MissingRequirement) as info:
        case_assign(case=case, actor=world.staff["head"], assignee=world.outsider)
    assert "assignee" in info.value.field_errors
    case = case_assign(case=case, actor=world.staff["head"], assignee=world.staff["operator"])
    assert case.assignee == world.staff["operator"]
    assert AuditRecord.objects.filter(action="case.assign").exists()
    assert list(base_queue(user=world.staff["operator"], mine=True)) == [case]
    case = case_dispose(case=case, actor=world.staff["head"], reason="Wewenang dinas lain",
                        target_agency=world.diskominfo)
    assert (case.agency, case.unit, case.assignee) == (world.diskominfo, world.ict_unit, None)
    assert AuditRecord.objects.filter(action="case.dispose").exists()
    assert Message.objects.filter(case=case, event="disposed").exists()
    # The agency it came from keeps sight of it (visibility's "former agency" rule reads this event).
    from balai.cases.visibility import ViewerKind, former_agency_ids, viewer_kind

    event = case.events.get(action="dispose")
    assert event.data["from_agency_id"] == world.agency.pk and event.data["from_unit_id"] == world.unit.pk
    assert former_agency_ids(case) == {world.agency.pk}
    assert viewer_kind(case=case, viewer=world.staff["operator"]) == ViewerKind.FORMER_AGENCY


def test_available_and_citizen_actions(world, submit):
    case = submit("complaint")
    names = {a.name for a in available_actions(case=case, user=world.staff["verifier"])}
    assert {"verify", "reject", "request_info", "dispose", "note", "assign"} <= names
    assert "escalate" not in names  # head only
    assert {a.name for a in available_actions(case=case, user=world.staff["counter"])} == set()
    assert {a.name for a in available_actions(case=case, user=world.outsider)} == set()
    assert citizen_actions(case=case) == []
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["operator"], body="Selesai"))
    spec = {a.name: a for a in citizen_actions(case=case)}
    assert set(spec) == {"accept", "dispute"}
    assert spec["dispute"].requires == frozenset({"reason"}) and str(spec["dispute"].label)


def test_a_citizen_with_an_account_acts_as_the_citizen(world, submit):
    case = submit("service_request", citizen=world.citizen)
    case = case_transition(case, CaseCommand(action="request_info", actor=world.staff["operator"], body="KK?"))
    case = case_transition(case, CaseCommand(action="citizen_reply", actor=world.citizen, body="Terlampir"))
    assert case.status == "in_progress"
    assert case.events.get(action="citizen_reply").actor == world.citizen


def test_lookup_by_code_accepts_what_people_type(submit):
    case = submit("service_request")
    typed = case.tracking_code.lower().replace("-", " ")
    assert case_by_code(typed) == case
    assert case_by_code(case.tracking_code.replace("-", "")) == case
    assert case_by_code("KT-XXXX-XXXX") is None
    assert case_by_code("") is None


def test_ict_service_kind_is_checked(world, submit):
    assert world.ict_service.kind == Service.Kind.ICT
    case = submit("ict_request")
    assert case.kind == "ict_request" and case.target_working_days == 3


def test_anonymous_citizen_is_not_named_in_timeline_or_audit(world, submit):
    case = submit("complaint", citizen=world.citizen, confidentiality="anonymous")
    ev = case.events.get(kind="submitted")
    assert ev.actor is None and "Siti" not in ev.actor_label
    record = AuditRecord.objects.get(action="case.submit", target_id=str(case.pk))
    assert record.actor_id is None and "Siti" not in record.actor_label
    case = case_transition(case, CaseCommand(action="request_info", actor=world.staff["operator"], body="Lokasi?"))
    case = case_transition(case, CaseCommand(action="citizen_reply", actor=world.citizen, body="Di simpang tiga"))
    reply = case.events.get(action="citizen_reply")
    assert reply.actor is None and "Siti" not in reply.actor_label


def _drawn(*codes: str):
    """A stand-in for the tracking-code generator that draws `codes` in order."""
    it = iter(codes)
    return lambda: next(it)


@pytest.mark.parametrize("nested", [False, True])
def test_a_tracking_code_collision_draws_another_code(world, submit, monkeypatch, nested):
    from django.db import transaction

    import balai.cases.services as services

    first = submit("complaint")
    monkeypatch.setattr(services, "_new_code", _drawn(first.tracking_code, "KT-ZZZZ-ZZZ2"))
    if nested:  # a channel that writes more in the same transaction (Open311 writes its token)
        with transaction.atomic():
            case = submit("complaint")
    else:
        case = submit("complaint")
    assert case.tracking_code == "KT-ZZZZ-ZZZ2"
    assert Event.objects.filter(case=case).count() == 1
    assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).count() == 1
    assert Message.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_submission_commits_once_with_its_message_and_delivery_task(world, submit):
    """One transaction holds the case, its event, the audit record, the message and the message's
    delivery task (ADR 0008): no savepoint, and no second commit for the task."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    with CaptureQueriesContext(connection) as queries:
        case = submit("complaint")
    sql = [q["sql"] for q in queries.captured_queries]
    assert sql.count("COMMIT") == 1 and sql[-1] == "COMMIT"
    assert not any(s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for s in sql)
    message = Message.objects.get(case=case)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [message.pk]


def test_a_rolled_back_submission_leaves_neither_message_nor_task(world, submit):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        submit("complaint")
        raise RuntimeError("the caller failed after submitting")
    assert not Case.objects.exists() and not Message.objects.exists() and not DBTaskResult.objects.exists()
