"""Outbox delivery rate through the real HTTP adapter to a local fake gateway (ADR 0008).

    .venv/bin/python bench/notify_outbox.py [--messages 2000] [--database-url postgres://postgres@127.0.0.1:5432/balai_notify_bench]

Starts the fake provider (tests/notify/fake_gateway.py) in its own process, queues N messages, then
measures messages/s delivered with one worker process and with two worker processes running
`balai.notify.outbox.deliver` (claim batch → mark sending → commit → HTTP POST → record), and checks
that every message reached the provider exactly once. Default database: a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_gateway(queue) -> None:
    from tests.notify.fake_gateway import FakeGateway

    with FakeGateway() as gw:
        queue.put(gw.url)
        while True:
            time.sleep(3600)


def setup_django(database_url: str, gateway_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["BALAI_SMS_GATEWAY"] = json.dumps({"url": gateway_url, "token": "bench", "timeout": 5})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    import django

    django.setup()


def worker(database_url: str, gateway_url: str, start, counter) -> None:
    setup_django(database_url, gateway_url)
    from balai.notify.outbox import deliver

    start.wait()
    total = 0
    while True:
        n = deliver(limit=20)
        if n == 0:
            break
        total += n
    with counter.get_lock():
        counter.value += total


def stats(gateway_url: str) -> dict:
    with urllib.request.urlopen(gateway_url.replace("/send", "/stats"), timeout=5) as r:  # noqa: S310 - local
        return json.loads(r.read())


def round_(database_url: str, gateway_url: str, workers: int, messages: int) -> float:
    from django.db import connections

    from balai.notify.models import Message
    from balai.notify.outbox import queue_direct_message

    Message.objects.all().delete()
    for i in range(messages):
        queue_direct_message(channel="sms", recipient=f"+62812{i:08d}", language="id", event="otp",
                             context={"otp": f"{i:06d}"})
    connections.close_all()
    before = stats(gateway_url)
    ctx = mp.get_context("spawn")
    start, counter = ctx.Event(), ctx.Value("i", 0)
    procs = [ctx.Process(target=worker, args=(database_url, gateway_url, start, counter)) for _ in range(workers)]
    for p in procs:
        p.start()
    time.sleep(3)  # let the workers import Django before the clock starts
    t0 = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    after = stats(gateway_url)
    sent = Message.objects.filter(status="sent").count()
    assert counter.value == messages == sent, (counter.value, sent)
    assert after["delivered"] - before["delivered"] == messages, "a message reached the provider twice or never"
    assert after["requests"] - before["requests"] == messages
    return messages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    if database_url.startswith("postgres"):
        import psycopg

        base, _, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    gw = ctx.Process(target=run_gateway, args=(q,), daemon=True)
    gw.start()
    gateway_url = q.get(timeout=30)
    setup_django(database_url, gateway_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    for workers in (1, 2):
        rate = round_(database_url, gateway_url, workers, args.messages)
        print(f"{vendor}: {args.messages} messages, {workers} worker process(es): {rate:,.0f} messages/s")
    gw.terminate()


if __name__ == "__main__":
    main()
