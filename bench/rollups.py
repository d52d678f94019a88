"""Benchmark of the transparency roll-ups on PostgreSQL.

    .venv/bin/python bench/rollups.py --cases 200000 \
        [--database-url postgres://postgres@127.0.0.1:5432/balai_bench_transparency] [--regenerate]

Generates cases and their events with INSERT … SELECT (the engine is bypassed: what is timed is the
roll-up code), then times `rebuild()` (cases/s, peak memory), an incremental `update()` after 2,000 new
events, and the page selectors (overview, agency page, ranking, inclusion gap, trends), p50/p95 over
repeated calls. Pages read only the cells, whose number depends on agencies × months × splits, not on the
number of cases.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _measure import percentile  # noqa: E402 - bench/ is the script's own folder

CASES = """
INSERT INTO cases_case (
    tracking_code, kind, title, description, answers, contact_name, contact_phone, contact_email,
    contact_address, contact_channel, language, channel, location_text, confidentiality, accommodations,
    accommodation_note, has_accommodations, government_id, agency_id, unit_id, region_id, status, is_open,
    version, clock_state, target_working_days, due_at, due_soon, paused_working_days, escalation_level,
    extended, elapsed_working_days, stopped_at, submitted_at, closed_at, updated_at, extra, verified_at)
SELECT
    'T-' || lpad(g::text, 9, '0'), k.kind, 'Kasus uji ' || g, '', '{}', '', '', '', '', 'none', 'id',
    (ARRAY['web','sms','whatsapp','counter','email','api'])[1 + g %% 6], '', 'public',
    CASE WHEN g %% 50 = 0 THEN '["sign_language"]' WHEN g %% 70 = 0 THEN '["wheelchair"]' ELSE '[]' END::jsonb,
    '', g %% 50 = 0 OR g %% 70 = 0, %(gov)s, a.agency_id, a.unit_id,
    (SELECT id FROM agencies_region WHERE code LIKE '64.%%' AND length(code) = 8 ORDER BY code
     OFFSET (g %% %(districts)s) LIMIT 1),
    CASE WHEN closed THEN (CASE k.kind WHEN 'service_request' THEN 'completed' ELSE 'closed' END)
         ELSE 'in_progress' END,
    NOT closed, 1, CASE WHEN closed THEN 'stopped' ELSE 'running' END, 5,
    sub + interval '7 days', false, 0, 0, false,
    CASE WHEN closed THEN (g %% 23) END, CASE WHEN closed THEN sub + (g %% 23) * interval '1 day' END,
    sub, CASE WHEN closed THEN sub + (g %% 23) * interval '1 day' + interval '1 hour' END, now(), '{}',
    -- verified public complaints and aspirations are what /laporan/ and kasus-publik list (ADR 0016)
    CASE WHEN k.kind IN ('complaint', 'aspiration') THEN sub + interval '1 day' END
FROM generate_series(1, %(n)s) AS g
CROSS JOIN LATERAL (SELECT now() - (g %% 1080) * interval '1 day' AS sub, g %% 10 < 8 AS closed) AS t
CROSS JOIN LATERAL (SELECT (ARRAY['service_request','complaint','aspiration','information_request',
    'ict_request'])[1 + g %% 5] AS kind) AS k
CROSS JOIN LATERAL (SELECT u.agency_id, u.id AS unit_id FROM agencies_unit u WHERE u.agency_id = ANY(%(agencies)s)
    ORDER BY u.id OFFSET (g %% %(n_agencies)s) LIMIT 1) AS a
"""
EVENTS = """
INSERT INTO cases_event (case_id, kind, action, from_status, to_status, actor_label, is_public, body, data, at)
SELECT id, 'submitted', 'submit', '', 'submitted', '', true, '',
       jsonb_build_object('due_at', to_char(submitted_at + interval '3 days', 'YYYY-MM-DD"T"HH24:MI:SS+00:00')),
       submitted_at
FROM cases_case WHERE tracking_code LIKE 'T-%%'
UNION ALL
SELECT id, 'transition', CASE WHEN kind IN ('complaint','aspiration','information_request') THEN 'answer'
       ELSE 'complete' END, 'in_progress', status, '', true, '',
       jsonb_build_object('on_time', elapsed_working_days <= 5), stopped_at
