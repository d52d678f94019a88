"""The worker registers queued submissions in batches (ADR 0014): one transaction and one append to the
audit chain per batch, each case still complete with its event, audit record and acknowledgement; a
refused submission drops only its own records; a failure leaves the whole batch queued."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.cases.intake import BATCH, helpers_wanted, queue_submission, register_queued
from balai.cases.models import Case, Event, QueuedSubmission
from balai.cases.submission import Submission
from balai.notify.models import Message
from balai.people.services import client_application_create
from tests.factories import AgencyFactory, ComplaintCategoryFactory, GovernmentFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency = AgencyFactory(government=GovernmentFactory())
    category = ComplaintCategoryFactory(agency=agency, unit=UnitFactory(agency=agency))
    client, _key = client_application_create(name="Sistem Kabupaten", scopes=["cases:submit"],
                                             rate_limit_per_minute=0, queued_intake=True)
    return client, category


def queue(n: int, client, category, start: int = 0) -> None:
    for i in range(start, start + n):
        queue_submission(Submission(client=client, kind="complaint", channel="api", title=f"Jalan berlubang {i}",
                         complaint_category=category, contact_phone=f"0812500{i:05d}"))


def audit_inserts(queries) -> int:
    return sum(q["sql"].startswith('INSERT INTO "audit_auditrecord"') for q in queries.captured_queries)


def test_each_batch_is_one_transaction_with_one_append_to_the_chain(world):
    queue(2 * BATCH + 10, *world)
    with CaptureQueriesContext(connection) as queries:
        assert register_queued() == {"registered": 2 * BATCH + 10, "failed": 0}
    assert audit_inserts(queries) == 3  # not one per case
    per_batch = len(queries.captured_queries) / 3
    # One INSERT per table for a batch: was 16 statements per case (one submission per transaction),
    # then 7 per case (one savepoint and four INSERTs per case); now a dozen for the whole batch.
    assert per_batch <= 15, [q["sql"][:60] for q in queries.captured_queries]
    for case in Case.objects.all():
        assert Event.objects.filter(case=case, action="submit").count() == 1
        assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).count() == 1
        assert Message.objects.filter(case=case, event="received").count() == 1
    assert set(QueuedSubmission.objects.values_list("status", flat=True)) == {"registered"}
    assert QueuedSubmission.objects.filter(case__isnull=True).count() == 0
    report = verify_chain()
    assert report.ok and report.checked == AuditRecord.objects.count()


def test_a_refused_submission_drops_only_its_own_records(world):
    client, category = world
    queue(3, client, category)
    retired = ComplaintCategoryFactory(agency=category.agency, unit=category.unit)
    queue(1, client, retired, start=3)
    queue(3, client, category, start=4)
    retired.is_active = False
    retired.save()
    assert register_queued() == {"registered": 6, "failed": 1}
    refused = QueuedSubmission.objects.get(status="failed")
    assert refused.errors and refused.case is None
    assert Case.objects.count() == AuditRecord.objects.filter(action="case.submit").count() == 6
    assert verify_chain().ok


def test_an_error_in_the_middle_leaves_the_whole_batch_queued(world, monkeypatch):
    queue(5, *world)
    from balai.notify import outbox

    real = outbox.queue_messages

    def killed(messages):  # the batch's cases and events are written; then the worker dies
        assert Case.objects.count() == 5
        raise RuntimeError("worker killed")

    monkeypatch.setattr(outbox, "queue_messages", killed)
    records_before = AuditRecord.objects.count()  # the fixture's client key is an audited privilege
    with pytest.raises(RuntimeError):
        register_queued()
    assert QueuedSubmission.objects.filter(status="queued").count() == 5
    assert not Case.objects.exists() and not Message.objects.exists() and not Event.objects.exists()
    assert AuditRecord.objects.count() == records_before
    monkeypatch.setattr(outbox, "queue_messages", real)
    assert register_queued() == {"registered": 5, "failed": 0}  # registered once, when tried again
    assert Case.objects.count() == 5


def test_a_large_backlog_is_shared_with_other_workers(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.BALAI_INTAKE_PARALLEL = 3
    assert helpers_wanted(parallel=3) == 0
    queue(BATCH * 4 * 2, *world)
    assert helpers_wanted(parallel=1) == 0
    assert helpers_wanted(parallel=3) == 2
    from balai.cases.tasks import register_queued_submissions

    register_queued_submissions.call()
    helpers = DBTaskResult.objects.filter(task_path="balai.cases.tasks.help_register_queued_submissions")
    assert helpers.count() == 2  # for two more workers; this run registered everything meanwhile
    assert not QueuedSubmission.objects.filter(status="queued").exists()
    register_queued_submissions.call()
    assert helpers.count() == 2  # nothing waiting, no more helpers
