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
    """Register what machine clients handed in through queued intake (ADR 0014), until none is left."""
    from balai.cases.intake import register_all

    return register_all()


@task()
def forget_queued_submissions() -> int:
    """Delete queued-intake rows registered (or refused) more than 30 days ago."""
    from balai.cases.intake import forget_registered

    return forget_registered()
