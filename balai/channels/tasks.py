"""Background jobs of the inbound channels (run by `manage.py run_worker`, see settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from balai.channels.retention import forget_old_messages


@task()
def forget_inbound_messages() -> int:
    """Delete inbound messages older than the retention period (balai.channels.retention)."""
    return forget_old_messages()
