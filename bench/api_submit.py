"""Submissions per second through the REST API (`POST /api/v1/cases/`) under gunicorn, compared in the
same run with a bare Django view that validates a form and inserts one row (issue 8: target >= 1/2).

    .venv/bin/python bench/api_submit.py --requests 400 \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_api_bench

`ENDPOINTS` lists what is measured; each entry builds request i. The Open311 helper adds
`POST /open311/v2/requests.json` there. The bare view lives only in bench/api_bench/ (bench settings).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _server import gunicorn, post_load, worker_pids  # noqa: E402 - bench/ is the script's own folder

CLIENT_KEY = "blk_bench0001_bench-key-not-secret"  # noqa: S105 - local bench database only
QUEUED_KEY = "blk_bench0002_bench-key-not-secret"  # noqa: S105 - a client with queued intake (ADR 0014)


@dataclass
class Endpoint:
    name: str
    path: str
    make_request: Callable[[int, dict], tuple[bytes, str, dict]]  # (i, context) -> body, content type, headers


def _rest(i: int, ctx: dict, key: str = CLIENT_KEY) -> tuple[bytes, str, dict]:
    body = {"kind": "complaint", "complaint_category": ctx["category"], "title": f"Lampu jalan mati {i}",
            "description": "Lampu jalan di depan sekolah mati sejak seminggu.", "contact_phone": "081250000001",
            "region": "64.72"}
    return json.dumps(body).encode(), "application/json", {"Authorization": f"Bearer {key}"}


def _bare(i: int, ctx: dict) -> tuple[bytes, str, dict]:
    return json.dumps({"title": f"Lampu jalan mati {i}", "contact_phone": "081250000001"}).encode(), \
        "application/json", {}


def _open311(i: int, ctx: dict, key: str = CLIENT_KEY) -> tuple[bytes, str, dict]:
    import urllib.parse

    body = {"api_key": key, "service_code": f"cmp_{ctx['category']}", "address_id": "64.72",
            "description": f"Lampu jalan di depan sekolah mati sejak seminggu ({i}).", "phone": "081250000001"}
    return urllib.parse.urlencode(body).encode(), "application/x-www-form-urlencoded", {}


CSRF_SECRET = "benchcsrfsecret0benchcsrfsecret0"  # noqa: S105 - 32 allowed characters, a visitor's CSRF secret
SMS_SECRET = "bench-inbound-secret"  # noqa: S105 - the bench gateway's signing secret


def _portal(i: int, ctx: dict) -> tuple[bytes, str, dict]:
    """The portal's final step ("Send report", POST /lapor/periksa/) of a session whose four earlier
    steps were filled in beforehand (one drafted session per request, see `_drafted_sessions`)."""
    import urllib.parse

    session = ctx["portal_sessions"].pop()
    return urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF_SECRET}).encode(), \
        "application/x-www-form-urlencoded", {"Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}"}


def _sms(i: int, ctx: dict) -> tuple[bytes, str, dict]:
    """An inbound SMS report from its own number, signed as the gateway signs (balai.channels.signing)."""
    import hashlib
    import hmac

    ctx["sms_sequence"] = sequence = ctx.get("sms_sequence", 0) + 1
    body = json.dumps({"message_id": f"bench-{sequence}", "from": f"+62813{sequence:08d}",
                       "text": f"LAPOR {ctx['category'].upper()} lampu jalan mati nomor {sequence}"}).encode()
    ts = str(int(time.time()))
    sig = hmac.new(SMS_SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, "application/json", {"X-Balai-Timestamp": ts, "X-Balai-Signature": "sha256=" + sig}


class _DraftedSessions:
    """Sessions holding a complete complaint draft: one filled in through the portal's steps (Django's
    test client, same database), copied into a new session row per request, made before the round."""

    def __init__(self, category: str) -> None:
        self.category = category
        self.data: dict | None = None

    def pop(self) -> str:
        from django.contrib.sessions.backends.db import SessionStore

        if self.data is None:
            from django.test import Client

            client = Client()
            steps = [("/lapor/", {"kind": "complaint", "category": self.category, "title": "",
                                  "description": "Lampu jalan di depan sekolah mati sejak seminggu."}),
                     ("/lapor/lokasi/", {"region": "64.72", "location_text": "Depan SDN 012"}),
                     ("/lapor/berkas/", {}), ("/lapor/privasi/", {"confidentiality": "public"}),
                     ("/lapor/kontak/", {"contact_name": "Siti", "contact_phone": "081250000001",
                                         "contact_channel": "sms", "language": "id"})]
            for path, form in steps:
                response = client.post(path, form)
                if response.status_code != 302:
                    raise SystemExit(f"portal step {path} refused the bench draft: {response.status_code}")
            self.data = dict(SessionStore(session_key=client.cookies["sessionid"].value).load())
        store = SessionStore()
        store.update(self.data)
        store.create()
        return str(store.session_key)


ENDPOINTS: list[Endpoint] = [
    Endpoint("bare Django view (validate + 1 INSERT)", "/bench/bare/", _bare),
    Endpoint("floor: 5 INSERTs + chain lock in one transaction, by hand", "/bench/floor/", _bare),
    Endpoint("DRF floor: the floor behind a lean DRF view", "/bench/drf-floor/", _bare),
    Endpoint("REST POST /api/v1/cases/", "/api/v1/cases/", _rest),
    Endpoint("Open311 POST /open311/v2/requests.json", "/open311/v2/requests.json", _open311),
    Endpoint("portal final step POST /lapor/periksa/", "/lapor/periksa/", _portal),
    Endpoint("SMS webhook POST /kanal/sms/ (LAPOR)", "/kanal/sms/", _sms),
    Endpoint("REST POST /api/v1/cases/, queued intake", "/api/v1/cases/",
             lambda i, ctx: _rest(i, ctx, QUEUED_KEY)),
    Endpoint("Open311 POST /open311/v2/requests.json, queued intake", "/open311/v2/requests.json",
             lambda i, ctx: _open311(i, ctx, QUEUED_KEY)),
]


def prepare(database_url: str) -> dict:
    if database_url.startswith("postgres"):
        from _db import ensure_postgres_database

        ensure_postgres_database(database_url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from balai.agencies.models import Region, Unit
    from balai.people.models import ClientApplication
    from balai.people.services import CLIENT_SCOPES, hash_api_key
    from tests.factories import AgencyFactory, ComplaintCategoryFactory, GovernmentFactory, UnitFactory

    gov = GovernmentFactory()
    Region.objects.create(code="64.72", name="Kota Samarinda", level="city", parent=gov.region)
    agency = AgencyFactory(government=gov, short_name="Dinas PUPR", slug="pupr")
    unit = UnitFactory(agency=agency, kind=Unit.Kind.DESK)
    category = ComplaintCategoryFactory(agency=agency, unit=unit, slug="jalan", keyword="jalan")
    ClientApplication.objects.create(name="Bench", key_prefix="bench0001", key_hash=hash_api_key(CLIENT_KEY),
                                     scopes=list(CLIENT_SCOPES), rate_limit_per_minute=0)
    ClientApplication.objects.create(name="Bench (queued)", key_prefix="bench0002",
                                     key_hash=hash_api_key(QUEUED_KEY), scopes=list(CLIENT_SCOPES),
                                     rate_limit_per_minute=0, queued_intake=True)
    return {"category": category.slug, "portal_sessions": _DraftedSessions(category.slug)}


def drain() -> dict:
    """Register every queued submission in this process, as the worker job does; cases per second."""
    from django.db import connections

    from balai.cases.intake import register_all
    from balai.cases.models import QueuedSubmission

    waiting = QueuedSubmission.objects.filter(status="queued").count()
    started = time.perf_counter()
    done = register_all()
    took = time.perf_counter() - started
    connections.close_all()
    return {"queued": waiting, **done, "seconds": round(took, 2), "cases_per_s": round(waiting / took, 1)}


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds() -> float:
    """CPU of the local PostgreSQL: the postmaster's exited children (one backend per request when
    DB_CONN_MAX_AGE is 0) plus the live ones. Includes other sessions' queries on a shared machine."""
    try:
        out = subprocess.run(["pgrep", "-o", "-x", "postgres"], capture_output=True, text=True, check=False)  # noqa: S607
        postmaster = int(out.stdout.split()[0])
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return 0.0
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True,  # noqa: S607
                              check=False).stdout.split()
    waited = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    return waited + _cpu_seconds([int(c) for c in children])


