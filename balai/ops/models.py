"""Bookkeeping of the background workers (ADR 0021): who is alive, and which period of each periodic job
has been claimed. Operators read these tables; nothing else writes them."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `run_worker` process, refreshed every few seconds.

    A job left RUNNING by a worker whose heartbeat stopped is taken back by the reaper
    (`balai.ops.recovery.reap_orphaned_jobs`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicSchedule(models.Model):
    """The next period of a periodic job that nobody has claimed yet.

    Workers claim a period with a compare-and-set UPDATE (`due_at <= now` → the next boundary), so
    however many workers run, each period is claimed once and its job enqueued at most once.
    """

    task_path = models.CharField(max_length=200, unique=True)
    interval_seconds = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_job_id = models.UUIDField(null=True)  # to see cheaply whether the previous run is still waiting
    skipped = models.PositiveIntegerField(default=0)  # periods not enqueued because a run was still pending

    def __str__(self) -> str:
        return f"{self.task_path} every {self.interval_seconds} s, next {self.due_at:%H:%M:%S}"
