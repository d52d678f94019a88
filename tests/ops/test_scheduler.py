"""Periodic jobs run once per period, however many workers schedule them (ADR 0021)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from balai.ops.models import PeriodicSchedule
from balai.ops.scheduler import claim_due_periods, ensure_schedule, period_start

HEARTBEAT = "balai.ops.tasks.heartbeat"
T0 = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC)


def runs() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=HEARTBEAT).order_by("run_after"))


def finish_all() -> None:
    DBTaskResult.objects.filter(task_path=HEARTBEAT).update(status="SUCCESSFUL", finished_at=T0)


def test_periods_are_epoch_aligned():
    assert period_start(T0 + timedelta(seconds=299), 300) == T0
    assert period_start(T0 + timedelta(seconds=300), 300) == T0 + timedelta(seconds=300)


@pytest.mark.django_db
def test_two_workers_enqueue_a_period_once():
    tasks = {HEARTBEAT: 10}
    ensure_schedule(tasks, now=T0)
    first = claim_due_periods(worker_id="a", now=T0 + timedelta(seconds=1), tasks=tasks)
    second = claim_due_periods(worker_id="b", now=T0 + timedelta(seconds=1), tasks=tasks)
    assert (first, second) == ([HEARTBEAT], [])
    [job] = runs()
    assert job.run_after == T0  # the period's start marks which period the run belongs to
    assert PeriodicSchedule.objects.get(task_path=HEARTBEAT).claimed_by == "a"


@pytest.mark.django_db
def test_every_period_runs_once_with_several_workers_ticking():
    """Three workers tick every second for two minutes of a 10 s job: 12 runs, one per period."""
    tasks = {HEARTBEAT: 10}
    ensure_schedule(tasks, now=T0)
    for second in range(120):
        for worker in ("a", "b", "c"):
            claim_due_periods(worker_id=worker, now=T0 + timedelta(seconds=second, milliseconds=300), tasks=tasks)
        finish_all()  # each run is quick
    starts = [job.run_after for job in runs()]
    assert starts == [T0 + timedelta(seconds=10 * i) for i in range(12)]


@pytest.mark.django_db
def test_a_period_is_skipped_while_the_previous_run_waits():
    tasks = {HEARTBEAT: 10}
    ensure_schedule(tasks, now=T0)
    claim_due_periods(worker_id="a", now=T0, tasks=tasks)
    claim_due_periods(worker_id="b", now=T0 + timedelta(seconds=10), tasks=tasks)  # first run still READY
    assert len(runs()) == 1
    assert PeriodicSchedule.objects.get(task_path=HEARTBEAT).skipped == 1
    finish_all()
    assert claim_due_periods(worker_id="b", now=T0 + timedelta(seconds=20), tasks=tasks) == [HEARTBEAT]


@pytest.mark.django_db
def test_a_changed_interval_applies_from_its_next_boundary():
    ensure_schedule({HEARTBEAT: 10}, now=T0)
    claim_due_periods(worker_id="a", now=T0, tasks={HEARTBEAT: 10})
    ensure_schedule({HEARTBEAT: 3600}, now=T0 + timedelta(seconds=5))
    row = PeriodicSchedule.objects.get(task_path=HEARTBEAT)
    assert (row.interval_seconds, row.due_at) == (3600, T0 + timedelta(hours=1))


@pytest.mark.django_db
def test_a_job_switched_off_is_not_scheduled(settings):
    from balai.ops.scheduler import periodic_tasks

    settings.BALAI_PERIODIC_TASKS = {HEARTBEAT: 0, "balai.ops.tasks.prune_task_results": 60}
    assert periodic_tasks() == {"balai.ops.tasks.prune_task_results": 60}
