"""Periodic jobs, enqueued once per period however many workers run (ADR 0021).

`settings.BALAI_PERIODIC_TASKS` maps a task's dotted path to its interval in seconds. Periods are aligned
to the epoch (a 300 s job's periods start at :00, :05, ...), so every worker agrees on them. A worker
claims the current period of a job with one conditional UPDATE on its `PeriodicSchedule` row
(`due_at <= now` → the next boundary) and, in the same transaction, enqueues the job with the period's
start as `run_after`; the losers of the race update nothing. A period whose previous run is still waiting
or running is claimed but not enqueued (counted in `skipped`), so a slow job never piles up copies.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from balai.ops.models import PeriodicSchedule

logger = logging.getLogger("balai.worker")

PENDING = ("READY", "RUNNING")


def periodic_tasks() -> dict[str, int]:
    """The configured periodic jobs with a positive interval (0 switches a job off)."""
    return {path: int(s) for path, s in getattr(settings, "BALAI_PERIODIC_TASKS", {}).items() if int(s) > 0}


def period_start(moment: datetime, interval: int) -> datetime:
    """Start of the period of length `interval` seconds that contains `moment` (epoch-aligned)."""
    epoch = moment.timestamp()
    return datetime.fromtimestamp(math.floor(epoch / interval) * interval, tz=UTC)


def ensure_schedule(tasks: Mapping[str, int], *, now: datetime | None = None) -> None:
    """Create the missing schedule rows (first period due at once); keep the intervals current."""
    now = now or timezone.now()
    known = dict(PeriodicSchedule.objects.filter(task_path__in=list(tasks))
                 .values_list("task_path", "interval_seconds"))
    PeriodicSchedule.objects.bulk_create(
        [PeriodicSchedule(task_path=p, interval_seconds=s, due_at=now) for p, s in tasks.items() if p not in known],
        ignore_conflicts=True,  # another worker started at the same moment
    )
    for path, interval in tasks.items():
        if path in known and known[path] != interval:
            # A changed interval takes effect from the next boundary of the new one.
            PeriodicSchedule.objects.filter(task_path=path).update(
                interval_seconds=interval, due_at=period_start(now, interval) + timedelta(seconds=interval))


def _previous_run_pending(job_id) -> bool:
    if job_id is None:
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=job_id, status__in=PENDING).exists()


def claim_due_periods(*, worker_id: str, now: datetime | None = None,
                      tasks: Mapping[str, int] | None = None) -> list[str]:
    """Claim every due period this worker wins and enqueue its job; the paths enqueued.

    One SELECT when nothing is due; per due job one UPDATE (and the INSERT of the job when won).
    """
    now = now or timezone.now()
    tasks = periodic_tasks() if tasks is None else tasks
    due = PeriodicSchedule.objects.filter(task_path__in=list(tasks), due_at__lte=now).values_list(
        "task_path", "interval_seconds", "last_job_id")
    enqueued = []
    for path, interval, last_job_id in due:
        start = period_start(now, interval)
        with transaction.atomic():
            won = PeriodicSchedule.objects.filter(task_path=path, due_at__lte=now).update(
                due_at=start + timedelta(seconds=interval), claimed_at=now, claimed_by=worker_id)
            if not won:
                continue  # another worker claimed this period first
            if _previous_run_pending(last_job_id):
                PeriodicSchedule.objects.filter(task_path=path).update(skipped=F("skipped") + 1)
                logger.info("periodic job %s: previous run still pending, period %s skipped", path,
                            start.isoformat())
                continue
            result = import_string(path).using(run_after=start).enqueue()
            PeriodicSchedule.objects.filter(task_path=path).update(last_job_id=result.id)
            enqueued.append(path)
    return enqueued

