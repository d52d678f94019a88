"""The background worker that outlives its database (ADR 0021).

django-tasks-db's `Worker` stops at the first database error it does not expect. `ResilientWorker` runs
it in a loop: on a lost connection it waits for the database with capped exponential backoff, logs the
outage once when it starts and once when it ends (not at every retry), settles the job that was cut
off (`balai.ops.recovery`) and carries on. A second thread, `Housekeeping`, keeps the heartbeat, claims
the periods of periodic jobs (`balai.ops.scheduler`) and reaps jobs of workers that died.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from balai.ops import recovery, scheduler

logger = logging.getLogger("balai.worker")

# What a lost, refused or killed connection raises (psycopg's AdminShutdown, "the database system is
# shutting down", "server closed the connection unexpectedly", a closed connection's InterfaceError).
DATABASE_LOST = (OperationalError, InterfaceError)


def _first_line(exc: BaseException) -> str:
    # Saving a failed job's result on the dead connection raises "the connection is closed"; the cause
    # worth logging is the first database error in the chain ("terminating connection ...").
    seen = {id(exc)}
    while isinstance(exc.__context__, DATABASE_LOST) and id(exc.__context__) not in seen:  # chains can loop
        exc = exc.__context__
        seen.add(id(exc))
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def reconnect_max_seconds() -> float:
    return float(getattr(settings, "BALAI_WORKER_RECONNECT_MAX_SECONDS", 5))


class Connectivity:
    """Whether this process reaches its database, shared by the worker's threads, so that an outage is
    logged once when it begins and once when it ends, whichever thread notices."""

    def __init__(self, *, backoff_max: float | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.backoff_max = reconnect_max_seconds() if backoff_max is None else backoff_max
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.up_since = clock()
        self.outages = 0

    def lost(self, exc: BaseException) -> None:
        with self._lock:
            if self.down_since is not None:
                return
            self.down_since = self.clock()
            self.outages += 1
        logger.warning("database unavailable (%s: %s); reconnecting, retrying at most every %.0f s",
                       type(exc).__name__, _first_line(exc), self.backoff_max)

    def restored(self) -> None:
        with self._lock:
            if self.down_since is None:
                return
            took, self.down_since = self.clock() - self.down_since, None
            self.up_since = self.clock()
        logger.warning("database available again after %.1f s; resuming", took)

    def connected_for(self) -> float:
        """Seconds since the database was last reached after an outage (or since start); 0 while down."""
        with self._lock:
            return 0.0 if self.down_since is not None else self.clock() - self.up_since

    def wait_until_reachable(self, exc: BaseException, *, stop: Callable[[], bool]) -> bool:
        """Reconnect this thread's connection, backing off up to `backoff_max` between attempts; False
        only when `stop()` says to give up (the worker is shutting down)."""
        self.lost(exc)
        delay, attempt = 0.0, 0  # the first retry at once: a killed connection is replaced immediately
        while not stop():
            if delay:
                self.sleep(delay * (0.75 + random.random() / 4))  # noqa: S311 # nosec B311 # jitter, not secrecy
            attempt += 1
            try:
                _reconnect()
            except DATABASE_LOST as again:
                logger.debug("database still unavailable (attempt %d): %s", attempt, _first_line(again))
                delay = min(self.backoff_max, max(0.5, delay * 2))
                continue
            self.restored()
            return True
        return False


def _reconnect() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: BLE001, S110 # nosec B110 # a broken connection may fail to close; it is dropped anyway
            pass
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


class ResilientWorker(Worker):
    """django-tasks-db's worker, restarted in place after a lost database instead of exiting."""

    def __init__(self, *, connectivity: Connectivity, **kwargs) -> None:
        super().__init__(**kwargs)
        self.connectivity = connectivity

    def shutdown(self, signum: int, frame) -> None:
        """First signal: stop after the job in hand. The library exits at once when no job is running,
        which can fall between claiming a job and starting it; the loop's short sleep ends it anyway."""
        if not self.running:
            return super().shutdown(signum, frame)  # a second signal: the library's forced exit
        logger.warning("received %s: stopping after the current job", signal.strsignal(signum))
        self.running = False

    def run(self) -> None:
        # Also at start: a worker restarted under the same --worker-id takes back what it had running.
        settle = "its worker was restarted while it ran"
        while self.running:
            try:
                if settle:
                    # Nothing runs now, so whatever this worker still has RUNNING was cut off.
                    recovery.recover_own_jobs(worker_id=self.worker_id, reason=settle)
                    settle = ""
                super().run()
                return  # --batch or --max-tasks reached, or asked to stop
            except DATABASE_LOST as exc:
                settle = "the database connection was lost while it ran or while its result was saved"
                self.startup_delay = False
                if not self.connectivity.wait_until_reachable(exc, stop=lambda: not self.running):
                    return


class Housekeeping(threading.Thread):
    """Heartbeat, periodic-job scheduling and the reaper, beside the job loop."""

    def __init__(self, *, worker_id: str, started_at: datetime, connectivity: Connectivity, tick: float,
                 schedule: bool = True) -> None:
        super().__init__(name="balai-housekeeping", daemon=True)
        self.worker_id, self.started_at, self.tick = worker_id, started_at, tick
        self.connectivity, self.schedule = connectivity, schedule
        self.stop = threading.Event()

    def run(self) -> None:
        tasks = scheduler.periodic_tasks()
        next_beat, schedule_known = 0.0, False
        while not self.stop.is_set():
            try:
                close_old_connections()
                if time.monotonic() >= next_beat:
                    recovery.beat(worker_id=self.worker_id, started_at=self.started_at)
                    # Reap only after being connected for a whole staleness window: after an outage the
                    # other workers need that long to show they are alive again.
                    if self.connectivity.connected_for() >= recovery.stale_after().total_seconds():
                        recovery.reap_orphaned_jobs()
                    next_beat = time.monotonic() + recovery.heartbeat_seconds()
                if self.schedule and tasks:
                    if not schedule_known:
                        scheduler.ensure_schedule(tasks)
                        schedule_known = True
                    scheduler.claim_due_periods(worker_id=self.worker_id, tasks=tasks)
                self.connectivity.restored()
            except DATABASE_LOST as exc:
                self.connectivity.wait_until_reachable(exc, stop=self.stop.is_set)
                continue
            except Exception:  # a bug here must not stop the heartbeat for good; it is logged each time
                logger.exception("worker housekeeping failed")
            self.stop.wait(self.tick)
        connections.close_all()
