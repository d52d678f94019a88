"""Where a submission's time goes: cProfile and the statements of (a) the worker registering queued
submissions and (b) synchronous submissions through the REST API, Open311 and the bare insert view
(in-process Django test client: the whole middleware stack, no network, persistent connection).

    .venv/bin/python bench/profile_submit.py worker --submissions 500 \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_profile
    .venv/bin/python bench/profile_submit.py sync --requests 300 \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_profile

Prints, per mode: wall and CPU ms per case, statements per case grouped by kind (with the time the client
waited for each kind), and the functions with the most cumulative time (`--top`). Figures in
bench/RESULTS.md ("Where a submission's time goes").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import process_cpu_seconds  # noqa: E402 - bench/ is the script's own folder


def _kind(sql: str) -> str:
    """A statement's kind: verb and table ("INSERT cases_case", "SELECT pg_advisory_xact_lock", ...)."""
    sql = sql.strip()
    verb = sql.split(None, 1)[0].upper() if sql else "?"
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN"):
        return verb
    if "pg_advisory_xact_lock" in sql:
        return "SELECT pg_advisory_xact_lock + audit head"
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_0-9]+)"?', sql, re.IGNORECASE)
    return f"{verb} {match.group(1) if match else '?'}"


class Timed:
    """Every statement with the time the client waited for it (a connection's execute wrapper)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = _kind(sql)
            self.count[kind] += 1
            self.seconds[kind] += time.perf_counter() - started

    def commit_wrapped(self, connection):  # noqa: ANN001
        """COMMITs do not pass the execute wrapper: time them on the connection."""
        real = connection._commit
        timed = self

        def commit():
            started = time.perf_counter()
            try:
                return real()
            finally:
                timed.count["COMMIT"] += 1
                timed.seconds["COMMIT"] += time.perf_counter() - started

        connection._commit = commit
        return real

    def report(self, n: int) -> list[dict]:
        return [{"statement": k, "per_case": round(self.count[k] / n, 2),
                 "client_ms_per_case": round(self.seconds[k] / n * 1000, 3)}
                for k in sorted(self.count, key=lambda k: -self.seconds[k])]




def _plain_cpu(fn, n: int) -> dict:  # noqa: ANN001
    """CPU per case without the profiler (cProfile inflates Python's share several times)."""
    from django.db import connection

    connection.ensure_connection()
    backend = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    pg = process_cpu_seconds(backend) if backend else 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pg = (process_cpu_seconds(backend) - pg) if backend else 0.0
    return {"wall_ms_per_case": round(wall / n * 1000, 3), "python_cpu_ms_per_case": round(cpu / n * 1000, 3),
            "postgres_backend_cpu_ms_per_case": round(pg / n * 1000, 3)}


def _profile(fn, n: int, top: int, dump: str | None = None) -> dict:  # noqa: ANN001
    from django.db import connection

    connection.ensure_connection()
    backend = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    timed = Timed()
    real_commit = timed.commit_wrapped(connection)
    profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for the database is not counted
    pg = process_cpu_seconds(backend) if backend else 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(timed):
        profiler.enable()
        fn()
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pg = (process_cpu_seconds(backend) - pg) if backend else 0.0
    connection._commit = real_commit
    if dump:  # the whole profile, for `python -m pstats` (callers, callees)
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if re.match(r"\s*\d", line)]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    own = [line for line in out.getvalue().splitlines() if re.match(r"\s*\d", line)]
    return {"n": n, "wall_ms_per_case": round(wall / n * 1000, 3),
            "python_cpu_ms_per_case (profiled)": round(cpu / n * 1000, 3),
            "postgres_backend_cpu_ms_per_case": round(pg / n * 1000, 3),
            "statements": timed.report(n), "top_cumulative": lines, "top_own_time": own}


def worker(args) -> dict:
    from worker_drain import fill, setup

    client, category = setup(args.database_url)
    fill(args.submissions + 100, client, category)
    from balai.cases.intake import register_queued

    register_queued(limit=100)  # warm-up: imports, memos, the first batch
    from balai.cases.intake import register_all

    plain = _plain_cpu(lambda: register_all(), args.submissions)
    fill(args.submissions, client, category)
    return {"unprofiled": plain, "profiled": _profile(lambda: register_all(), args.submissions, args.top)}


