"""`case_submit_many` (the worker's batch of queued intake) makes exactly what `case_submit` makes of each
submission, with one INSERT per table for the batch, and the audit chain stays a chain."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balai.audit.models import AuditRecord
from balai.audit.services import audit_batch, verify_chain
from balai.cases.models import Case, Event
from balai.cases.services import case_submit, case_submit_many
from balai.cases.submission import Submission
from balai.notify.models import Message

pytestmark = pytest.mark.django_db

CASE_FIELDS = ("kind", "channel", "title", "description", "answers", "contact_name", "contact_phone", "contact_email",
               "contact_channel", "language", "confidentiality", "accommodations", "government_id", "agency_id",
               "unit_id", "service_id", "complaint_category_id", "region_id", "status", "is_open", "version",
               "clock_state", "target_working_days", "due_at", "completion_due_at", "submitted_at", "search_text",
               "citizen_id", "client_id")


def _submissions(world, at):
    base = {"channel": "api", "description": "Isi", "contact_name": "Siti", "contact_phone": "0812-3456-7890",
            "submitted_at": at}
    return [
        Submission(kind="service_request", title="Permohonan", service=world.service, **base),
        Submission(kind="complaint", title="Jalan rusak", complaint_category=world.category, **base),
        Submission(kind="complaint", title="Rahasia", complaint_category=world.category, confidentiality="anonymous",
                   citizen=world.citizen, **base),
        Submission(kind="information_request", title="Anggaran", agency=world.agency, **base),
        Submission(kind="ict_request", title="Surel dinas", service=world.ict_service, **base),
    ]


def _snapshot(case: Case) -> dict:
    message = Message.objects.get(case=case, event="received")
    event = Event.objects.get(case=case)
    record = AuditRecord.objects.get(action="case.submit", target_id=str(case.pk))
    data = dict(record.data)
    data.pop("tracking_code")
    return {"case": {f: getattr(case, f) for f in CASE_FIELDS},
            "event": (event.kind, event.action, event.to_status, event.actor_id, event.actor_label, event.is_public,
                      event.data, event.at),
            "message": (message.channel, message.recipient, message.language, message.status,
                        message.body.replace(case.tracking_code, "CODE"), message.reference == case.tracking_code),
            "audit": (record.actor_id, record.actor_label, data)}


def test_each_case_is_what_case_submit_makes_of_it(world):
    at = timezone.now() - timedelta(minutes=3)
    one_by_one = [case_submit(s) for s in _submissions(world, at)]
    with transaction.atomic(), audit_batch(), CaptureQueriesContext(connection) as queries:
        together = case_submit_many(_submissions(world, at))
    assert all(isinstance(c, Case) for c in together)
    for single, batched in zip(one_by_one, together, strict=True):
        batched.refresh_from_db()
        single.refresh_from_db()
        assert _snapshot(batched) == _snapshot(single)
    world.service.refresh_from_db()
    assert world.service.popularity == 2  # once by each way
    inserts = [q["sql"].split('"')[1] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert sorted(inserts) == sorted({*inserts}), inserts  # one INSERT per table for the whole batch
    report = verify_chain()
    assert report.ok and report.checked == AuditRecord.objects.count()


def test_a_refused_submission_is_returned_and_writes_nothing(world):
    retired = world.category
    retired.is_active = False
    retired.save()
    subs = _submissions(world, None)
    with transaction.atomic():
        outcomes = case_submit_many(subs)
    assert [type(o) for o in outcomes] == [Case, ValidationError, ValidationError, Case, Case]
    assert "complaint_category" in outcomes[1].message_dict
    assert Case.objects.count() == Event.objects.count() == Message.objects.count() == 3
    assert AuditRecord.objects.filter(action="case.submit").count() == 3
    assert verify_chain().ok


def test_a_tracking_code_collision_draws_new_codes_for_the_batch(world, monkeypatch):
    from balai.cases import services

    taken = case_submit(_submissions(world, None)[0]).tracking_code
    codes = iter([taken, "KT-AAAA-AAAA", "KT-CCCC-CCCC", "KT-DDDD-DDDD"])
    monkeypatch.setattr(services, "_new_code", lambda: next(codes))
    with transaction.atomic():
        first, second = case_submit_many(_submissions(world, None)[:2])
    assert (first.tracking_code, second.tracking_code) == ("KT-CCCC-CCCC", "KT-DDDD-DDDD")
    assert Case.objects.count() == 3
