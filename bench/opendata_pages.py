"""Server time of the public performance pages and the full public-cases CSV, on PostgreSQL.

    .venv/bin/python bench/opendata_pages.py [--cases 1000000] [--requests 300] [--threads 4] \
        [--database-url postgres://postgres@127.0.0.1:5432/balai_bench_opendata] [--regenerate]

Uses a database of its own. Cases and their events are generated server-side with the roll-up benchmark's
INSERT … SELECT (bench/rollups.py: 17 agencies, 10 regencies × 10 districts, 5 kinds,
6 channels, 3 years, 80 % closed), the roll-ups are rebuilt, then gunicorn (2 workers, 127.0.0.1) serves:
1. steady load: a thread pool sends `--requests` GETs to each page (overview, an agency page, the ranking)
   in turn; latency measured by the client on the same machine (so it includes HTTP on loopback);
2. one full download of /data/kasus-publik.csv: rows/s and the peak RSS (VmHWM) of the gunicorn worker
   that served it, compared with its RSS before.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _measure import percentile  # noqa: E402 - bench/ is the script's own folder
from _server import gunicorn, worker_pids  # noqa: E402

PAGES = {"overview": "/kinerja/", "agency": "/kinerja/instansi/bench-3/",
         "ranking": "/kinerja/peringkat/?urut=median_days"}


def _setup(args) -> None:
    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=args.regenerate)
    import django

    django.setup()
    from django.core.management import call_command
    from rollups import generate

    from balai.cases.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        print(f"cases: {Case.objects.count():,} (reused; --regenerate to rebuild)")
        _rebuild(args)
        return
    print(f"generated {args.cases:,} cases in {generate(args.cases):.0f} s")
    _rebuild(args)


def _rebuild(args) -> None:
    from balai.transparency.models import RollupCell
    from balai.transparency.rollup import rebuild

    if args.skip_pages or RollupCell.objects.exists():
        return
    t = time.perf_counter()
    report = rebuild(chunk_size=5000)
    print(f"roll-ups rebuilt: {report.cases:,} cases, {report.cells:,} cells in {time.perf_counter() - t:.0f} s")


def _get(url: str) -> tuple[float, int, bytes]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (127.0.0.1 only)
        body = response.read()
    return (time.perf_counter() - t) * 1000, response.status, body


def _rss(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_opendata")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-download", action="store_true")
    parser.add_argument("--skip-pages", action="store_true", help="only the CSV download (no roll-up rebuild)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    os.environ.setdefault("BALAI_VAR_DIR", "/tmp/balai_bench_opendata_var")  # noqa: S108
    _setup(args)

    env = {**os.environ, "DEBUG": "0", "DJANGO_DEBUG": "0"}
    with gunicorn(env, port=args.port, extra_args=("--timeout", "600")) as (base, server):
        for name, path in ({} if args.skip_pages else PAGES).items():
            ms, status, body = _get(base + path)
            assert status == 200, (path, status)
            print(f"{name}: first request {ms:.0f} ms, HTML {len(body) / 1024:.1f} KB, "
                  f"gzip {len(gzip.compress(body)) / 1024:.1f} KB")
            for _ in range(5):
                _get(base + path)  # warm both workers' caches
        for name, path in ({} if args.skip_pages else PAGES).items():
            with ThreadPoolExecutor(args.threads) as pool:
                t = time.perf_counter()
                times = sorted(r[0] for r in pool.map(lambda _i, p=path: _get(base + p), range(args.requests)))
                wall = time.perf_counter() - t
            p95 = percentile(times, 95)
            print(f"{name}: {args.requests} requests, {args.threads} threads: p50 {statistics.median(times):.0f} ms, "
                  f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms, {args.requests / wall:.0f} req/s")
        if not args.skip_download:
            workers = worker_pids(server)
            before = {pid: _rss(pid) for pid in workers}
            t = time.perf_counter()
            rows = size = 0
            with urllib.request.urlopen(base + "/data/kasus-publik.csv", timeout=3600) as response:  # noqa: S310
                for line in response:
                    rows += 1
                    size += len(line)
            took = time.perf_counter() - t
            after = {pid: _rss(pid) for pid in workers}
            print(f"kasus-publik.csv: {rows - 1:,} rows, {size / 1e6:.0f} MB in {took:.1f} s "
                  f"({(rows - 1) / took:,.0f} rows/s)")
            for pid in workers:
                print(f"  worker {pid}: RSS before {before[pid][0]} MB, after {after[pid][0]} MB, "
                      f"peak (VmHWM) {after[pid][1]} MB")


if __name__ == "__main__":
    main()
