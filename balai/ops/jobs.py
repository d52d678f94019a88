"""Background jobs carry the id of the request that enqueued them, and each job writes one log line
(ADR 0023).

- `DatabaseBackend` is django-tasks-db's backend storing the current request id (`balai.ops.logs`) beside
  the job's arguments (`args_kwargs["request_id"]`; the worker passes only "args" and "kwargs" to the
  task function). Every enqueue through django-tasks goes through it, so no caller needs to know.
- When the worker starts a job, the stored id becomes the current one, so everything the job logs, and
  every job it enqueues in turn, carries it; when the job finishes, one `balai.job` line says what ran,
  how it ended and how long it took. Jobs the scheduler enqueues have no request: their lines carry the
  job id only.
"""

from __future__ import annotations

import logging
import time
from contextvars import Token

from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json, task_finished, task_started

from balai.ops.logs import REQUEST_ID
from balai.rows import insert_rows

logger = logging.getLogger("balai.job")


def _args_kwargs(args, kwargs) -> dict:
    stored = normalize_json({"args": args, "kwargs": kwargs})
    request_id = REQUEST_ID.get()
    if request_id:
        stored["request_id"] = request_id
    return stored


class DatabaseBackend(_DatabaseBackend):
    """django-tasks-db's database backend, also storing the enqueuing request's id with the job."""

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(
            id=self._get_id(), args_kwargs=_args_kwargs(args, kwargs), priority=task.priority,
            task_path=task.module_path, queue_name=task.queue_name, run_after=task.run_after,
            backend_name=self.alias,
        )

    def enqueue_many(self, task, calls):
        """Enqueue `task` once per (args, kwargs) in `calls` with ONE INSERT (the delivery jobs of a batch
        of registered submissions, written in its transaction); the same rows and signals as `enqueue`."""
        from django_tasks.signals import task_enqueued
        from django_tasks_db.models import DBTaskResult, get_date_max

        self.validate_task(task)
        # bulk_create sends no pre_save: set what django-tasks-db's pre_save handler sets.
        run_after = task.run_after if task.run_after is not None else get_date_max()
        rows = insert_rows([
            DBTaskResult(id=self._get_id(), args_kwargs=_args_kwargs(args, kwargs), priority=task.priority,
                         task_path=task.module_path, queue_name=task.queue_name, run_after=run_after,
                         backend_name=self.alias)
            for args, kwargs in calls])
        results = [row.task_result for row in rows]
        for result in results:
            task_enqueued.send(type(self), task_result=result)
        return results

    async def _atask_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return await DBTaskResult.objects.acreate(
            id=self._get_id(), args_kwargs=_args_kwargs(args, kwargs), priority=task.priority,
            task_path=task.module_path, queue_name=task.queue_name, run_after=task.run_after,
            backend_name=self.alias,
        )


def stored_request_id(task_result) -> str | None:
    db_result = getattr(task_result, "db_result", None)
    stored = getattr(db_result, "args_kwargs", None)
    return stored.get("request_id") if isinstance(stored, dict) else None


_running: dict[str, tuple[float, Token]] = {}


def job_started(sender, task_result, **kwargs) -> None:
    # A job run in the request itself (immediate backend) keeps the request's id.
    request_id = stored_request_id(task_result) or REQUEST_ID.get()
    _running[str(task_result.id)] = (time.perf_counter(), REQUEST_ID.set(request_id))


def job_finished(sender, task_result, **kwargs) -> None:
    started, token = _running.pop(str(task_result.id), (None, None))
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    outcome = str(getattr(task_result.status, "value", task_result.status)).lower()
    fields: dict[str, object] = {"task": task_result.task.module_path, "job_id": str(task_result.id),
                                 "outcome": outcome, "duration_ms": duration_ms}
    errors = getattr(task_result, "errors", None) or []
    if errors:
        fields["error"] = errors[-1].exception_class_path  # the class only: messages may hold personal data
    try:
        logger.log(logging.WARNING if errors else logging.INFO, "job", extra={"fields": fields})
    finally:
        if token is not None:
            REQUEST_ID.reset(token)


def connect() -> None:
    """Replace django-tasks' own per-job log lines (they log the raw exception) with ours."""
    try:
        from django_tasks import signals as library_signals

        task_started.disconnect(library_signals.log_task_started)
        task_finished.disconnect(library_signals.log_task_finished)
    except (ImportError, AttributeError):  # pragma: no cover - other versions: both lines then appear
        pass
    task_started.connect(job_started, dispatch_uid="balai.ops.jobs.started")
    task_finished.connect(job_finished, dispatch_uid="balai.ops.jobs.finished")
