"""`GET /healthz`: database and background-worker status for load balancers and operators."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A worker that has not taken a job for this long while jobs wait is considered stuck.
WORKER_STALE_AFTER = timedelta(minutes=5)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False


def check_worker() -> tuple[bool, int]:
    """(healthy, waiting jobs): unhealthy when a job has waited longer than WORKER_STALE_AFTER and no job
    finished in that time either (a busy worker working through a backlog is healthy)."""
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        count = waiting.count()
    except Exception:  # noqa: BLE001
        return False, -1
    if oldest is not None and timezone.now() - oldest > WORKER_STALE_AFTER:
        recent = DBTaskResult.objects.filter(finished_at__gte=timezone.now() - WORKER_STALE_AFTER).exists()
        if not recent:
            return False, count
    return True, count


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = check_database()
    worker, waiting = check_worker() if database else (False, -1)
    healthy = database and worker
    return JsonResponse(
        {
            "status": "ok" if healthy else "unhealthy",
            "database": "ok" if database else "down",
            "worker": "ok" if worker else "stalled",
            "waiting_jobs": waiting,
        },
        status=200 if healthy else 503,
    )
