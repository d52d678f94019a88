"""Time a `/metrics` scrape's database reads over 1,000,000 cases, messages and audit records.

    .venv/bin/python bench/ops_metrics.py [--rows 1000000] \
        [--database-url postgres://postgres@127.0.0.1:5432/balai_bench_ops] [--regenerate]

Uses a database of its own (created and migrated if missing). Cases come from the deadline-sweep
benchmark's generator (steady-state mix: 80 % closed, ~200,000 open of which ~15,000 breached); messages
and audit records from one INSERT … SELECT each (1 % of the messages waiting or failed; the audit rows'
hashes are not a valid chain: only counting is timed here). Then every source of `balai.ops.metrics` is
read with the cache emptied, several times, and a whole scrape is rendered.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MESSAGES = """
INSERT INTO notify_message (event, channel, recipient, language, subject, body, template_version, status,
    attempts, next_attempt_at, last_error, gateway_message_id, idempotency_key, created_at)
SELECT 'received', (ARRAY['sms','whatsapp','email'])[1 + g %% 3], '', 'id', '', '', '',
    CASE WHEN g %% 100 = 1 THEN 'queued' WHEN g %% 100 = 2 THEN 'failed_temporary'
         WHEN g %% 100 = 3 THEN 'failed_permanent' ELSE 'delivered' END,
    1, now(), '', '', md5(g::text)::uuid, now() - (g %% 365) * interval '1 day'
FROM generate_series(1, %(n)s) AS g
"""
AUDIT = """
INSERT INTO audit_auditrecord (at, actor_label, action, target_type, target_id, data, prev_hash, hash)
SELECT now() - (%(n)s - g) * interval '1 second', 'bench', 'case.transition', 'cases.case', g::text, '{}',
    lpad(to_hex(g - 1), 64, '0'), lpad(to_hex(g), 64, '0')
FROM generate_series(1, %(n)s) AS g
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_ops")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=False)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    os.environ["BALAI_VAR_DIR"] = os.environ.get("BALAI_VAR_DIR", "/tmp/balai_bench_ops_var")  # noqa: S108

    import django

    django.setup()
    from cases_sweep import INSERT as CASES
    from django.core.management import call_command
    from django.db import connection, transaction

    from balai.agencies.models import Agency, Government, Region, Unit
    from balai.audit.models import AuditRecord
    from balai.cases.models import Case
    from balai.notify.models import Message
    from balai.ops import metrics

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    region, _ = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})
    gov, _ = Government.objects.get_or_create(region=region, defaults={"name": "Pemprov Kaltim"})
    agency, _ = Agency.objects.get_or_create(slug="bench-dinas", defaults={"government": gov, "short_name": "Bench"})
    unit, _ = Unit.objects.get_or_create(agency=agency, slug="bench-unit", defaults={"name_id": "Bidang"})
    for n in range(40):  # a province has a few dozen agencies: every one is a label
        Agency.objects.get_or_create(slug=f"bench-opd-{n}", defaults={"government": gov, "short_name": f"OPD {n}"})

    if args.regenerate or Case.objects.count() != args.rows:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("TRUNCATE cases_case, notify_message RESTART IDENTITY CASCADE")
            cur.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER USER")
            cur.execute("TRUNCATE audit_auditrecord RESTART IDENTITY")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(CASES, {"n": args.rows, "gov": gov.pk, "agency": agency.pk, "unit": unit.pk})
            cur.execute(MESSAGES, {"n": args.rows})
            cur.execute(AUDIT, {"n": args.rows})
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER USER")
            for table in ("cases_case", "notify_message", "audit_auditrecord"):
                cur.execute(f"VACUUM ANALYZE {table}")
        print(f"generated {args.rows:,} cases, messages and audit records in {time.perf_counter() - t0:.1f} s")
    print(f"cases {Case.objects.count():,} (open {Case.objects.filter(is_open=True).count():,}), "
          f"messages {Message.objects.count():,}, audit records {AuditRecord.objects.count():,}")

    for name, (source, _ttl) in metrics.SOURCES.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            list(source())
            times.append(time.perf_counter() - t0)
        print(f"source {name:10s} median {statistics.median(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms")
    times = []
    for _ in range(args.repeat):
        metrics.clear_cache()
        t0 = time.perf_counter()
        body = metrics.render()
        times.append(time.perf_counter() - t0)
    print(f"whole scrape, cache empty: median {statistics.median(times) * 1000:.1f} ms, {len(body):,} bytes")
    t0 = time.perf_counter()
    metrics.render()
    print(f"whole scrape, this process's readings fresh: {(time.perf_counter() - t0) * 1000:.1f} ms")
    metrics._local.clear()  # another gunicorn worker or node: the readings come from the shared cache
    t0 = time.perf_counter()
    metrics.render()
    print(f"whole scrape, another process (shared cache): {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
