"""Requests per second of the public pages for an anonymous visitor, against a bare Django view measured in
the same run (issue 18 target 1: >= 0.5x). `make bench` runs it.

    .venv/bin/python bench/public_pages.py [--rounds 3] [--duration 10] [--connections 16] [--no-record]

Against the configured database (DATABASE_URL, else the SQLite file under var/), with demo data (loaded
when the catalog is empty). Two gunicorns on 127.0.0.1, 2 sync workers each, persistent database
connections: Balai, and the baseline (bench/baseline_site/: `startproject`'s default middleware, one view
rendering a 10-line template). `wrk -t1 -c16 -d10s` on each page and the baseline, in three interleaved
rounds; the median req/s of each and the ratio to the baseline's median are printed and appended to
bench/RESULTS.md with the date, commit, machine and load (`uptime`). Nothing is timed in the tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _server import gunicorn  # noqa: E402 - bench/ is the script's own folder

BASELINE = "bare Django view (10-line template)"


def _prepare() -> dict[str, str]:
    """Migrate, create the cache tables, load the demo data when the catalog is empty; the pages to hit."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.db.models import F

    from balai.agencies.models import Agency
    from balai.cases.selectors import publicly_listable_cases
    from balai.catalog.models import Service
    from balai.ict.selectors import public_applications
    from balai.participation.models import Forum, Process, Proposal
    from balai.ppid.models import ArchiveEntry, InformationItem

    if not Service.objects.filter(is_published=True).exists():
        print("empty catalog: loading the demo data (manage.py load_demo)", flush=True)
        subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, check=True,  # noqa: S603
                       env={**os.environ, "BALAI_DEMO": "1"}, stdout=subprocess.DEVNULL)
    service = Service.objects.filter(is_published=True, kind="service").order_by("-popularity", "code").first()
    agency = Agency.objects.filter(is_active=True).order_by("slug").first()
    item = InformationItem.objects.filter(status="approved").order_by("pk").first()
    entry = ArchiveEntry.objects.filter(status="published").order_by("pk").first()
    process = Process.objects.filter(is_published=True, kind="proposals").order_by("pk").first()
    proposal = Proposal.objects.filter(process=process).order_by("pk").first() if process else None
    budget = Process.objects.filter(is_published=True, kind="budget").order_by("pk").first()
    draft_process = Process.objects.filter(is_published=True, draft__isnull=False).order_by("pk").first()
    case = publicly_listable_cases().first()
    application = public_applications().order_by("slug").first()
    # A Musrenbang forum that met (minutes, attendance, decisions), else any.
    forum = (Forum.objects.filter(process__is_published=True).select_related("process")
             .order_by(F("held_on").asc(nulls_last=True), "pk").first())
    from django.db import connections

    connections.close_all()
    pages = {"home": "/", "catalog": "/layanan/", "search": "/layanan/?q=izin", "kinerja": "/kinerja/",
             "laporan": "/laporan/", "data": "/data/", "aplikasi": "/aplikasi/", "ranking": "/kinerja/peringkat/",
             "dataset": "/data/kinerja-provinsi/", "status": "/status/", "privacy": "/privasi/",
             "accessibility": "/aksesibilitas/", "contact": "/kontak/"}
    if service is not None:
        pages["service"] = f"/layanan/{service.code}/"
        pages["kinerja service"] = f"/kinerja/layanan/{service.code}/"
    if agency is not None:
        pages["agency"] = f"/instansi/{agency.slug}/"
        pages["kinerja agency"] = f"/kinerja/instansi/{agency.slug}/"
    if case is not None:
        pages["public case"] = f"/laporan/{case.pk}/"
    if application is not None:
        pages["application"] = f"/aplikasi/{application.slug}/"
    # The pages of PPID and participation (ADR 0044), where the demo data has them.
    pages.update({"register": "/informasi/daftar/", "archive": "/informasi/arsip/", "partisipasi": "/partisipasi/",
                  "inclusion": "/partisipasi/inklusi/", "sms": "/sms/", "sms poster": "/sms/poster/"})
    if item is not None:
        pages["register item"] = f"/informasi/daftar/{item.pk}/"
    if entry is not None:
        pages["archive entry"] = f"/informasi/arsip/{entry.pk}/"
    if process is not None:
        pages["process"] = f"/partisipasi/{process.slug}/"
        pages["proposals"] = f"/partisipasi/{process.slug}/usulan/"
    if proposal is not None and process is not None:
        pages["proposal"] = f"/partisipasi/{process.slug}/usulan/{proposal.code}/"
    if budget is not None:
        pages["results"] = f"/partisipasi/{budget.slug}/hasil/"
    if draft_process is not None:
        pages["draft"] = f"/partisipasi/{draft_process.slug}/rancangan/"
        pages["draft report"] = f"/partisipasi/{draft_process.slug}/rancangan/laporan/"
    if forum is not None:
        pages["musrenbang"] = f"/partisipasi/{forum.process.slug}/musrenbang/"
        pages["forum"] = f"/partisipasi/{forum.process.slug}/musrenbang/{forum.pk}/"
    return pages


