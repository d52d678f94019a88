"""The background worker: django-tasks' database worker plus a small scheduler for periodic jobs.

django-tasks has no scheduler of its own. Periodic jobs are listed in `settings.BALAI_PERIODIC_TASKS`
as {"dotted.path.to.task": seconds}; a thread enqueues each one when its interval has passed and no
run of it is already waiting, so several workers never pile up copies of the same job.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


def enqueue_due_periodic_tasks(last_run: dict[str, float], now: float) -> list[str]:
    """Enqueue every periodic task whose interval has passed; return the paths enqueued."""
    from django_tasks_db.models import DBTaskResult

    enqueued = []
    for path, interval in getattr(settings, "BALAI_PERIODIC_TASKS", {}).items():
        if now - last_run.get(path, 0.0) < interval:
            continue
        pending = DBTaskResult.objects.filter(task_path=path, status__in=["READY", "RUNNING"]).exists()
        if not pending:
            import_string(path).enqueue()
            enqueued.append(path)
        last_run[path] = now
    return enqueued


class Command(BaseCommand):
    help = "Run the background worker (database queue) together with the periodic-job scheduler."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between scheduler checks.")

    def handle(self, *args, tick: float, **options) -> None:
        from balai.ops.checks import refuse_demo_data_in_production

        refuse_demo_data_in_production()  # production with demo data: refuse before taking any job
        stop = threading.Event()

        def scheduler() -> None:
            last_run: dict[str, float] = {}
            while not stop.is_set():
                try:
                    enqueue_due_periodic_tasks(last_run, time.monotonic())
                except Exception as exc:  # noqa: BLE001 - keep scheduling; the worker reports job errors
                    self.stderr.write(f"scheduler: {exc}")
                stop.wait(tick)

        thread = threading.Thread(target=scheduler, name="balai-scheduler", daemon=True)
        thread.start()
        try:
            call_command("db_worker", "--interval", "2")
        finally:
            stop.set()
