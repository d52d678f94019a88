"""How fast real `run_worker` processes register a backlog of queued submissions (ADR 0014, 0021), and how
quickly a worker resumes after losing its database under load.

    # drain: N queued submissions, registered by 1 and then by 2 worker processes (fresh backlog each)
    .venv/bin/python bench/worker_drain.py drain --submissions 3000 --workers 1 2 [--rounds 3] \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_worker
    # outage: submissions accepted at --rate/s while one worker registers them; the worker's sessions are
    # killed and its new connections refused for --outage seconds (a PostgreSQL restart as the worker sees
    # it), then allowed again: how soon it resumes, and how fast it drains the backlog built meanwhile
    .venv/bin/python bench/worker_drain.py outage --outage 10 --rate 100 --seconds 30 \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_worker

    # inprocess: CPU per case of the registration itself (this process and its PostgreSQL backend)
    .venv/bin/python bench/worker_drain.py inprocess --submissions 1000 [--intake-file /tmp/intake_main.py]

The workers run with bench/worker_settings.py (registration is the only periodic job, every second). Each
registered case is the full `case_submit` (case, timeline event, audit record, acknowledgement in the
outbox and its delivery job). The script checks that every submission became exactly one case and that no
job was taken twice, and prints the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from balai.cases.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(database_url: str):
    from api_submit import QUEUED_KEY, prepare  # noqa: F401 - same data as the API benchmark

    ctx = prepare(database_url)
    from balai.catalog.models import ComplaintCategory
    from balai.people.models import ClientApplication

    return ClientApplication.objects.get(key_prefix="bench0002"), ComplaintCategory.objects.get(slug=ctx["category"])


def queue(n: int, client, category, start: int = 0) -> None:
    """n queued submissions, each validated and routed like the API does (`queue_submission`)."""
    from balai.cases.intake import queue_submission

    for i in range(start, start + n):
        queue_submission(Submission(client=client, kind="complaint", channel="api", title=f"Lampu jalan mati {i}",
                         description="Lampu jalan di depan sekolah mati sejak seminggu.",
                         complaint_category=category, contact_phone="081250000001", region="64.72"))


def fill(n: int, client, category) -> None:
    """n queued rows quickly: one through `queue_submission`, the rest copies of its payload."""
    from balai.cases.models import QueuedSubmission

    queue(1, client, category)
    row = QueuedSubmission.objects.order_by("-id").first()
    QueuedSubmission.objects.bulk_create([QueuedSubmission(token=f"bench-{time.time_ns()}-{i}", payload=row.payload,
                                                           client=client, accepted_at=row.accepted_at)
                                          for i in range(n - 1)], batch_size=1000)


def start_workers(k: int, tag: str) -> list[subprocess.Popen]:
    from django.db import connections

    connections.close_all()
    env = {**os.environ}
    return [subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], cwd=ROOT, env=env,  # noqa: S603
                             stdout=open(f"/tmp/bench-worker-{tag}-{n}.log", "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
                             start_new_session=True) for n in range(k)]


def stop(workers: list[subprocess.Popen]) -> None:
    for w in workers:
        os.killpg(w.pid, signal.SIGTERM)
    for w in workers:
        w.wait(timeout=120)


def registered() -> int:
    from balai.cases.models import QueuedSubmission

    return QueuedSubmission.objects.filter(status="registered").count()


def check_once() -> dict:
    from django_tasks_db.models import DBTaskResult

    from balai.cases.models import Case, QueuedSubmission

    twice = sum(1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids) > 1)
    return {"cases": Case.objects.count(), "queued_left": QueuedSubmission.objects.filter(status="queued").count(),
            "jobs_taken_twice": twice}


def drain(args) -> None:
    """Each round drains a fresh backlog with 1, then 2, ... workers (rounds interleave the worker counts,
    so a busy moment of the machine does not fall on one of them); each count's median round is reported."""
    rounds: dict[int, list[dict]] = {k: [] for k in args.workers}
    for _ in range(args.rounds):
        for row in _drain_round(args):
            rounds[row["workers"]].append(row)
    if args.rounds > 1:
        medians = []
        for k in args.workers:
            runs = sorted(rounds[k], key=lambda r: r["cases_per_s"])
            medians.append({**runs[len(runs) // 2], "cases_per_s_of_rounds": [r["cases_per_s"] for r in rounds[k]]})
            print(json.dumps({"median": medians[-1]}), flush=True)
        if len(medians) >= 2:
            print(json.dumps({"speedup_2_vs_1 (medians)": round(medians[1]["cases_per_s"] / medians[0]["cases_per_s"],
                                                                2)}))


def _drain_round(args) -> list[dict]:
    results = []
    for k in args.workers:
        from django.db import connections

        connections.close_all()
        client, category = setup(args.database_url)  # a fresh database per run
        fill(args.submissions, client, category)
        load_before = os.getloadavg()
        workers = start_workers(k, f"drain{k}")
        first = None
        while True:
            n = registered()
            now = time.perf_counter()
            if n and first is None:
                first = (now, n)
            if n >= args.submissions:
                break
            time.sleep(0.05)
        stop(workers)
        took = now - first[0]
        rate = (args.submissions - first[1]) / took
        results.append({"workers": k, "submissions": args.submissions, "seconds": round(took, 2),
                        "cases_per_s": round(rate, 1), "per_worker": round(rate / k, 1), **check_once(),
                        "load_avg_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)]})
        print(json.dumps(results[-1]), flush=True)
    if len(results) >= 2:
        print(json.dumps({"speedup_2_vs_1": round(results[1]["cases_per_s"] / results[0]["cases_per_s"], 2)}))
    return results


def inprocess(args) -> None:
    """CPU per registered case in this process and in its PostgreSQL backend (less sensitive to a busy
    machine than a rate). `--intake-file` measures another version of balai/cases/intake.py, e.g. main's:
    `git show main:balai/cases/intake.py > /tmp/intake_main.py`."""
    from django.db import connection

    client, category = setup(args.database_url)
    fill(args.submissions, client, category)
    register_all = __import__("balai.cases.intake", fromlist=["register_all"]).register_all
    if args.intake_file:
        import importlib.util

        spec = importlib.util.spec_from_file_location("intake_under_test", args.intake_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        register_all = module.register_all
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    load_before = os.getloadavg()
    cpu, pg, wall = time.process_time(), backend_cpu(), time.perf_counter()
    done = register_all()
    cpu, pg, wall = time.process_time() - cpu, backend_cpu() - pg, time.perf_counter() - wall
    n = args.submissions
    print(json.dumps({"intake": args.intake_file or "balai/cases/intake.py", **done,
                      "cases_per_s": round(n / wall, 1), "python_cpu_ms_per_case": round(cpu / n * 1000, 2),
                      "postgres_cpu_ms_per_case": round(pg / n * 1000, 2),
                      "load_avg_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)]}))


def outage(args) -> None:
    client, category = setup(args.database_url)
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    base = args.database_url.rpartition("/")[0]
    workers = start_workers(1, "outage")
    stop_load = threading.Event()
    sent = [0]

    refused = [0]

    def load() -> None:  # the web side accepts submissions at --rate per second (refused while it cannot)
        from django.db import DatabaseError, connections

        i, step = 10_000, max(1, args.rate // 10)
        while not stop_load.is_set():
            t = time.perf_counter()
            for _ in range(step):
                try:
                    queue(1, client, category, start=i)
                    sent[0] += 1
                except DatabaseError:
                    refused[0] += 1
                    connections.close_all()
                i += 1
            time.sleep(max(0.0, 0.1 - (time.perf_counter() - t)))
        connections.close_all()

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    started = time.perf_counter()
    while registered() == 0 and time.perf_counter() - started < 120:
        time.sleep(0.2)  # the worker is up and registering
    time.sleep(5)  # steady state
    load_before = os.getloadavg()
    registered()  # this thread's session is open before the outage (only the worker's are killed)
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                          "AND application_name LIKE 'balai-worker%%'", [name])
            down_at = time.perf_counter()
            before = registered()
            time.sleep(args.outage)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    up_at = time.perf_counter()
    stop_load.set()  # the backlog is now fixed: what was accepted before and during the outage
    thread.join()
    total_accepted = sent[0]
    backlog = total_accepted - registered()
    resumed = None
    while registered() < total_accepted and time.perf_counter() - up_at < args.seconds:
        if resumed is None and registered() > before:
            resumed = time.perf_counter()
        time.sleep(0.05)
    drained_at = time.perf_counter()
    resumed = resumed or drained_at
    stop(workers)
    print(json.dumps({
        "outage_seconds": round(up_at - down_at, 1), "accepted_per_s_before_and_during": args.rate,
        "backlog_when_the_database_returned": backlog,
        "worker_resumed_after_s": round(resumed - up_at, 2),
        "backlog_drained_after_s": round(drained_at - up_at, 1),
        "drain_cases_per_s": round(backlog / max(0.001, drained_at - resumed), 1),
        "accepted": total_accepted, "refused_by_the_database": refused[0], **check_once(),
        "load_avg_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        "worker_log": "/tmp/bench-worker-outage-0.log"}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["drain", "outage", "inprocess"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_worker")
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1, help="drain: interleaved rounds; medians reported")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds the database refuses the worker")
    parser.add_argument("--rate", type=int, default=100, help="submissions accepted per second meanwhile")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to follow the recovery")
    parser.add_argument("--intake-file", default="", help="inprocess: another version of balai/cases/intake.py")
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bench.worker_settings",
                       "DEBUG": "0", "LOG_LEVEL": "WARNING"})
    {"drain": drain, "outage": outage, "inprocess": inprocess}[args.mode](args)


if __name__ == "__main__":
    main()
