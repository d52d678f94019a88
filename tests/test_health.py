from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["worker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_stalled_worker(client):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from balai.ops.tasks import heartbeat

    heartbeat.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stalled"


@pytest.mark.parametrize(
    "env,message",
    [
        ({"BALAI_ENV": "production", "DEBUG": "true", "SECRET_KEY": "x" * 40}, "DEBUG"),
        ({"BALAI_ENV": "production", "DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY"),
    ],
)
def test_production_refuses_unsafe_settings(env, message, tmp_path):
    import os

    full_env = {**os.environ, **env, "BALAI_DEMO": "false", "BALAI_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='balai.settings'; django.setup()"],
        env=full_env, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_healthz_busy_worker_with_backlog_is_healthy(client):
    """Old waiting jobs are fine while the worker keeps finishing jobs."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from balai.ops.tasks import heartbeat

    heartbeat.enqueue()
    heartbeat.enqueue()
    old = timezone.now() - timedelta(minutes=10)
    DBTaskResult.objects.update(enqueued_at=old)
    done = DBTaskResult.objects.first()
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["waiting_jobs"] == 1
