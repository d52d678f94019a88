"""Background job of the open-data face (settings.BALAI_PERIODIC_TASKS, once a day)."""

from __future__ import annotations

from django_tasks import task


@task()
def record_audit_head() -> dict:
    """Publish today's head of the audit chain (count and latest hash)."""
    from balai.opendata.services import record_audit_head as record

    head = record()
    return {"day": head.recorded_on.isoformat(), "count": head.count, "hash": head.last_hash}
