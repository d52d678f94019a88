"""Background jobs of the case engine (run by `manage.py run_worker`, see settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_deadlines() -> dict:
    """Mark due-soon and breached cases, escalate breached ones, close expired answer windows."""
    from balai.cases.deadlines import sweep

    return sweep().as_dict()
