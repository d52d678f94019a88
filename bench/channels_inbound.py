"""Inbound SMS webhook throughput: signed requests/s against gunicorn on 127.0.0.1 (ADR 0011).

    .venv/bin/python bench/channels_inbound.py [--requests 400] [--workers 2] [--concurrency 4]
        [--database-url postgres://postgres@127.0.0.1:5432/balai_channels_bench]

Prepares a database (fresh SQLite file by default; the PostgreSQL database is dropped and re-created),
starts gunicorn with the real settings on a free local port, and sends a bounded number of signed POSTs
to /kanal/sms/ from `--concurrency` client threads: a mix of LAPOR (a new complaint through
case_submit: case, event, audit record, outbox row), CEK of an existing case and BANTUAN, each from its
own number. Then it sends every request again (a gateway's retries) and checks that no second case was
made. Prints requests/s and latency percentiles for both rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-inbound-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database_url: str) -> list[str]:
    """Migrate, create one agency and category, and a few cases to check; return their codes."""
    if database_url.startswith("postgres"):
        from _db import ensure_postgres_database

        ensure_postgres_database(database_url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from balai.agencies.models import Unit
    from balai.cases.services import case_submit
    from tests.factories import AgencyFactory, ComplaintCategoryFactory, GovernmentFactory, UnitFactory

    agency = AgencyFactory(government=GovernmentFactory(), short_name="Dinas PUPR", slug="pupr")
    unit = UnitFactory(agency=agency, kind=Unit.Kind.DIVISION)
    category = ComplaintCategoryFactory(agency=agency, unit=unit, keyword="jalan")
    return [case_submit(kind="complaint", channel="sms", title=f"Lubang {i}", complaint_category=category,
                        contact_phone=f"+62812000{i:05d}").tracking_code for i in range(20)]


def messages(n: int, codes: list[str]) -> list[bytes]:
    out = []
    for i in range(n):
        kind = i % 10
        if kind < 5:
            text = f"LAPOR JALAN lubang besar nomor {i} di Jl. Juanda depan SDN 012 Samarinda"
        elif kind < 8:
            text = f"CEK {codes[i % len(codes)]}"
        else:
            text = "BANTUAN"
        out.append(json.dumps({"message_id": f"bench-{i}", "from": f"+62813{i:08d}", "text": text}).encode())
    return out


def post(url: str, body: bytes) -> tuple[int, float]:
    ts = str(int(time.time()))
    sig = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Balai-Timestamp": ts, "X-Balai-Signature": "sha256=" + sig})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - 127.0.0.1 only
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def run_round(url: str, bodies: list[bytes], concurrency: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = list(enumerate(bodies))

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                _i, body = queue.pop()
            status, took = post(url, body)
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(bodies), "seconds": round(elapsed, 2), "rps": round(len(bodies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "balai.settings",
           "BALAI_SMS_GATEWAY": json.dumps({"inbound_secret": SECRET}),
           "BALAI_CHANNELS_RATE_LIMITS": "[[60, 1000000]]", "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    os.environ.update(env)
    codes = prepare(database_url)
    from balai.cases.models import Case

    cases_before = Case.objects.count()
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
        [str(ROOT / ".venv/bin/gunicorn"), "balai.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:  # a GET is refused with 405 once the app is loaded
                urllib.request.urlopen(base + "/kanal/sms/", timeout=10).read()  # noqa: S310 - local
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        bodies = messages(args.requests, codes)
        first = run_round(base + "/kanal/sms/", bodies, args.concurrency)
        replay = run_round(base + "/kanal/sms/", bodies, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    filed = Case.objects.count() - cases_before
    expected = sum(1 for i in range(args.requests) if i % 10 < 5)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(json.dumps({"database": vendor, "gunicorn_workers": args.workers, "concurrency": args.concurrency,
                      "first_delivery": first, "replayed": replay, "cases_filed": filed,
                      "cases_expected": expected}, indent=1))
    if filed != expected:
        sys.exit("a replay made a second case, or a report was lost")


if __name__ == "__main__":
    main()