def run_round(base: str, endpoint: Endpoint, n: int, concurrency: int, ctx: dict,
              workers: list[int] | None = None) -> dict:
    requests = []
    for i in range(n):
        body, ctype, headers = endpoint.make_request(i, ctx)
        requests.append((base + endpoint.path, body, {"Content-Type": ctype, **headers}))
    cpu_before = (_cpu_seconds(workers or []), _postgres_cpu_seconds())
    result = post_load(requests, concurrency)
    gunicorn_cpu = _cpu_seconds(workers or []) - cpu_before[0]
    postgres_cpu = _postgres_cpu_seconds() - cpu_before[1]
    return {"endpoint": endpoint.name, **result,
            # where a request's time goes: CPU milliseconds per request in the gunicorn workers and in
            # PostgreSQL (machine-wide: noisy when other sessions use the database)
            "cpu_ms_per_request": {"gunicorn": round(gunicorn_cpu / n * 1000, 2),
                                   "postgres": round(postgres_cpu / n * 1000, 2)}}


def bench_environment(database_url: str) -> dict[str, str]:
    """The settings every submission bench runs Balai with: the bench settings (the bare and floor views),
    no API or SMS rate limit in the way, the bench gateway's signing secret, quiet logs, persistent
    database connections (unless DB_CONN_MAX_AGE says otherwise)."""
    return {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.api_bench.settings",
            "BALAI_API_ANON_RATE": "0", "DEBUG": "0", "LOG_LEVEL": "ERROR",
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),  # persistent connections, as the issue measures
            "BALAI_SMS_GATEWAY": json.dumps({"inbound_secret": SMS_SECRET}),
            "BALAI_CHANNELS_RATE_LIMITS": "[[60, 1000000]]"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_api_bench")
    args = parser.parse_args()
    env = {**os.environ, **bench_environment(args.database_url)}
    os.environ.update(env)
    ctx = prepare(args.database_url)
    from django.db import connections

    connections.close_all()
    results = []
    with gunicorn(env, workers=args.workers) as (base, server):
        for endpoint in ENDPOINTS:  # warm-up, then the measured rounds
            run_round(base, endpoint, 20, args.concurrency, ctx)
        workers = worker_pids(server)
        # Rounds interleave the endpoints, so a slow moment of the machine does not fall on one of them;
        # each endpoint's figures are from its median round (by requests per second).
        rounds: dict[str, list[dict]] = {e.name: [] for e in ENDPOINTS}
        for _ in range(args.rounds):
            for endpoint in ENDPOINTS:
                rounds[endpoint.name].append(run_round(base, endpoint, args.requests, args.concurrency, ctx,
                                                       workers=workers))
        for endpoint in ENDPOINTS:
            runs = sorted(rounds[endpoint.name], key=lambda r: r["rps"])
            results.append({**runs[len(runs) // 2], "rps_of_rounds": [r["rps"] for r in rounds[endpoint.name]]})
    bare = results[0]["rps"]
    for row in results:
        row["vs_bare"] = round(row["rps"] / bare, 2) if bare else None
    print(json.dumps({"database": "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite",
                      "gunicorn_workers": args.workers, "concurrency": args.concurrency, "results": results,
                      # what the worker then does with the queued submissions (one process, no HTTP)
                      "queued_registration": drain()}, indent=1))


if __name__ == "__main__":
    main()
