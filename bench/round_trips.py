"""What a round trip costs: the floor's five INSERTs and the chain's lock sent as six statements, or as
the lock and ONE statement (the INSERTs chained in a `WITH`), in one transaction each, through Django's
cursor on PostgreSQL. Prints Python and PostgreSQL-backend CPU per transaction for each, in alternating
blocks (load from other processes falls on both alike).

    .venv/bin/python bench/round_trips.py --database-url postgres://postgres@127.0.0.1:5432/balai_bench_profile

The question it answers (issue 18, target 2): would writing a submission's rows in fewer round trips
make it markedly cheaper? Figures in bench/RESULTS.md ("What a synchronous submission may cost").
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import process_cpu_seconds  # noqa: E402 - bench/ is the script's own folder

INSERT = "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)"
CHAINED = f"WITH a AS ({INSERT}), b AS ({INSERT}), c AS ({INSERT}), d AS ({INSERT}) {INSERT}"




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_profile")
    parser.add_argument("--block", type=int, default=500)
    parser.add_argument("--blocks", type=int, default=6)
    args = parser.parse_args()
    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=False)
    os.environ.update({"DATABASE_URL": args.database_url, "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR",
                       "DJANGO_SETTINGS_MODULE": "balai.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", "sessions", verbosity=0)

    def separate() -> None:
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            for _ in range(4):
                cursor.execute(INSERT, [secrets.token_hex(16), "x" * 40, now])
            cursor.execute("SELECT pg_advisory_xact_lock(4242)")
            cursor.execute(INSERT, [secrets.token_hex(16), "audit", now])

    def chained() -> None:
        now = timezone.now()
        params: list[object] = []
        for _ in range(5):
            params += [secrets.token_hex(16), "x" * 40, now]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(4242)")
            cursor.execute(CHAINED, params)

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    samples: dict[str, list[tuple[float, float]]] = {"six statements": [], "lock + one WITH statement": []}
    runs: dict[str, Callable[[], None]] = {"six statements": separate, "lock + one WITH statement": chained}
    for run in runs.values():  # warm-up
        for _ in range(50):
            run()
    for _ in range(args.blocks):
        for name, run in runs.items():
            cpu, pg = time.process_time(), process_cpu_seconds(pid)
            for _ in range(args.block):
                run()
            samples[name].append(((time.process_time() - cpu) / args.block * 1000,
                                  (process_cpu_seconds(pid) - pg) / args.block * 1000))
    print(json.dumps({name: {"python_cpu_ms": round(statistics.median(s[0] for s in rows), 3),
                             "postgres_cpu_ms": round(statistics.median(s[1] for s in rows), 3)}
                      for name, rows in samples.items()}, indent=1))


if __name__ == "__main__":
    main()
