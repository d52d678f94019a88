"""Participation budgets on PostgreSQL (issue: community participation):

    .venv/bin/python bench/participation.py [--votes 2000] [--ballots 500000] [--proposals 50000] \
        [--requests 200] [--database-url postgres://postgres@127.0.0.1:5432/balai_bench_participation]

Uses a database of its own (dropped and created again each run). Three measurements, in one process:
1. casting budget votes through the real service `balai.participation.services.ballot_cast` (NIK and
   phone digests, the one-vote check, the ballot and its choices in one transaction), one after the other:
   votes/s (budget ≥ 200/s);
2. the exact count of `--ballots` ballots (3 choices each on average, inserted server-side with
   INSERT … SELECT) by `selectors.budget_results`: seconds (budget ≤ 10 s);
3. the server time of the process page, the proposal list (first page and page 100) and a proposal page
   with `--proposals` proposals, measured around Django's test client in this process (no HTTP, no
   network): p50/p95 (budget p95 ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import summary  # noqa: E402 - bench/ is the script's own folder


def _nik(i: int) -> str:
    # 64.72.01, a valid birth date from the counter, serial 0001–9999: unique for i < 9,999 × 28 × 12 × 40
    serial = i % 9999 + 1
    rest = i // 9999
    day, month, year = rest % 28 + 1, rest // 28 % 12 + 1, 60 + rest // 336 % 40
    return f"647201{day:02d}{month:02d}{year:02d}{serial:04d}"


def _world():
    from django.utils import timezone

    from balai.agencies.models import Agency, Government, Region
    from balai.participation.models import Phase, PhaseKind, Process

    province, _ = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})
    regency, _ = Region.objects.get_or_create(code="64.72", defaults={"name": "Kota Samarinda", "level": "regency",
                                                                       "parent": province})
    gov, _ = Government.objects.get_or_create(region=province, defaults={"name": "Pemprov Kaltim"})
    agency, _ = Agency.objects.get_or_create(slug="bappeda", defaults={"government": gov, "short_name": "Bappeda",
                                                                        "name_id": "Bappeda"})
    today = timezone.localdate()

    def process(slug: str, kind: str, **extra) -> Process:
        proc = Process.objects.create(slug=slug, kind=kind, title_id=slug, decides_id="…", deciders_id="…",
                                      input_use_id="…", agency=agency, region=regency, is_published=True, **extra)
        for k in PhaseKind.values:
            Phase.objects.create(process=proc, kind=k, starts_on=today - timedelta(days=5),
                                 ends_on=today + timedelta(days=5))
        return proc

    return regency, process


def bench_votes(args, regency, process) -> None:
    from django.db import connection

    from balai.participation import services
    from balai.participation.models import Proposal

    proc = process("bench-votes", "budget", budget=10_000, ballot_kind="approval", max_choices=3)
    codes = [f"A{c}{d}22" for c, d in zip("ACDEFHJKMP", "3456789ACD", strict=True)]
    Proposal.objects.bulk_create([Proposal(process=proc, code=c, title=c, description=c, region=regency,
                                           feasible=True, cost=100) for c in codes])
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    times = []
    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        for i in range(args.votes):
            t = time.perf_counter()
            result = services.ballot_cast(process=proc, nik=_nik(i), phone=f"+62812{i:08d}",
                                          codes=[codes[i % 10], codes[(i * 7 + 3) % 10], codes[(i * 3 + 1) % 10]],
                                          channel="web")
            times.append((time.perf_counter() - t) * 1000)
            assert result.ok, result.error
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    again = services.ballot_cast(process=proc, nik=_nik(0), codes=[codes[0]], channel="sms")
    assert again.error == "already_voted"
    p50, p95, worst = summary(times)
    print(f"votes: {args.votes:,} in {elapsed:.1f} s = {args.votes / elapsed:.0f} votes/s "
          f"(p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.0f} ms); per vote: {statements / args.votes:.2f} "
          f"SQL statements (BEGIN/COMMIT not counted), {cpu / args.votes * 1000:.2f} ms of this process's CPU")


def _vote_worker(job: tuple[int, int, int, list[str]]) -> tuple[int, float]:
    """One process casting votes `start`..`start + count`, with its own database connection."""
    start, count, process_id, codes = job
    import django

    django.setup()
    from django.db import connection

    from balai.participation import services
    from balai.participation.models import Process

    connection.close()
    proc = Process.objects.get(pk=process_id)
    t = time.perf_counter()
    for i in range(start, start + count):
        result = services.ballot_cast(process=proc, nik=_nik(i), phone=f"+62813{i:08d}",
                                      codes=[codes[i % 10], codes[(i * 7 + 3) % 10]], channel="sms")
        assert result.ok, result.error
    return count, time.perf_counter() - t


def bench_votes_parallel(args, process_slug: str) -> None:
    """The same service from `--workers` processes at once (as several gunicorn workers would)."""
    from multiprocessing import get_context

    from django.db import connection

    from balai.participation.models import Process

    proc = Process.objects.get(slug=process_slug)
    codes = sorted(proc.proposals.values_list("code", flat=True))
    connection.close()
    per = args.votes // args.workers
    jobs = [(100_000 + w * per, per, proc.pk, codes) for w in range(args.workers)]
    t = time.perf_counter()
    with get_context("fork").Pool(args.workers) as pool:
        done = pool.map(_vote_worker, jobs)
    elapsed = time.perf_counter() - t
    total = sum(n for n, _ in done)
    slowest = max(t for _, t in done)
    print(f"votes with {args.workers} processes: {total:,} in {elapsed:.1f} s wall = {total / elapsed:.0f} votes/s; "
          f"{total / slowest:.0f} votes/s counting only the voting loops (without each process's start-up)")


def bench_tally(args, regency, process) -> None:
    from django.db import connection

    from balai.participation import selectors
    from balai.participation.models import Proposal

    proc = process("bench-tally", "budget", budget=5_000_000_000, ballot_kind="knapsack")
    projects = Proposal.objects.bulk_create([
        Proposal(process=proc, code=f"T{chr(65 + i // 10)}{i % 10}2", title=f"Proyek {i}", description="…",
                 region=regency, feasible=True, cost=100_000_000 + i * 37_000_000) for i in range(20)])
    ids = [p.pk for p in projects]
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("""INSERT INTO participation_ballot (process_id, nik_key, phone_key, channel, location, gender,
                        cast_at) SELECT %s, 'nik:' || g, NULL, (ARRAY['web','sms','paper'])[1 + g %% 3], '', '',
                        now() FROM generate_series(1, %s) g""", [proc.pk, args.ballots])
        cur.execute("""INSERT INTO participation_ballotchoice (ballot_id, proposal_id)
                       SELECT b.id, (%s::bigint[])[1 + ((b.id * k * 7919) %% 20)]
                       FROM participation_ballot b, generate_series(1, 3) k WHERE b.process_id = %s
                       ON CONFLICT DO NOTHING""", [ids, proc.pk])
        cur.execute("ANALYZE participation_ballotchoice")
    print(f"inserted {args.ballots:,} ballots in {time.perf_counter() - t:.0f} s")
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        results = selectors.budget_results(proc)
        runs.append(time.perf_counter() - t)
    print(f"tally of {results.result.ballots:,} ballots ({sum(r.votes for r in results.result.rows):,} choices): "
          f"{min(runs):.2f} s best, {max(runs):.2f} s worst of 3; funded {len(results.result.funded)} projects")


def bench_pages(args, regency, process) -> None:
    from django.db import connection
    from django.test import Client

    proc = process("bench-pages", "proposals", support_threshold=50, threshold_date=None)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("""INSERT INTO participation_proposal (process_id, code, title, description, category, region_id,
                        photo, channel, author_key, gender, status, answer, support_count, location, volume,
                        contribution, level, level_state, level_reason, created_at)
                       SELECT %s, 'P' || upper(lpad(to_hex(g), 6, '0')), 'Usulan nomor ' || g, 'Uraian usulan ' || g,
                        'other', %s, '', 'web', '', '', (ARRAY['open','answered','accepted','rejected'])[1 + g %% 4],
                        '', (g * 7919) %% 500, '', '', '', '', '', '', now()
                       FROM generate_series(1, %s) g""", [proc.pk, regency.pk, args.proposals])
        cur.execute("ANALYZE participation_proposal")
    print(f"inserted {args.proposals:,} proposals in {time.perf_counter() - t:.0f} s")
    client = Client()
    pages = {"baseline (static accessibility page)": "/aksesibilitas/", "process": f"/partisipasi/{proc.slug}/", "list": f"/partisipasi/{proc.slug}/usulan/",
             "list-page-100": f"/partisipasi/{proc.slug}/usulan/?status=open&halaman=100",
             "proposal": f"/partisipasi/{proc.slug}/usulan/P0001F4/"}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        p50, p95, worst = summary(times)
        print(f"page {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.0f} ms ({args.requests} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--ballots", type=int, default=500_000)
    parser.add_argument("--proposals", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="processes for the parallel vote run")
    parser.add_argument("--only", choices=["votes", "tally", "pages"], help="run one measurement only")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_participation")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    regency, process = _world()
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} (1/5/15 min)")
    if args.only in (None, "votes"):
        bench_votes(args, regency, process)
        bench_votes_parallel(args, "bench-votes")
    if args.only in (None, "tally"):
        bench_tally(args, regency, process)
    if args.only in (None, "pages"):
        bench_pages(args, regency, process)


if __name__ == "__main__":
    main()
