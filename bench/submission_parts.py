"""What each part of a synchronous REST submission costs in Python, without a profiler (cProfile inflates
small calls several times): the whole request, the bare view and the DRF floor through the in-process
test client (as bench/profile_submit.py), `case_submit` whole, and inside it the inclusive CPU time of
its parts, each function wrapped by a timer (a microsecond per call) while `case_submit` runs.

    .venv/bin/python bench/submission_parts.py \\
        --database-url postgres://postgres@127.0.0.1:5432/balai_bench_profile

The parts: `prepare_submission` (validation, routing, working-day deadlines); each row's INSERT
(`insert_rows`, per model: building the values and the round trip); the acknowledgement's text
(`case_message` + `prepare_message`); the delivery job (`_enqueue`); the audit chain's lock, head and
hash (`_append`); the COMMIT. Outside `case_submit`: the input serializer and the 201 answer
(`created_case`), timed alone in a loop. Medians of alternating blocks, ms of this process's CPU (and
of the PostgreSQL backend's). Figures in bench/RESULTS.md ("What a synchronous submission may cost").
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _measure import process_cpu_seconds  # noqa: E402 - bench/ is the script's own folder

# (module, function, what names the call) wrapped while `case_submit` runs; modules that imported
# `insert_rows` by name get the wrapped one too.
_WRAPPED: list[tuple[str, str, Callable[..., str] | None]] = [
    ("balai.cases.services", "prepare_submission", None),
    ("balai.rows", "insert_rows", lambda objs, **_kw: f"INSERT {type(objs[0]).__name__}" if objs else "INSERT"),
    ("balai.cases.services", "_write_submissions", None),
    ("balai.cases.messages", "case_message", None),
    ("balai.notify.outbox", "prepare_message", None),
    ("balai.notify.outbox", "queue_messages", None),
    ("balai.notify.outbox", "_enqueue", None),
    ("balai.audit.services", "_append", None),
    ("balai.audit.services", "_lock_chain_and_read_head", None),
]
_IMPORTERS_OF_INSERT_ROWS = ("balai.cases.services", "balai.audit.services", "balai.ops.jobs", "balai.notify.outbox")


class _Parts:
    """Inclusive CPU time per wrapped function."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def reset(self) -> None:
        self.seconds = {}

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        started = time.process_time()
        try:
            yield
        finally:
            self.seconds[label] = self.seconds.get(label, 0.0) + time.process_time() - started

    def wrap(self, module_name: str, name: str, key: Callable[..., str] | None) -> None:
        module = importlib.import_module(module_name)
        real = getattr(module, name)
        label = f"{module_name.removeprefix('balai.')}.{name}"

        @functools.wraps(real)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.timed(key(*args, **kwargs) if key else label):
                return real(*args, **kwargs)

        setattr(module, name, timed)
        if module_name == "balai.rows":
            for importer in _IMPORTERS_OF_INSERT_ROWS:
                imported = importlib.import_module(importer)
                if getattr(imported, name, None) is real:
                    setattr(imported, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balai_bench_profile")
    parser.add_argument("--block", type=int, default=100)
    parser.add_argument("--blocks", type=int, default=5)
    args = parser.parse_args()
    from api_submit import CLIENT_KEY, _bare, _rest, bench_environment, prepare

    os.environ.update(bench_environment(args.database_url))
    ctx = prepare(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from balai.api import serializers as s
    from balai.api.presenters import created_case
    from balai.cases import services
    from balai.cases.submission import Submission
    from balai.people.models import ClientApplication

    translation.activate("id")
    parts = _Parts()
    for module, name, key in _WRAPPED:
        parts.wrap(module, name, key)
    real_commit = connection._commit

    def commit() -> None:
        with parts.timed("COMMIT"):
            real_commit()

    connection._commit = commit
    client_app = ClientApplication.objects.get(name="Bench")  # api_submit.prepare's synchronous client
    body = json.loads(_rest(0, ctx, CLIENT_KEY)[0])
    serializer = s.CaseSubmitSerializer(data=body)
    serializer.is_valid(raise_exception=True)
    data = {**serializer.validated_data, "language": "id"}
    counter = iter(range(10**9))

    def submit() -> None:
        services.case_submit(Submission(channel="api", client=client_app,
                                        **{**data, "title": f"Lampu jalan mati {next(counter)}"}))

    case = services.case_submit(Submission(channel="api", client=client_app, **data))
    web = Client()

    def post(path: str, build: Callable[[int], tuple[bytes, str, dict]]) -> Callable[[], None]:
        def run() -> None:
            payload, ctype, headers = build(next(counter))
            response = web.generic("POST", path, payload, content_type=ctype, headers=headers)
            if response.status_code != 201:
                raise RuntimeError(f"{path}: {response.status_code} {response.content[:200]!r}")
        return run

    runs: dict[str, Callable[[], object]] = {
        "REST request, whole (test client)": post("/api/v1/cases/", lambda i: _rest(i, ctx, CLIENT_KEY)),
        "bare view request (test client)": post("/bench/bare/", lambda i: _bare(i, ctx)),
        "DRF floor request (test client)": post("/bench/drf-floor/", lambda i: _bare(i, ctx)),
        "case_submit, whole": submit,
        "input serializer (CaseSubmitSerializer.is_valid), alone": lambda: s.CaseSubmitSerializer(data=body).is_valid(),
        "201 answer (created_case), alone": lambda: created_case(case, absolute=lambda path: "http://testserver" + path),
    }
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    inside: dict[str, list[float]] = {}
    for run in runs.values():  # warm-up
        for _ in range(20):
            run()
    for _ in range(args.blocks):
        for name, run in runs.items():
            parts.reset()
            cpu, pg = time.process_time(), process_cpu_seconds(pid)
            for _ in range(args.block):
                run()
            samples[name].append(((time.process_time() - cpu) / args.block * 1000,
                                  (process_cpu_seconds(pid) - pg) / args.block * 1000))
            if name == "case_submit, whole":
                for part, seconds in parts.seconds.items():
                    inside.setdefault(part, []).append(seconds / args.block * 1000)
    print(json.dumps({
        "load_avg": round(os.getloadavg()[0], 2), "database": connection.vendor,
        "ms_per_call": {name: {"python": round(statistics.median(x[0] for x in rows), 3),
                               "postgres": round(statistics.median(x[1] for x in rows), 3)}
                        for name, rows in samples.items()},
        "inside case_submit, python ms (inclusive)": {
            part: round(statistics.median(values), 3)
            for part, values in sorted(inside.items(), key=lambda kv: -statistics.median(kv[1]))},
    }, indent=1))


if __name__ == "__main__":
    main()
