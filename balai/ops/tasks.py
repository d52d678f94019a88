"""Operations jobs."""

from __future__ import annotations

from django_tasks import task


@task()
def heartbeat() -> str:
    """A no-op job: lets operators check end to end that the worker takes jobs."""
    return "ok"


TASK_RESULT_DAYS = 7  # finished jobs kept this long (to look into a failure); then deleted


@task()
def prune_task_results() -> str:
    """Delete finished background jobs older than a week (periodic jobs alone add thousands a day)."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("prune_db_task_results", min_age_days=TASK_RESULT_DAYS, queue_name="*", stdout=out)
    return out.getvalue().strip()


@task()
def verify_audit_chain() -> dict:
    """Verify the audit chain about once a day (`BALAI_AUDIT_VERIFY_HOURS`) and record the result in it;
    `/metrics` reports it and an alert fires on a failure (deploy/monitoring/alerts.yml)."""
    from datetime import timedelta

    from django.conf import settings

    from balai.ops.services import verify_audit_chain_if_due

    hours = getattr(settings, "BALAI_AUDIT_VERIFY_HOURS", 24)
    # A little under the period, so an hourly job does not slip a whole hour each day.
    result = verify_audit_chain_if_due(every=timedelta(hours=hours) - timedelta(minutes=30))
    if result is None:
        return {"skipped": True}
    return {"ok": result.ok, "checked": result.chain.checked, "published_head_ok": result.published_heads_ok}


@task()
def clear_expired_sessions() -> str:
    """Delete expired sessions (Django's `clearsessions`): portal drafts keep a citizen's answers in the
    session, and the database backend never deletes an expired row by itself (UU PDP: keep no longer
    than needed)."""
    from django.core.management import call_command

    call_command("clearsessions")
    return "ok"
