"""A province-sized status board for the /status/ tests: `apps` live public applications spread over
`agencies` owner agencies, each with a latest probe (most up, some slow, some down) and today's roll-up.
Written with bulk inserts; no probe runs."""

from __future__ import annotations

from django.utils import timezone

from balai.agencies.models import Agency
from balai.ict.models import Application, DailyUptime, ProbeResult
from balai.ict.selectors import local_today
from tests.factories import AgencyFactory


def build_board(*, apps: int = 500, agencies: int = 17) -> dict[str, set[str]]:
    """Create the applications; returns agency slug → names of its applications."""
    owners = [AgencyFactory(slug=f"dinas-{i:02d}", short_name=f"Dinas {i:02d}", kind=Agency.Kind.DINAS)
              for i in range(agencies)]
    Application.objects.bulk_create([
        Application(slug=f"aplikasi-{n:03d}", name=f"Aplikasi Layanan Daerah {n:03d}", agency=owners[n % agencies],
                    purpose="Layanan publik daring " * 3, spbe_code="RAB.03.02", status="live", users="public",
                    url=f"http://127.0.0.1:9/{n}")
        for n in range(apps)])
    now = timezone.now()
    today = local_today(now)
    created = list(Application.objects.filter(slug__startswith="aplikasi-").select_related("agency"))
    probes, days = [], []
    for app in created:
        n = int(app.slug.rsplit("-", 1)[1])
        up = n % 25 != 0  # 4 % down
        ms = 4200 if n % 10 == 3 else 120  # 10 % slow
        probes.append(ProbeResult(application=app, checked_at=now, is_up=up, status_code=200 if up else 500,
                                  response_ms=ms))
        days.append(DailyUptime(application=app, day=today, checks=288, up=288 if up else 200, total_ms=288 * ms))
    ProbeResult.objects.bulk_create(probes)
    DailyUptime.objects.bulk_create(days)
    out: dict[str, set[str]] = {}
    for app in created:
        out.setdefault(app.agency.slug, set()).add(app.name)
    return out
