"""Background job of the transparency roll-ups (settings.BALAI_PERIODIC_TASKS, every 60 s; ADR 0010)."""

from __future__ import annotations

from django_tasks import task


@task()
def update_rollups() -> dict:
    """Apply the events and survey responses written since the last run to the roll-up cells."""
    from balai.transparency.rollup import update

    return update().as_dict()
