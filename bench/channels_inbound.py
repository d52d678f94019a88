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
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _server import gunicorn, post_load  # noqa: E402 - bench/ is the script's own folder

SECRET = "bench-inbound-secret"


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
    from balai.cases.submission import Submission
    from tests.factories import AgencyFactory, ComplaintCategoryFactory, GovernmentFactory, UnitFactory

    agency = AgencyFactory(government=GovernmentFactory(), short_name="Dinas PUPR", slug="pupr")
    unit = UnitFactory(agency=agency, kind=Unit.Kind.DIVISION)
    category = ComplaintCategoryFactory(agency=agency, unit=unit, keyword="jalan")
    return [case_submit(Submission(kind="complaint", channel="sms", title=f"Lubang {i}", complaint_category=category,
                        contact_phone=f"+62812000{i:05d}")).tracking_code for i in range(20)]


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


def signed(url: str, bodies: list[bytes]) -> list[tuple[str, bytes, dict[str, str]]]:
    """The gateway's signed POSTs (HMAC of timestamp + body, as `balai.channels.signing` checks)."""
    ts = str(int(time.time()))
    out = []
    for body in bodies:
        sig = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        out.append((url, body, {"Content-Type": "application/json", "X-Balai-Timestamp": ts,
                                "X-Balai-Signature": "sha256=" + sig}))
    return out


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

    # a GET is refused with 405 once the app is loaded
    with gunicorn(env, workers=args.workers, ready_path="/kanal/sms/") as (base, _server):
        bodies = messages(args.requests, codes)
        first = post_load(signed(base + "/kanal/sms/", bodies), args.concurrency)
        replay = post_load(signed(base + "/kanal/sms/", bodies), args.concurrency)
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
