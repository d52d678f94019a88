"""Background jobs of the portal (run by `manage.py run_worker`, see settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from balai.portal.drafts import purge_stale_uploads


@task()
def purge_draft_uploads() -> int:
    """Delete files kept for drafts nobody sent within a day (balai.portal.drafts)."""
    return purge_stale_uploads()


@task()
def forget_expired_codes() -> int:
    """Delete one-time codes and rate counters whose time is over (balai.portal.services.otp)."""
    from balai.portal.services.otp import forget_expired

    return forget_expired()