def _wrk(url: str, args: argparse.Namespace) -> float:
    out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", url],  # noqa: S603,S607
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def _machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{platform.node()}, {os.cpu_count()} CPUs {model}".strip()


def _commit() -> str:
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603,S607

    changed = [line for line in git("status", "--porcelain").splitlines() if not line.endswith("bench/RESULTS.md")]
    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if changed else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    os.chdir(ROOT)
    pages = _prepare()
    database = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    database += ", Redis cache" if os.environ.get("REDIS_URL") else ", database cache"
    load_before = _uptime()
    env = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "ERROR", "DB_CONN_MAX_AGE": "60"}
    env.pop("BALAI_DEMO", None)
    base_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baseline_site.settings"}
    rps: dict[str, list[float]] = {BASELINE: [], **{name: [] for name in pages}}
    # Balai's request log lines are written (as in production), to /dev/null.
    with gunicorn(env, workers=args.workers, quiet=True) as (balai, _s1), \
            gunicorn(base_env, workers=args.workers, ready_path="/", app="bench.baseline_site.wsgi:application",
                     quiet=True) as (baseline, _s2):
        targets = {BASELINE: baseline + "/", **{name: balai + path for name, path in pages.items()}}
        for url in targets.values():  # warm-up: imports, connections, the page cache
            for _ in range(3):
                urllib.request.urlopen(url, timeout=60).read()  # noqa: S310 - 127.0.0.1 only
        for number in range(args.rounds):  # interleaved: a busy moment of the machine hits every page alike
            for name, url in targets.items():
                rps[name].append(_wrk(url, args))
                print(f"round {number + 1}: {name}: {rps[name][-1]:.0f} req/s", flush=True)
    load_after = _uptime()
    base = statistics.median(rps[BASELINE])
    rows = []
    for name, values in rps.items():
        median = statistics.median(values)
        path = "(bench/baseline_site)" if name == BASELINE else pages[name]
        rows.append(f"| {name} | `{path}` | {median:,.0f} | {' / '.join(f'{v:,.0f}' for v in values)} | "
                    f"{median / base:.2f} |")
    command = (f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds, "
               f"gunicorn {args.workers} sync workers each")
    report = "\n".join([
        f"### Public pages against a bare Django view ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`make bench` (bench/public_pages.py): {database}, {command}; commit {_commit()}; machine {_machine()}.",
        f"Load before: `{load_before}`; after: `{load_after}`. Anonymous visitor, page cache on (ADR 0044).",
        "",
        "| page | path | median req/s | rounds | ÷ baseline |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
    ])
    print()
    print(report)
    if not args.no_record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write("\n" + report)


if __name__ == "__main__":
    main()
