"""Server time of the PPID's public pages at 100,000 archived requests and 20,000 register items (PostgreSQL).

    .venv/bin/python bench/ppid_pages.py [--entries 100000] [--items 20000] [--requests 200] \
        [--database-url postgres://postgres@127.0.0.1:5432/ppid] [--regenerate]

Uses a database of its own (created and migrated if missing; `--regenerate` drops it first). Generates a
government with 20 agencies, `--items` approved register items spread over the four categories and five
years, and `--entries` answered information requests with their published archive entries (bulk inserts).
Measured in-process with Django's test client (full middleware stack and templates; no network): p50/p95
of the server time per page over `--requests` requests after a warm-up, one client. A word in no question
or item ("kepulauan") is the worst case of a search (every row tested unless the search index is used).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import percentile  # noqa: E402 - bench/ is the script's own folder

AGENCIES = 20
WORDS = ("anggaran", "puskesmas", "jalan", "sekolah", "banjir", "izin", "tambang", "hutan", "pasar", "rumah sakit",
         "bantuan", "pupuk", "nelayan", "air bersih", "listrik", "pelabuhan", "bandara", "beasiswa", "KTP", "tender")


def _generate(entries: int, items: int) -> None:
    from django.utils import timezone

    from balai.agencies.models import Agency, Government, Region, Unit
    from balai.cases.models import Case
    from balai.ppid.models import ArchiveEntry, InformationItem

    rng = random.Random(14)  # noqa: S311 - repeatable bench data
    region = Region.objects.create(code="99", name="Bench", level="province")
    gov = Government.objects.create(name="Pemerintah Bench", short_name="Bench", region=region)
    agencies = []
    for i in range(AGENCIES):
        agency = Agency.objects.create(government=gov, slug=f"bench-{i}", short_name=f"Bench {i}",
                                       name_id=f"Dinas Bench {i}")
        Unit.objects.create(agency=agency, slug="ppid", kind=Unit.Kind.PPID, name_id="PPID")
        agencies.append(agency)
    now = timezone.now()
    t = time.perf_counter()
    categories = ("berkala", "setiap_saat", "dikecualikan", "serta_merta")
    batch = []
    for i in range(items):
        word = rng.choice(WORDS)
        agency = agencies[i % AGENCIES]
        batch.append(InformationItem(
            government=gov, agency=agency, number=f"DIP-B-{i:06d}", title=f"Data {word} {i}",
            summary=f"Ringkasan data {word} tahun {2022 + i % 5}.", holder="Sekretariat", responsible="PPID",
            made_when=date(2022 + i % 5, 1 + i % 12, 1 + i % 28), made_where="Samarinda", format="soft",
            retention="10 tahun", category=categories[i % 10 % 4], year=2022 + i % 5,
            document_url="https://example.org/d.pdf", status="approved",
            content_updated_at=now - timedelta(days=rng.randint(0, 900))))
        if len(batch) == 5000:
            InformationItem.objects.bulk_create(batch)
            batch = []
    InformationItem.objects.bulk_create(batch)
    print(f"items: {items:,} in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    for start in range(0, entries, 5000):
        cases, archive = [], []
        for i in range(start, min(start + 5000, entries)):
            agency = agencies[i % AGENCIES]
            asked = now - timedelta(days=rng.randint(20, 1500), hours=rng.randint(0, 8))
            word = rng.choice(WORDS)
            cases.append(Case(tracking_code=f"KT-B{i:07d}", kind="information_request", title=f"Data {word}",
                              description=f"Mohon data {word} tahun {asked.year}.", status="closed",
                              is_open=False, government=gov, agency=agency, submitted_at=asked,
                              contact_name="Warga Bench"))
        Case.objects.bulk_create(cases)
        for i, case in enumerate(cases):
            taken = rng.randint(1, 17)
            archive.append(ArchiveEntry(
                case=case, government=gov, agency=case.agency, question=case.description,
                answer=f"Data {case.title} terlampir.", outcome=("granted", "partial", "refused")[i % 7 % 3],
                submitted_at=case.submitted_at, answered_at=case.submitted_at + timedelta(days=taken * 7 // 5),
                working_days=taken, legal_days=10 if taken <= 10 else 17, on_time=taken <= 10,
                online=i % 4 != 0, status="published"))
        ArchiveEntry.objects.bulk_create(archive)
    print(f"archive: {entries:,} answered requests in {time.perf_counter() - t:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ppid")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    from _db import ensure_postgres_database

    ensure_postgres_database(args.database_url, fresh=args.regenerate)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from balai.ppid.models import ArchiveEntry, InformationItem

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not InformationItem.objects.filter(number__startswith="DIP-B-").exists():
        _generate(args.entries, args.items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"register items: {InformationItem.objects.count():,}; archive entries: {ArchiveEntry.objects.count():,}")
    entry = ArchiveEntry.objects.order_by("-answered_at").values_list("pk", flat=True)[500]
    item = InformationItem.objects.order_by("-content_updated_at").values_list("pk", flat=True)[500]
    pages = {
        "register": "/informasi/daftar/",
        "register filtered": "/informasi/daftar/?instansi=bench-3&kategori=berkala&tahun=2024",
        "register search": "/informasi/daftar/?q=puskesmas",
        "register search rare": "/informasi/daftar/?q=kepulauan",
        "register page 40": "/informasi/daftar/?halaman=40",
        "register item": f"/informasi/daftar/{item}/",
        "archive": "/informasi/arsip/",
        "archive filtered": "/informasi/arsip/?instansi=bench-7&hasil=refused&tahun=2025",
        "archive search": "/informasi/arsip/?q=pelabuhan",
        "archive search common": "/informasi/arsip/?q=data",
        "archive search rare": "/informasi/arsip/?q=kepulauan",
        "archive page 40": "/informasi/arsip/?halaman=40",
        "archive entry": f"/informasi/arsip/{entry}/",
        "similar requests": "/informasi/?cari=data+anggaran+puskesmas",
        "similar rare": "/informasi/?cari=kepulauan+terpencil",
    }
    client = Client()
    print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'KB':>6}")
    for name, path in pages.items():
        for _ in range(5):
            client.get(path)
        times = []
        size = 0
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            size = len(response.content)
        print(f"{name:<20} {statistics.median(times):8.1f} {percentile(times, 95):8.1f} {size / 1024:6.1f}")


if __name__ == "__main__":
    main()
