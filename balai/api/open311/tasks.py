"""Background job: poll the status of cases forwarded to other Open311 endpoints (BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def poll_forwarded() -> dict:
    """Read remote statuses of forwarded cases that are still open there; timeline events for changes."""
    from balai.api.open311.services.forwarding import poll_due

    return {"changed": poll_due()}


@task()
def forward_external_requests() -> dict:
    """Send citizens' requests for services of other governments (the catalog's outbox, ADR 0045), and read
    the status of those sent."""
    from balai.api.open311.services.external import poll_due, send_due

    return {"accepted": send_due(), "changed": poll_due()}
