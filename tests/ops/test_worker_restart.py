"""A running worker process loses its database (sessions killed, new connections refused for a while,
then killed again mid-job) and heals by itself: queued submissions registered, outbox messages delivered,
periodic jobs running, interrupted jobs retried or failed with a reason, /healthz healthy (ADR 0021)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.cases.intake import queue_submission
from balai.cases.models import Case, Event, QueuedSubmission
from balai.cases.submission import Submission
from balai.notify.models import DevMessage, Message
from balai.ops.recovery import INTERRUPTED
from balai.people.services import client_application_create
from tests.factories import AgencyFactory, ComplaintCategoryFactory, GovernmentFactory, UnitFactory
from tests.ops import jobs
from tests.ops.processes import (
    admin_connection,
    database_refusing_workers,
    kill_worker_backends,
    wait_for,
    worker_process,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]


def queue(n: int, *, client, category, start: int = 0) -> None:
    for i in range(start, start + n):
        queue_submission(Submission(client=client, kind="complaint", channel="api", title=f"Jalan berlubang {i}",
                         description="Lubang besar di depan pasar.", complaint_category=category,
                         contact_phone=f"0812500{i:05d}", contact_channel="sms"))


def status(job_id) -> str:
    return DBTaskResult.objects.get(pk=job_id).status


def test_the_worker_heals_after_losing_its_database(tmp_path, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    gov = GovernmentFactory()
    agency = AgencyFactory(government=gov)
    category = ComplaintCategoryFactory(agency=agency, unit=UnitFactory(agency=agency))
    bulk, _key = client_application_create(name="Sistem Kabupaten", scopes=["cases:submit"],
                                           rate_limit_per_minute=0, queued_intake=True)
    queue(150, client=bulk, category=category)
    # Highest priority first: the idempotent sleeper is cut off by the outage, the other one by a kill.
    again = jobs.sleep_idempotent.using(priority=10).enqueue(3).id
    once = jobs.sleep_once_only.using(priority=9).enqueue(30).id
    log = tmp_path / "worker.log"
    admin = admin_connection()

    with worker_process(log) as worker:
        wait_for(lambda: status(again) == "RUNNING", timeout=60, what="the first job to start")
        with database_refusing_workers(admin):
            outage_began = timezone.now()
            queue(150, client=bulk, category=category, start=150)  # the web side keeps accepting
            time.sleep(4)  # the worker retries, backing off (at most 1 s apart in these settings)
            assert worker.poll() is None, log.read_text()
        outage_ended = timezone.now()

        wait_for(lambda: status(once) == "RUNNING", timeout=60, what="the second job to start")
        assert status(again) == "SUCCESSFUL"  # run again after the outage, to the end
        assert kill_worker_backends(admin) >= 1  # its sessions killed once more, in the middle of a job

        def drained() -> bool:
            return (not QueuedSubmission.objects.filter(status="queued").exists()
                    and not Message.objects.filter(status__in=["queued", "sending", "failed_temporary"]).exists()
                    and Message.objects.count() == 300)

        wait_for(drained, timeout=120, what="the backlog to be registered and delivered")
        wait_for(lambda: DBTaskResult.objects.filter(task_path="balai.ops.tasks.heartbeat", status="SUCCESSFUL",
                                                     run_after__gt=outage_ended).count() >= 3,
                 timeout=30, what="periodic jobs to keep running")
        assert worker.poll() is None, "the worker exited:\n" + log.read_text()
        response = client.get("/healthz")
        assert response.status_code == 200, response.content
        assert response.json()["worker"] == "ok"
    admin.close()

    # Interrupted jobs: the idempotent one ran twice, the other is failed with the reason, none is stuck.
    assert len(DBTaskResult.objects.get(pk=again).worker_ids) == 2
    failed = DBTaskResult.objects.get(pk=once)
    assert (failed.status, failed.exception_class_path) == ("FAILED", INTERRUPTED)
    assert "database connection was lost" in failed.traceback and "not idempotent" in failed.traceback
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()

    # Every queued submission is exactly one case with its event, audit record and acknowledgement.
    assert QueuedSubmission.objects.filter(status="registered", case__isnull=False).count() == 300
    assert Case.objects.count() == 300
    assert Event.objects.filter(action="submit").count() == 300
    assert AuditRecord.objects.filter(action="case.submit").count() == 300
    assert verify_chain().ok
    assert DevMessage.objects.filter(direction="out").count() == 300  # each message reached the gateway once

    # The outage was logged once when it began and once when it ended, not at every retry.
    text = log.read_text()
    lost, back = text.count("database unavailable"), text.count("database available again")
    assert 1 <= lost <= 3 and lost == back, text  # three disruptions at most, each logged once
    assert outage_began < outage_ended
    assert connection.vendor == "postgresql"
