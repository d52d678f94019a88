"""Jobs cut off by a lost database or a dead worker are retried or failed with a reason (ADR 0021)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.ops import recovery
from balai.ops.models import WorkerHeartbeat
from balai.ops.tasks import heartbeat, prune_task_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.BALAI_PERIODIC_TASKS = {"balai.ops.tasks.prune_task_results": 3600}
    settings.BALAI_IDEMPOTENT_TASKS = set()
    settings.BALAI_WORKER_STALE_SECONDS = 60


def running(task, *, worker: str, started_ago: float = 300, runs: int = 1) -> DBTaskResult:
    job = DBTaskResult.objects.get(pk=task.enqueue().id)
    job.status = "RUNNING"
    job.started_at = timezone.now() - timedelta(seconds=started_ago)
    job.worker_ids = ["earlier"] * (runs - 1) + [worker]
    job.save()
    return job


def test_an_idempotent_job_is_queued_again(db_tasks):
    job = running(prune_task_results, worker="w1")  # periodic, hence idempotent
    assert recovery.recover_own_jobs(worker_id="w1", reason="lost") == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == "READY" and job.worker_ids == ["w1"]


def test_other_jobs_are_marked_failed_with_the_reason(db_tasks):
    job = running(heartbeat, worker="w1")  # not periodic here and not declared idempotent
    recovery.recover_own_jobs(worker_id="w1", reason="the database connection was lost")
    job.refresh_from_db()
    assert job.status == "FAILED" and job.finished_at is not None
    assert job.exception_class_path == recovery.INTERRUPTED
    assert "the database connection was lost" in job.traceback and "not idempotent" in job.traceback


def test_retries_stop_after_three_runs(db_tasks):
    job = running(prune_task_results, worker="w1", runs=recovery.MAX_ATTEMPTS)
    recovery.recover_own_jobs(worker_id="w1", reason="lost")
    job.refresh_from_db()
    assert job.status == "FAILED" and "given up" in job.traceback


def test_a_worker_settles_only_its_own_jobs(db_tasks):
    mine, theirs = running(prune_task_results, worker="w1"), running(prune_task_results, worker="w2")
    recovery.recover_own_jobs(worker_id="w1", reason="lost")
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=theirs.pk).status == "RUNNING"


def test_the_reaper_takes_back_jobs_of_silent_workers_only(db_tasks):
    now = timezone.now()
    recovery.beat(worker_id="alive", started_at=now)
    WorkerHeartbeat.objects.create(worker_id="silent", hostname="h", pid=1, started_at=now,
                                   seen_at=now - timedelta(minutes=5))
    alive = running(prune_task_results, worker="alive")
    silent = running(prune_task_results, worker="silent")
    vanished = running(heartbeat, worker="never-beat")  # killed before its first heartbeat; not idempotent
    just_claimed = running(prune_task_results, worker="new", started_ago=1)
    assert recovery.reap_orphaned_jobs() == {"requeued": 1, "failed": 1}
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[alive.pk] == "RUNNING" and status[just_claimed.pk] == "RUNNING"
    assert status[silent.pk] == "READY" and status[vanished.pk] == "FAILED"
    assert "never-beat stopped" in DBTaskResult.objects.get(pk=vanished.pk).traceback


def test_settling_is_conditional_on_the_row_being_unchanged(db_tasks):
    job = running(prune_task_results, worker="w1")
    DBTaskResult.objects.filter(pk=job.pk).update(status="SUCCESSFUL")  # its worker finished it after all
    assert recovery.settle_interrupted(job, reason="lost") == ""
    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"


def test_deliveries_and_periodic_jobs_are_declared_idempotent():
    from django.conf import settings

    assert recovery.is_idempotent("balai.notify.tasks.deliver_message")
    assert all(recovery.is_idempotent(path) for path in settings.BALAI_PERIODIC_TASKS)