FROM cases_case WHERE tracking_code LIKE 'T-%%' AND NOT is_open
"""


def generate(cases: int) -> float:
    """Regions (10 regencies × 10 districts), 17 agencies with a unit each, then `cases` cases and their
    events by INSERT … SELECT (Django set up and migrated). Returns the seconds the INSERTs took."""
    from django.db import connection

    from balai.agencies.models import Agency, Government, Region, Unit

    prov, _ = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})
    gov, _ = Government.objects.get_or_create(region=prov, defaults={"name": "Pemprov Kaltim"})
    for r in range(10):
        code = f"64.{r + 1:02d}" if r < 7 else f"64.{71 + r - 7:02d}"
        regency, _ = Region.objects.get_or_create(code=code, defaults={
            "name": f"Wilayah {code}", "level": "city" if r >= 7 else "regency", "parent": prov})
        for d in range(10):
            Region.objects.get_or_create(code=f"{code}.{d + 1:02d}", defaults={
                "name": f"Kecamatan {code}.{d + 1:02d}", "level": "district", "parent": regency})
    agencies = []
    for i in range(17):
        agency, _ = Agency.objects.get_or_create(government=gov, slug=f"bench-{i}", defaults={
            "short_name": f"Bench {i}", "name_id": f"Dinas Bench {i}"})
        Unit.objects.get_or_create(agency=agency, slug="pelayanan", defaults={"name_id": "Pelayanan"})
        agencies.append(agency.pk)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(CASES, {"n": cases, "gov": gov.pk, "agencies": agencies, "n_agencies": len(agencies),
                            "districts": 100})
        cur.execute(EVENTS)
        cur.execute("ANALYZE")
    return time.perf_counter() - t


def _timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), percentile(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_transparency")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=args.regenerate)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from balai.cases.models import Case

    if not Case.objects.filter(tracking_code__startswith="T-").exists():
        took = generate(args.cases)
        print(f"generated {args.cases} cases in {took:.0f} s")

    from balai.cases.models import Event
    from balai.transparency import selectors
    from balai.transparency.models import RollupCell
    from balai.transparency.rollup import rebuild, update

    n = Case.objects.count()
    t = time.perf_counter()
    report = rebuild(chunk_size=5000)
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rebuild: {report.cases} cases, {report.cells} cells in {took:.1f} s "
          f"({report.cases / took:.0f} cases/s), peak RSS {peak:.0f} MB")
    ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:2000])
    Event.objects.bulk_create([Event(case_id=pk, kind="note", action="note", is_public=False,
                                     at=Case.objects.get(pk=pk).submitted_at) for pk in ids[:2000]])
    t = time.perf_counter()
    run = update()
    print(f"update: {run.events} events, {run.cases} cases in {(time.perf_counter() - t) * 1000:.0f} ms")

    gov = Case.objects.first().government
    from balai.agencies.models import Agency

    agency = Agency.objects.filter(slug="bench-3").first() or Case.objects.first().agency
    from django.utils import timezone

    start = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year - 1)
    print(f"cells: {RollupCell.objects.count()} (cases: {n})")
    for label, fn in (
        ("overview, last 12 months", lambda: selectors.overview(government=gov, start=start)),
        ("overview, all time", lambda: selectors.overview(government=gov)),
        ("agency page (figures + backlog + 12-month trend)", lambda: (
            selectors.agency_figures(agency=agency, start=start),
            selectors.backlog(scope="agency", scope_id=agency.pk),
            selectors.trends(scope="agency", scope_id=agency.pk, start=start))),
        ("ranking by median days, 12 months", lambda: selectors.agency_ranking(
            government=gov, sort="median_days", start=start)),
        ("inclusion gap by district, 12 months", lambda: selectors.inclusion_gap(
            split="district", government=gov, start=start)),
        ("trends, all months", lambda: selectors.trends(government=gov)),
    ):
        p50, p95 = _timed(fn, args.runs)
        print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
