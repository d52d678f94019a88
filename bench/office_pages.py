"""Server time of the staff queue and the case page over a 1,000,000-case PostgreSQL database.

    .venv/bin/python bench/office_pages.py [--cases 1000000] [--requests 300] [--threads 2] \
        [--database-url postgres://postgres@127.0.0.1:5432/balai_bench_office] [--regenerate]

Uses a database of its own (created and migrated if missing). The cases come from the case engine's
generator (`bench/cases_sweep.py` INSERT … SELECT: 80 % closed, ~200,000 open), spread over 20 agencies
with one unit each, so an officer's unit queue holds ~10,000 open cases out of 1,000,000. 300 of that
unit's open cases get a realistic timeline (12 events each) for the case page.

Measured in-process with Django's test client (the full middleware stack, sessions, templates, the
office rules; no network, no web server): "server time" = from request to rendered response. Steady
load = `--threads` clients requesting continuously; p50/p95 over `--requests` requests per page after a
warm-up. Pages: the unit queue with default filters (page 1), page 50 (keyset cursor followed 49 times),
the queue's full-text search (a word every case has; one case's title), and the case page of random open
cases.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _measure import percentile  # noqa: E402 - bench/ is the script's own folder

AGENCIES = 20


def _worker(make_client, make_path, lock, counter, times: list[float]) -> None:
    """One steady client: request, record the server time, repeat until the shared counter runs out."""
    from django.db import connection

    mine = make_client()
    while True:
        with lock:
            i = next(counter, None)
        if i is None:
            break
        path = make_path(random.randrange(10_000))  # noqa: S311 - picking test cases, not security
        t0 = time.perf_counter()
        response = mine.get(path)
        elapsed = time.perf_counter() - t0
        assert response.status_code == 200, (path, response.status_code)
        with lock:
            times.append(elapsed * 1000)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_office")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()

    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=False)  # the data is kept between runs
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    os.environ["BALAI_VAR_DIR"] = os.environ.get("BALAI_VAR_DIR", "/tmp/balai_bench_office_var")  # noqa: S108

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from balai.agencies.models import Agency, Government, Region, Unit
    from balai.cases.models import Case, Event
    from balai.people.models import Membership, User
    from bench.cases_sweep import INSERT

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})
    gov, _ = Government.objects.get_or_create(region=region, defaults={"name": "Pemprov Kaltim"})
    pairs = []
    for i in range(AGENCIES):
        agency, _ = Agency.objects.get_or_create(slug=f"bench-dinas-{i}", defaults={
            "government": gov, "short_name": f"Dinas {i}", "name_id": f"Dinas Uji {i}"})
        unit, _ = Unit.objects.get_or_create(agency=agency, slug="bidang", defaults={"name_id": f"Bidang {i}"})
        pairs.append((agency.pk, unit.pk))

    if args.regenerate or Case.objects.count() != args.cases:
        t0 = time.perf_counter()
        agencies = "ARRAY[" + ",".join(str(a) for a, _u in pairs) + "]"
        units = "ARRAY[" + ",".join(str(u) for _a, u in pairs) + "]"
        sql = INSERT.replace("%(gov)s, %(agency)s, %(unit)s",
                             f"%(gov)s, ({agencies})[1 + (g / 7) %% {AGENCIES}], ({units})[1 + (g / 7) %% {AGENCIES}]")
        with connection.cursor() as cur:
            cur.execute("TRUNCATE cases_case RESTART IDENTITY CASCADE")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, {"n": args.cases, "gov": gov.pk})
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE cases_case")
        print(f"generated {args.cases:,} cases in {time.perf_counter() - t0:.1f} s")

    unit = Unit.objects.get(pk=pairs[0][1])
    officer = User.objects.filter(email="bench-officer@contoh.id").first()
    if officer is None:
        officer = User.objects.create_user(email="bench-officer@contoh.id", password="x", full_name="Petugas Bench",
                                           is_staff=True)
    Membership.objects.get_or_create(user=officer, unit=unit, role="verifier")
    device = TOTPDevice.objects.filter(user=officer).first() or TOTPDevice.objects.create(
        user=officer, name="bench", confirmed=True)
    open_ids = list(Case.objects.filter(unit=unit, is_open=True).values_list("pk", flat=True)[:300])
    if not Event.objects.filter(case_id__in=open_ids).exists():
        now = timezone.now()
        events = []
        for pk in open_ids:
            events.append(Event(case_id=pk, kind="submitted", action="submit", to_status="submitted", at=now,
                                is_public=True, actor_label="web"))
            for j in range(11):
                events.append(Event(case_id=pk, kind="note", action="note", actor=officer, actor_label="Petugas",
                                    body=f"Catatan tindak lanjut {j}", is_public=False, at=now))
        Event.objects.bulk_create(events, batch_size=2000)
    from balai.cases.services import _new_code

    for pk in Case.objects.filter(pk__in=open_ids, tracking_code__startswith="B-").values_list("pk", flat=True):
        Case.objects.filter(pk=pk).update(tracking_code=_new_code())  # the generator's codes are not KT-XXXX-XXXX
    codes = list(Case.objects.filter(pk__in=open_ids).values_list("tracking_code", flat=True))
    print(f"cases: {Case.objects.count():,}; open in the officer's unit: "
          f"{Case.objects.filter(unit=unit, is_open=True).count():,}")

    def client() -> Client:
        c = Client()
        c.force_login(officer)
        session = c.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return c

    c = client()
    response = c.get("/kantor/")
    assert response.status_code == 200, response.status_code
    url, page = "/kantor/", 1
    while page < 50:
        found = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
        if not found:
            break
        url = "/kantor/" + found.group(1).replace("&amp;", "&")
        response = c.get(url)
        page += 1
    page50 = url
    print(f"deepest queue page reached: {page}")
    titles = list(Case.objects.filter(pk__in=open_ids).values_list("title", flat=True))
    targets = {"queue page 1 (default filters)": lambda i: "/kantor/",
               f"queue page {page}": lambda i: page50,
               # full-text search: a word in every case's title (the unit's 10,003 open cases match), and
               # the words of one case's title (a handful match)
               "queue search, common word": lambda i: "/kantor/?q=uji",
               "queue search, one case's title": lambda i: "/kantor/?q=" + titles[i % len(titles)].replace(" ", "+"),
               "case page": lambda i: f"/kantor/berkas/{codes[i % len(codes)]}/"}

    print(f"{args.threads} concurrent clients, {args.requests} requests per page (after 20 warm-up)")
    print("| page | p50 | p95 | max |")
    print("| --- | --- | --- | --- |")
    for name, make in targets.items():
        for i in range(20):
            assert c.get(make(i)).status_code == 200
        times: list[float] = []
        lock = threading.Lock()
        counter = iter(range(args.requests))
        threads = [threading.Thread(target=_worker, args=(client, make, lock, counter, times))
                   for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times.sort()
        p95 = percentile(times, 95)
        print(f"| {name} | {statistics.median(times):.0f} ms | {p95:.0f} ms | {times[-1]:.0f} ms |")


if __name__ == "__main__":
    main()
