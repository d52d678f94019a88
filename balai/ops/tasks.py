"""Operations jobs."""

from __future__ import annotations

from django_tasks import task


@task()
def heartbeat() -> str:
    """A no-op job: lets operators check end to end that the worker takes jobs."""
    return "ok"
