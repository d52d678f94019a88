"""Cases per second through the real `case_submit` (one process), on SQLite or PostgreSQL.

    .venv/bin/python bench/cases_submit.py --cases 1000                       # SQLite, fresh file
    .venv/bin/python bench/cases_submit.py --cases 1000 \
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_submit

Each submission is the whole thing a citizen's request costs: validation (form answers, phone),
routing, tracking code, the INSERT, the timeline event, the hash-chained audit record, the outbox
message and the service's popularity counter, in one transaction. For comparison the script also
times the floor the design budget names: a bare insert of one row with validation of the same
fields (`full_clean()` + `save()` of a Case, no event/audit/message), in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from balai.cases.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="balai_bench_submit_")
    os.environ["BALAI_VAR_DIR"] = var
    if args.database_url:
        import psycopg

        dbname = args.database_url.rsplit("/", 1)[1]
        with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from balai.agencies.models import Agency, Government, Region, Unit
    from balai.cases.models import Case
    from balai.cases.services import case_submit
    from balai.catalog.models import ComplaintCategory, Service

    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="64", name="Kalimantan Timur", level="province")
    gov = Government.objects.create(region=region, name="Pemprov Kaltim")
    agency = Agency.objects.create(government=gov, slug="dpmptsp", short_name="DPMPTSP")
    unit = Unit.objects.create(agency=agency, slug="perizinan", name_id="Perizinan")
    service = Service.objects.create(
        code="izin-uji", agency=agency, unit=unit, name_id="Izin uji", deadline_working_days=5,
        form_definition=[
            {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"},
             "required": True, "max_length": 100},
            {"name": "jumlah_karyawan", "type": "number", "label": {"id": "Karyawan", "en": "Employees"},
             "required": True, "min": 0, "max": 10000},
        ])
    category = ComplaintCategory.objects.create(slug="jalan", keyword="jalan", name_id="Jalan", agency=agency,
                                                unit=unit)

    def submit(i: int) -> None:
        if i % 2:
            case_submit(Submission(kind="service_request", channel="web", title=f"Permohonan {i}", service=service,
                        answers={"nama_usaha": "Toko Sejahtera", "jumlah_karyawan": "4"},
                        contact_name="Siti", contact_phone="0812-5000-0001"))
        else:
            case_submit(Submission(kind="complaint", channel="sms", title=f"Jalan rusak {i}", complaint_category=category,
                        description="Lubang besar di Jl. Juanda", contact_phone="+6281250000002"))

    for i in range(20):  # warm up caches (calendar years, permission rules, templates)
        submit(i)
    t0 = time.perf_counter()
    for i in range(args.cases):
        submit(i)
    engine = time.perf_counter() - t0

    now = timezone.now()
    t0 = time.perf_counter()
    for i in range(args.cases):
        with transaction.atomic():
            row = Case(kind="complaint", channel="sms", title=f"Jalan rusak {i}", contact_phone="+6281250000002",
                       government=gov, agency=agency, unit=unit, status="submitted", submitted_at=now,
                       tracking_code=f"X-{i:09d}", due_at=now)
            row.full_clean()
            row.save()
    bare = time.perf_counter() - t0

    # The design budget's yardstick: a bare Django view that validates a POST and inserts one row,
    # through the full middleware stack (test client, same process, same database).
    from django.http import HttpResponse, HttpResponseBadRequest
    from django.test import Client, override_settings
    from django.urls import path

    def bare_view(request):
        title = request.POST.get("title", "").strip()
        phone = request.POST.get("phone", "")
        if not title or not phone.startswith("+62"):
            return HttpResponseBadRequest("invalid")
        with transaction.atomic():
            row = Case(kind="complaint", channel="web", title=title, contact_phone=phone, government=gov,
                       agency=agency, unit=unit, status="submitted", submitted_at=timezone.now(),
                       tracking_code=f"V-{request.POST['n']}", due_at=timezone.now())
            row.full_clean()
            row.save()
        return HttpResponse("ok", status=201)

    sys.modules[__name__].urlpatterns = [path("bare/", bare_view)]
    client = Client()
    with override_settings(ROOT_URLCONF=__name__):
        t0 = time.perf_counter()
        for i in range(args.cases):
            response = client.post("/bare/", {"title": f"Jalan rusak {i}", "phone": "+6281250000002", "n": i})
            assert response.status_code == 201, response.status_code
        view = time.perf_counter() - t0
    vendor = connection.vendor
    print(f"{vendor}: case_submit {args.cases / engine:.0f} cases/s ({engine / args.cases * 1000:.2f} ms each); "
          f"bare validated insert (no HTTP) {args.cases / bare:.0f} rows/s; bare Django view "
          f"{args.cases / view:.0f} requests/s; case_submit / bare view = {view / engine:.2f}")


if __name__ == "__main__":
    main()
