"""Shared by the bench scripts: Balai under gunicorn on 127.0.0.1, and a steady load of timed POSTs."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from _measure import percentile

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, port: int | None = None, ready_path: str = "/healthz",
             extra_args: Sequence[str] = (), app: str = "balai.wsgi:application", quiet: bool = False,
             ) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start gunicorn (its own process group), wait until `ready_path` answers (any HTTP status), yield
    (base URL, process); stop it and its workers afterwards."""
    port = port or free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
        [str(ROOT / ".venv/bin/gunicorn"), app, "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning", *extra_args], cwd=ROOT, env=env, start_new_session=True,
        **({"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL} if quiet else {}))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + ready_path, timeout=10).read()  # noqa: S310 - 127.0.0.1 only
                break
            except urllib.error.HTTPError:
                break  # the app answered: loaded
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def worker_pids(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False)  # noqa: S603,S607
    return [int(pid) for pid in out.stdout.split()]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect (the portal's "sent" answer) is the answer measured, not followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    """POST and read the answer, without following a redirect: (HTTP status, seconds)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=60) as response:  # noqa: S310 - 127.0.0.1 only
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def post_load(requests: list[tuple[str, bytes, dict[str, str]]], concurrency: int) -> dict:
    """Send (url, body, headers) POSTs from `concurrency` client threads; requests/s, latency, statuses."""
    todo = list(requests)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if not todo:
                    return
                url, body, headers = todo.pop()
            status, took = post(url, body, headers)
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"requests": len(requests), "seconds": round(elapsed, 2), "rps": round(len(requests) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1), "statuses": statuses}
