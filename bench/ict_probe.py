"""ICT status probes and the status page on PostgreSQL (docs/adr/0037).

    .venv/bin/python bench/ict_probe.py [--apps 500] [--requests 200] [--hourly-history] \
        [--database-url postgres://postgres@127.0.0.1:5432/ictdesk_bench]

1. One probe round over `--apps` live public applications whose addresses are a threaded HTTP server on
   127.0.0.1 started here: most answer in 5–50 ms, 8 % in 1–3 s, 2 % never within the 5 s timeout.
   Budget: one round ≤ 60 s (the round is one worker job; it waits on sockets in a thread pool, so the
   worker's other jobs are not starved of CPU).
2. A year of history for the same applications (365 daily roll-ups each, generated with INSERT … SELECT;
   with `--hourly-history` also a raw probe per hour for the year, 8,760 per application), then
   `--requests` GETs of /status/ through Django's test client in this process (server time, no HTTP).
   Budget: p95 ≤ 100 ms. The board is cached as small rows and as page fragments for 60 s, under a
   generation that every probe round renews; the first view after a round (a miss) is reported separately. Besides
   the summary page, an agency's view (`?instansi=`) and a later page (`?halaman=5`) are timed, and the
   size of each page (HTML and gzipped) is printed: the page budget is 30 KB.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import summary  # noqa: E402 - bench/ is the script's own folder


class Target(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        n = int(self.path.strip("/").split("/")[0] or 0)
        rng = random.Random(n)  # nosec B311 - benchmark timing, not security
        roll = n % 50
        if roll == 0:
            time.sleep(8)  # beyond the probe timeout
        elif roll < 5:
            time.sleep(1 + rng.random() * 2)
        else:
            time.sleep(0.005 + rng.random() * 0.045)
        body = b"ok"
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--hourly-history", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (page timing only)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ictdesk_bench")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=not args.reuse)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from balai.agencies.models import Agency, Government, Region
    from balai.ict.models import Application, DailyUptime, ProbeResult
    from balai.ict.services import probe_round

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if args.reuse and Application.objects.exists():
        _time_status(args)
        return
    region = Region.objects.create(code="64", name="Kalimantan Timur", level="province")
    gov = Government.objects.create(name="Pemprov", region=region)
    agencies = [Agency.objects.create(government=gov, slug=f"bench-{i}", short_name=f"B{i}", name_id=f"Dinas {i}")
                for i in range(17)]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Target)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Application.objects.bulk_create([
        Application(slug=f"app-{n}", name=f"Aplikasi {n}", agency=agencies[n % 17], purpose="Layanan " * 5,
                    spbe_code="RAB.01.01", status="live", users="public", url=f"{base}/{n}")
        for n in range(args.apps)])
    settings.BALAI_PROBE_ALLOWED_HOSTS = ["127.0.0.1/32"]
    started = time.monotonic()
    counts = probe_round(concurrency=int(settings.BALAI_PROBE_CONCURRENCY), timeout=5)
    elapsed = time.monotonic() - started
    print(f"probe round: {args.apps} applications in {elapsed:.1f} s "
          f"(concurrency {settings.BALAI_PROBE_CONCURRENCY}, timeout 5 s): {counts}")
    httpd.shutdown()

    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ict_dailyuptime (application_id, day, checks, up, total_ms) "
            "SELECT a.id, d::date, 288, 288 - (random() * 3)::int, 288 * 200 FROM ict_application a, "
            "generate_series(current_date - 365, current_date - 1, interval '1 day') d")
        if args.hourly_history:
            cur.execute(
                "INSERT INTO ict_proberesult (application_id, checked_at, is_up, status_code, response_ms, error) "
                "SELECT a.id, t, random() > 0.01, 200, (random() * 500)::int, '' FROM ict_application a, "
                "generate_series(now() - interval '365 days', now() - interval '1 hour', interval '1 hour') t")
        cur.execute("ANALYZE ict_dailyuptime; ANALYZE ict_proberesult")
    print(f"history: {DailyUptime.objects.count():,} daily roll-ups, {ProbeResult.objects.count():,} raw probes "
          f"in {time.monotonic() - started:.0f} s")
    _time_status(args)


def _time_status(args) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from balai.ict.models import Application, DailyUptime, ProbeResult

    print(f"history: {DailyUptime.objects.count():,} daily roll-ups, {ProbeResult.objects.count():,} raw probes")
    from balai.ict.services import forget_status_board

    setup_test_environment()
    client = Client()
    misses = []
    for _ in range(5):  # the board recomputed and rendered: what the first view after a probe round costs
        forget_status_board()
        t0 = time.perf_counter()
        client.get("/status/")
        misses.append((time.perf_counter() - t0) * 1000)
    print(f"/status/ after a probe round (board not cached): median {sorted(misses)[2]:.0f} ms of 5")
    agency = Application.objects.order_by("pk").values_list("agency__slug", flat=True).first()
    for url in ("/status/", f"/status/?instansi={agency}", "/status/?halaman=5"):
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        p50, p95, worst = summary(times)
        print(f"{url} with {args.apps} applications: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms "
              f"over {args.requests} requests; page {len(response.content):,} bytes, "
              f"{len(gzip.compress(response.content)):,} gzipped")


if __name__ == "__main__":
    main()
