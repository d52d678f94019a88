"""Jobs interrupted by a lost database or a dead worker: retried or failed with a reason, never lost (ADR 0021).

A job is RUNNING from the moment a worker claims it until the worker records its outcome. When the
database goes away in between, or the worker process dies, the row would stay RUNNING for ever. Two
things take it back:

- the worker itself, once it is connected again, settles the job it was running (`recover_own_jobs`);
- any worker settles jobs RUNNING under a worker whose heartbeat stopped (`reap_orphaned_jobs`).

Settling means: an idempotent job (every periodic job, ADR 0009, and those in
`settings.BALAI_IDEMPOTENT_TASKS`) goes back to READY and runs again, up to `MAX_ATTEMPTS` runs; any other
job is marked FAILED with the reason, so an operator sees it and decides.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from balai.ops.models import WorkerHeartbeat

logger = logging.getLogger("balai.worker")

MAX_ATTEMPTS = 3
INTERRUPTED = "balai.ops.recovery.JobInterrupted"


class JobInterrupted(Exception):
    """Recorded as the error of a job whose run was cut off (no traceback: it never failed by itself)."""


def heartbeat_seconds() -> float:
    return float(getattr(settings, "BALAI_WORKER_HEARTBEAT_SECONDS", 5))


def stale_after() -> timedelta:
    """A worker whose heartbeat is older than this is presumed gone."""
    return timedelta(seconds=float(getattr(settings, "BALAI_WORKER_STALE_SECONDS", 60)))


def is_idempotent(task_path: str) -> bool:
    """Whether running the job again after an interruption changes nothing it has already done."""
    return task_path in getattr(settings, "BALAI_PERIODIC_TASKS", {}) or task_path in getattr(
        settings, "BALAI_IDEMPOTENT_TASKS", ())


def beat(*, worker_id: str, started_at: datetime, now: datetime | None = None) -> None:
    """Record that this worker is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                      "seen_at": now})


def live_worker_ids(*, now: datetime | None = None) -> set[str]:
    now = now or timezone.now()
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=now - stale_after()).values_list("worker_id", flat=True))


def forget_worker(worker_id: str) -> None:
    """A worker stopping cleanly removes its heartbeat, so nobody waits for it to go stale."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def settle_interrupted(job, *, reason: str, now: datetime | None = None) -> str:
    """Requeue an interrupted idempotent job or mark it failed; "requeued", "failed" or "" (someone else
    settled it first: the update is conditional on the row being unchanged since it was read)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    attempts = len(job.worker_ids or [])
    unchanged = DBTaskResult.objects.filter(pk=job.pk, status=job.status, started_at=job.started_at)
    if is_idempotent(job.task_path) and attempts < MAX_ATTEMPTS:
        if unchanged.update(status="READY", started_at=None):
            logger.warning("job %s (%s) interrupted: %s; queued again (run %d of at most %d)", job.pk,
                           job.task_path, reason, attempts + 1, MAX_ATTEMPTS)
            return "requeued"
        return ""
    why = reason if is_idempotent(job.task_path) else f"{reason}; not retried (the job is not idempotent)"
    if attempts >= MAX_ATTEMPTS:
        why = f"{reason}; interrupted {attempts} times, given up"
    if unchanged.update(status="FAILED", finished_at=now, exception_class_path=INTERRUPTED,
                        traceback=f"{INTERRUPTED}: {why}\n", return_value=None):
        logger.error("job %s (%s) marked failed: %s", job.pk, job.task_path, why)
        return "failed"
    return ""


def _running_jobs():
    from django_tasks_db.models import DBTaskResult

    # Few rows are RUNNING at any time; the last claimant is the last entry of worker_ids (a JSON list,
    # filtered here rather than in SQL so SQLite and PostgreSQL behave the same).
    return list(DBTaskResult.objects.filter(status="RUNNING"))


def recover_own_jobs(*, worker_id: str, reason: str) -> dict[str, int]:
    """Settle the jobs this worker claimed but could not finish (call it only between jobs)."""
    counts = {"requeued": 0, "failed": 0}
    for job in _running_jobs():
        if job.worker_ids and job.worker_ids[-1] == worker_id:
            outcome = settle_interrupted(job, reason=reason)
            if outcome:
                counts[outcome] += 1
    return counts


def reap_orphaned_jobs(*, now: datetime | None = None) -> dict[str, int]:
    """Settle RUNNING jobs whose worker's heartbeat is missing or stale."""
    now = now or timezone.now()
    alive = live_worker_ids(now=now)
    counts = {"requeued": 0, "failed": 0}
    for job in _running_jobs():
        owner = job.worker_ids[-1] if job.worker_ids else ""
        if owner in alive or (job.started_at and now - job.started_at < stale_after()):
            continue
        outcome = settle_interrupted(job, reason=f"its worker {owner or '?'} stopped while running it", now=now)
        if outcome:
            counts[outcome] += 1
    # Heartbeats of workers gone for a day are of no further use.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return counts
