"""A/B of one setting on synchronous submissions, in one process (in-process test client, as
bench/profile_submit.py): blocks of requests alternate between the two values, so load from other
processes falls on both alike; prints the median CPU per request of each.

    .venv/bin/python bench/ab_submit.py --setting BALAI_DB_PREPARED_INSERTS --values 0 1 \\
        --endpoints rest sms --database-url postgres://postgres@127.0.0.1:5432/balai_bench_profile
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_profile")
    parser.add_argument("--setting", required=True)
    parser.add_argument("--values", nargs=2, required=True, help="two JSON values (0/1 for booleans)")
    parser.add_argument("--endpoints", nargs="+", default=["rest"])
    parser.add_argument("--block", type=int, default=50)
    parser.add_argument("--blocks", type=int, default=8)
    args = parser.parse_args()
    from api_submit import CLIENT_KEY, _bare, _open311, _portal, _rest, _sms, bench_environment, prepare

    os.environ.update(bench_environment(args.database_url))
    ctx = prepare(args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from profile_submit import _backend_cpu

    web = Client()
    endpoints = {"bare": ("/bench/bare/", _bare), "floor": ("/bench/floor/", _bare), "rest": ("/api/v1/cases/", _rest),
                 "open311": ("/open311/v2/requests.json", _open311), "portal": ("/lapor/periksa/", _portal),
                 "sms": ("/kanal/sms/", _sms)}
    values = [json.loads(v) for v in args.values]
    counter = iter(range(2_000_000, 10_000_000))
    out = {}
    for name in args.endpoints:
        path, make = endpoints[name]

        def build(i: int, make=make):  # noqa: ANN202
            return make(i, ctx) if make in (_bare, _portal, _sms) else make(i, ctx, CLIENT_KEY)

        cpu: dict[int, list[float]] = {0: [], 1: []}
        pg: dict[int, list[float]] = {0: [], 1: []}
        for block in range(args.blocks * 2 + 2):
            side = block % 2
            setattr(settings, args.setting, values[side])
            requests = [build(next(counter)) for _ in range(args.block)]
            connection.ensure_connection()
            backend = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
            pg0, cpu0 = (_backend_cpu(backend) if backend else 0.0), time.process_time()
            for body, ctype, headers in requests:
                response = web.generic("POST", path, body, content_type=ctype, headers=headers)
                if response.status_code not in (200, 201, 302):
                    raise RuntimeError(f"{name}: {response.status_code} {response.content[:300]!r}")
            if block >= 2:  # the first pair warms up
                cpu[side].append((time.process_time() - cpu0) / args.block * 1000)
                pg[side].append(((_backend_cpu(backend) - pg0) if backend else 0.0) / args.block * 1000)
        out[name] = {str(values[s]): {"python_cpu_ms": round(statistics.median(cpu[s]), 3),
                                      "postgres_cpu_ms": round(statistics.median(pg[s]), 3)} for s in (0, 1)}
    print(json.dumps({"setting": args.setting, "load_avg": round(os.getloadavg()[0], 1), "result": out}, indent=1))


if __name__ == "__main__":
    main()
