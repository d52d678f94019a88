"""Finished background jobs are deleted after a week, so periodic jobs do not fill the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.ops.tasks import heartbeat, prune_task_results


@pytest.mark.django_db
def test_finished_jobs_older_than_a_week_are_deleted(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    old, recent, waiting = (heartbeat.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(id__in=[old.id, recent.id]).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - timedelta(days=8))
    DBTaskResult.objects.filter(id=recent.id).update(finished_at=timezone.now() - timedelta(days=1))
    prune_task_results.call()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent.id, waiting.id}
    assert settings.BALAI_PERIODIC_TASKS["balai.ops.tasks.prune_task_results"] == 3600
