"""Background jobs of the PPID app (settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from balai.ppid import services


@task()
def ppid_sweep() -> dict:
    """Stale periodic items, exemptions ending within 30 working days, exemptions ended (idempotent); e-mail
    subscriptions never confirmed are forgotten."""
    return {**services.ppid_sweep().as_dict(), "forgotten": services.forget_unconfirmed_subscribers()}
