"""Starting real worker processes against the test database, and cutting them off from it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """URL of the (test) database this process uses, for child processes."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def admin_connection() -> psycopg.Connection:
    """A connection of our own to the maintenance database (ALTER DATABASE, pg_terminate_backend)."""
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                           password=s.get("PASSWORD") or None, dbname="postgres", autocommit=True)


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    return {**env, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
            "BALAI_ENV": "development", "DEBUG": "false", "LOG_LEVEL": "WARNING", **extra}


@contextmanager
def worker_process(log: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """`manage.py run_worker` as a child process (its own session); stopped with SIGTERM afterwards."""
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", *args], cwd=ROOT,
                                env=env or child_env(), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def kill_worker_backends(admin: psycopg.Connection) -> int:
    """pg_terminate_backend every session of a Balai worker on the test database; how many."""
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
        "AND application_name LIKE 'balai-worker%%'", [connection.settings_dict["NAME"]]).fetchall()
    return len(rows)


@contextmanager
def database_refusing_workers(admin: psycopg.Connection) -> Iterator[None]:
    """An outage as the worker sees it: its sessions killed and new connections refused until the block
    ends. (The test's own session stays: ALLOW_CONNECTIONS only stops new ones.)"""
    name = connection.settings_dict["NAME"]
    admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
    try:
        kill_worker_backends(admin)
        yield
    finally:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def web_process(log: Path, *, port: int, workers: int = 1, env: dict[str, str] | None = None,
                access_log: Path | None = None) -> Iterator[subprocess.Popen]:
    """gunicorn serving Balai on 127.0.0.1:`port` (its own session), up once /healthz answers."""
    import urllib.error
    import urllib.request

    with open(log, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(Path(sys.executable).parent / "gunicorn"), "balai.wsgi:application", "-b", f"127.0.0.1:{port}",
             "-w", str(workers), "--log-level", "warning",
             # the client address as the proxy passed it on, first on each access-log line
             *(["--access-logfile", str(access_log), "--access-logformat", "%({x-forwarded-for}i)s %(r)s %(s)s"]
               if access_log else [])], cwd=ROOT, env=env or child_env(), stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            def up() -> bool:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()  # noqa: S310
                except urllib.error.HTTPError:
                    return True  # answering, even if unhealthy
                except OSError:
                    assert proc.poll() is None, log.read_text()
                    return False
                return True

            wait_for(up, timeout=60, what="gunicorn to answer")
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def kill_other_backends(admin: psycopg.Connection) -> int:
    """pg_terminate_backend every session on the test database except this test process's own."""
    mine = connection.connection.info.backend_pid if connection.connection else 0
    rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                         [connection.settings_dict["NAME"], mine]).fetchall()
    return len(rows)
