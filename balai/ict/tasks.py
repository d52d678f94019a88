"""Background jobs of the ICT desk and the status page (settings.BALAI_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def probe_applications() -> dict:
    """One probe round over the registry's live (and retired) applications."""
    from balai.ict.services import forget_old_probes, probe_round

    counts = probe_round()
    counts["forgotten"] = forget_old_probes()
    return counts


@task()
def sweep_ict_targets() -> dict:
    """Escalate ICT incidents past their office-hour resolution target."""
    from balai.ict.services import sweep_targets

    return sweep_targets()
