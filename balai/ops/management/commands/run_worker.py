"""The background worker: django-tasks' database worker that survives its database, plus the periodic jobs.

Run as many as you like, on any node (deploy/systemd/balai-worker@.service): jobs are claimed with row
locks, each period of a periodic job is claimed by one worker (`balai.ops.scheduler`), and a job cut off
by a lost database or a dead worker is retried or marked failed (`balai.ops.recovery`). ADR 0009, 0021.
"""

from __future__ import annotations

import os
import socket

from django.core.management.base import BaseCommand
from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from balai.ops import recovery
from balai.ops.worker import DATABASE_LOST, Connectivity, Housekeeping, ResilientWorker


def default_worker_id() -> str:
    """Readable in pg_stat_activity and the heartbeat table: host, pid and a random suffix."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


class Command(BaseCommand):
    help = "Run the background worker (database queue) together with the periodic-job scheduler."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tick", type=float, default=1.0,
                            help="Seconds between checks for due periodic jobs (default 1).")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait when no job is ready (default 1).")
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME,
                            help="Queues to take jobs from, comma-separated; '*' for all.")
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: host-pid-random).")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Run jobs only; leave periodic jobs to the other workers.")
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then exit (tests).")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many jobs.")

    def handle(self, *args, tick: float, interval: float, queue_name: str, worker_id: str, no_schedule: bool,
               batch: bool, max_tasks: int | None, **options) -> None:
        from balai.ops.checks import refuse_demo_data_in_production

        refuse_demo_data_in_production()  # production with demo data: refuse before taking any job
        worker_id = (worker_id or default_worker_id())[:64]
        default = connections["default"]
        if default.vendor == "postgresql":
            # Operators (and the restart test) find this worker's sessions in pg_stat_activity.
            default.settings_dict.setdefault("OPTIONS", {})["application_name"] = f"balai-worker {worker_id}"[:63]
        connectivity = Connectivity()
        worker = ResilientWorker(
            connectivity=connectivity, queue_names=queue_name.split(","), interval=interval, batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=not batch, max_tasks=max_tasks,
            worker_id=worker_id, excluded_queue_names=[],
        )
        housekeeping = Housekeeping(worker_id=worker_id, started_at=timezone.now(), connectivity=connectivity,
                                    tick=tick, schedule=not no_schedule and not batch)
        if not batch:
            housekeeping.start()
        self.stderr.write(f"balai worker {worker_id}: started")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            housekeeping.stop.set()
            try:
                # A stop signal that lands between claiming a job and starting it leaves the job RUNNING.
                recovery.recover_own_jobs(worker_id=worker_id, reason="its worker stopped before running it")
                recovery.forget_worker(worker_id)
            except DATABASE_LOST:
                pass  # the reaper of another worker settles them once this heartbeat is stale
