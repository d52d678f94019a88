"""Background jobs of the case engine (run by `manage.py run_worker`, see settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_deadlines() -> dict:
    """Mark due-soon and breached cases, escalate breached ones, close expired answer windows."""
    from balai.cases.deadlines import sweep

    return sweep().as_dict()


@task()
def register_queued_submissions() -> dict:
    """Register what machine clients handed in through queued intake (ADR 0014), until none is left.

    A large backlog is shared: helper jobs are enqueued for other workers (up to
    `settings.BALAI_INTAKE_PARALLEL` workers in all), which drain the same queue with SKIP LOCKED.
    """
    from django.conf import settings

    from balai.cases.intake import helpers_wanted, register_all

    pending = _pending_helpers()
    for _ in range(max(0, helpers_wanted(parallel=getattr(settings, "BALAI_INTAKE_PARALLEL", 4)) - pending)):
        help_register_queued_submissions.enqueue()
    return register_all()


@task()
def help_register_queued_submissions() -> dict:
    """Another worker's share of a queued-intake backlog (enqueued by `register_queued_submissions`)."""
    from balai.cases.intake import register_all

    return register_all()


def _pending_helpers() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=f"{__name__}.help_register_queued_submissions",
                                       status="READY").count()


@task()
def forget_queued_submissions() -> int:
    """Delete queued-intake rows registered (or refused) more than 30 days ago."""
    from balai.cases.intake import forget_registered

    return forget_registered()