def sync(args) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_bench.settings"
    from api_submit import CLIENT_KEY, _bare, _open311, _portal, _rest, _sms, prepare

    ctx = prepare(args.database_url)
    from django.test import Client

    web = Client()
    endpoints = {"bare": ("/bench/bare/", _bare), "floor": ("/bench/floor/", _bare),
                 "drf-floor": ("/bench/drf-floor/", _bare), "rest": ("/api/v1/cases/", _rest),
                 "open311": ("/open311/v2/requests.json", _open311), "portal": ("/lapor/periksa/", _portal),
                 "sms": ("/kanal/sms/", _sms)}
    result = {}
    for name in args.endpoints:
        path, make = endpoints[name]

        def build(i: int, make=make) -> tuple[bytes, str, dict]:
            return make(i, ctx) if make in (_bare, _portal, _sms) else make(i, ctx, CLIENT_KEY)

        def post(i: int, path=path, build=build, name=name, prepared: dict | None = None) -> None:
            body, ctype, headers = prepared.pop(i) if prepared is not None else build(i)
            response = web.generic("POST", path, body, content_type=ctype,
                                   headers={k: v for k, v in headers.items()})
            if response.status_code not in (200, 201, 302):
                raise RuntimeError(f"{name}: {response.status_code} {response.content[:300]!r}")

        for i in range(20):  # warm-up
            post(1_000_000 + i)

        # Requests are built before the clock starts, as bench/api_submit.py does: building one may
        # write to the database (the portal's drafted session), which is not the endpoint's cost.
        def run(prepared: dict, post=post) -> None:
            for i in list(prepared):
                post(i, prepared=prepared)

        unprofiled = {10_000 + i: build(10_000 + i) for i in range(args.requests)}
        plain = _plain_cpu(lambda requests=unprofiled: run(requests), args.requests)
        profiled = {i: build(i) for i in range(args.requests)}
        result[name] = {"unprofiled": plain, "profiled": _profile(lambda requests=profiled: run(requests), args.requests, args.top,
                                                 dump=f"{args.dump}/{name}.prof" if args.dump else None)}
    return result


def engine(args) -> dict:
    """`case_submit` alone, called in a loop (no HTTP, no view): the engine's own share of a submission."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.api_bench.settings"
    from api_submit import prepare

    ctx = prepare(args.database_url)
    from balai.cases.services import case_submit
    from balai.cases.submission import Submission
    from balai.catalog.models import ComplaintCategory

    category = ComplaintCategory.objects.get(slug=ctx["category"])

    def submit(i: int) -> None:
        case_submit(Submission(kind="complaint", channel="api", complaint_category=category, region="64.72",
                               title=f"Lampu jalan mati {i}", contact_phone="081250000001",
                               description="Lampu jalan di depan sekolah mati sejak seminggu."))

    for i in range(20):  # warm-up
        submit(1_000_000 + i)
    n = args.requests
    plain = _plain_cpu(lambda: [submit(10_000 + i) for i in range(n)], n)
    return {"case_submit": {"unprofiled": plain, "profiled": _profile(
        lambda: [submit(i) for i in range(n)], n, args.top, dump=f"{args.dump}/engine.prof" if args.dump else None)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["worker", "sync", "engine"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_profile")
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--endpoints", nargs="+", default=["bare", "rest", "open311"])
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", metavar="DIR", help="also write each endpoint's whole profile to DIR/<name>.prof")
    args = parser.parse_args()
    from api_submit import bench_environment

    # The worker mode runs with the worker's settings; sync and engine set the bench settings themselves.
    os.environ.update({k: v for k, v in bench_environment(args.database_url).items() if k != "DJANGO_SETTINGS_MODULE"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.worker_settings")
    load = os.getloadavg()
    result = {"worker": worker, "sync": sync, "engine": engine}[args.mode](args)
    print(json.dumps({"mode": args.mode, "load_avg_before_after": [round(load[0], 1), round(os.getloadavg()[0], 1)],
                      **({"result": result})}, indent=1))


if __name__ == "__main__":
    main()
