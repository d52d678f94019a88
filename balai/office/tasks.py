"""Background jobs of the staff workspace (run by `manage.py run_worker`, see settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_staff_digests() -> int:
    """The daily digest of late and nearly due cases, from 07:00 on working days, once per person and day."""
    from balai.office.services import send_digests

    return send_digests()
