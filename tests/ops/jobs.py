"""Jobs for the worker tests: they hold a database statement long enough to be cut off."""

from __future__ import annotations

from django.db import connection
from django_tasks import task


@task()
def sleep_idempotent(seconds: float) -> str:
    """Declared idempotent in tests/ops/worker_settings.py: run again after an interruption."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return "slept"


@task()
def sleep_once_only(seconds: float) -> str:
    """Not declared idempotent: an interruption marks it failed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return "slept"
