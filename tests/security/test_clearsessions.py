"""Expired sessions (portal drafts keep a citizen's answers there) are deleted by a periodic job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_clearsessions_is_a_periodic_job_that_deletes_expired_sessions(settings):
    from django.utils.module_loading import import_string

    path = "balai.ops.tasks.clear_expired_sessions"
    assert 0 < settings.BALAI_PERIODIC_TASKS[path] <= 24 * 3600
    expired, live = SessionStore(), SessionStore()
    for store, answers in ((expired, "jalan berlubang, NIK 6472..."), (live, "lampu mati")):
        store["portal_draft"] = {"description": answers}
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    import_string(path).call()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_worker_schedules_it(settings):
    from django.conf import settings as live_settings
    from django_tasks_db.models import DBTaskResult

    from balai.ops.scheduler import claim_due_periods, ensure_schedule, periodic_tasks

    path = "balai.ops.tasks.clear_expired_sessions"
    assert path in periodic_tasks()  # the worker's own schedule, as configured
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    tasks = {path: live_settings.BALAI_PERIODIC_TASKS[path]}
    now = timezone.now()
    ensure_schedule(tasks, now=now)
    assert claim_due_periods(worker_id="w", now=now + timedelta(seconds=1), tasks=tasks) == [path]
    assert DBTaskResult.objects.filter(task_path=path).count() == 1
