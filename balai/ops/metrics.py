"""Prometheus metrics (ADR 0023).

Two kinds:
- **Request metrics**, counted where the request is served. Gunicorn runs several worker processes, each
  with its own memory, so with `PROMETHEUS_MULTIPROC_DIR` set (production) prometheus_client writes every
  process's counters to small memory-mapped files in that directory and a scrape of ANY process sums
  them all. Without it (runserver, tests) the counters live in the process. The directory must be
  emptied when the web service starts (README, "Metrics").
- **State read from the database** at scrape time (queue, outbox, deadlines, roll-ups, audit chain):
  the same on every node. Each reading is kept in Django's cache for a few seconds
  (`BALAI_METRICS_CACHE_SECONDS` scales the periods in `SOURCES`), so however many workers and nodes are
  scraped, the database answers each query once per period.

More state can be plugged in without touching this module: `settings.BALAI_METRICS_COLLECTORS` lists
dotted paths of callables returning prometheus_client metric families (the status page's probe results
are meant to arrive this way once that page exists).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Iterable, Iterator

import django
from django.conf import settings
from django.utils.module_loading import import_string
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from balai.ops import selectors

# Not registered anywhere at import time: each scrape builds its own registry (see `registry()`).
REQUESTS = Counter(
    "balai_http_requests", "HTTP requests served, by URL pattern name, method and status.",
    ["route", "method", "status"], registry=None,
)
LATENCY = Histogram(
    "balai_http_request_duration_seconds", "Time to produce the response, by URL pattern name and method.",
    ["route", "method"], registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


_children: dict[tuple[str, str, int], tuple] = {}  # labelled children, looked up once per combination


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _children.get(key)
    if children is None:
        children = _children[key] = (REQUESTS.labels(route, method, str(status)), LATENCY.labels(route, method))
    children[0].inc()
    children[1].observe(seconds)


def multiprocess_dir() -> str | None:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return path if path and os.path.isdir(path) else None


# --- state read from the database ------------------------------------------------------------------

def _tasks() -> Iterator[Metric]:
    from balai.health import check_worker

    depth = GaugeMetricFamily("balai_task_queue_depth", "Background jobs ready to run and waiting.",
                              labels=["queue"])
    age = GaugeMetricFamily("balai_task_oldest_waiting_seconds",
                            "Age of the oldest background job waiting to run (0 when none waits).",
                            labels=["queue"])
    queues = selectors.task_queues()
    if not any(q.queue == "default" for q in queues):
        queues.append(selectors.QueueState(queue="default", waiting=0, oldest_waiting_seconds=0.0))
    for state in queues:
        depth.add_metric([state.queue], state.waiting)
        age.add_metric([state.queue], state.oldest_waiting_seconds)
    yield depth
    yield age
    yield GaugeMetricFamily("balai_task_running", "Background jobs being run now.", value=selectors.running_tasks())
    healthy, _waiting = check_worker()
    yield GaugeMetricFamily("balai_worker_stalled",
                            "1 when jobs have waited too long and none finished meanwhile (as /healthz).",
                            value=0 if healthy else 1)


def _outbox() -> Iterator[Metric]:
    family = GaugeMetricFamily(
        "balai_outbox_messages",
        "Outbox messages waiting (queued, sending, failed_temporary) or given up (failed_permanent).",
        labels=["channel", "status"],
    )
    for (channel, status), count in sorted(selectors.outbox_counts().items()):
        family.add_metric([channel, status], count)
    yield family


def _deadlines() -> Iterator[Metric]:
    due = GaugeMetricFamily("balai_cases_due_soon", "Open cases whose deadline is near, per agency.",
                            labels=["agency"])
    breached = GaugeMetricFamily("balai_cases_breached", "Open cases past their deadline, per agency.",
                                 labels=["agency"])
    for row in selectors.deadlines_by_agency():
        due.add_metric([row.agency], row.due_soon)
        breached.add_metric([row.agency], row.breached)
    yield due
    yield breached


def _rollups() -> Iterator[Metric]:
    lag = selectors.rollup_lag()
    yield GaugeMetricFamily("balai_rollup_lag_events",
                            "Timeline events not yet read into the transparency roll-ups (upper bound).",
                            value=lag.events_behind)
    yield GaugeMetricFamily("balai_rollup_lag_seconds",
                            "Age of the oldest timeline event the roll-ups have not read (0: up to date).",
                            value=lag.seconds_behind)


def _audit() -> Iterator[Metric]:
    yield GaugeMetricFamily("balai_audit_chain_records", "Records in the audit chain.",
                            value=selectors.audit_chain_length())
    last = selectors.last_audit_verification()
    yield GaugeMetricFamily("balai_audit_last_verification_timestamp_seconds",
                            "When the audit chain was last verified (Unix time; 0: never).",
                            value=last.at.timestamp() if last else 0)
    yield GaugeMetricFamily("balai_audit_last_verification_ok",
                            "1 when the last verification found the chain intact (0 when broken or never run).",
                            value=1 if last and last.ok else 0)
    yield GaugeMetricFamily("balai_audit_last_verification_records",
                            "Records checked by the last verification.", value=last.checked if last else 0)


# name → how long a reading is kept, in units of settings.BALAI_METRICS_CACHE_SECONDS (default 5 s).
SOURCES: dict[str, tuple[Callable[[], Iterable[Metric]], float]] = {
    "tasks": (_tasks, 1.0),
    "outbox": (_outbox, 1.0),
    "deadlines": (_deadlines, 6.0),  # the sweep moves these every five minutes; the read scans open cases
    "rollups": (_rollups, 1.0),
    "audit": (_audit, 12.0),  # counting a long chain costs most; it is checked once a day anyway
}
CACHE_PREFIX = "balai:metrics:"
_local: dict[str, tuple[float, list[Metric]]] = {}


def clear_cache() -> None:
    from django.core.cache import cache

    _local.clear()
    cache.delete_many([CACHE_PREFIX + name for name in SOURCES])


def _read(name: str, source: Callable[[], Iterable[Metric]], ttl: float) -> list[Metric]:
    """A reading shared by every process and node through Django's cache (database or Redis), so the
    database answers each query once per `ttl` whatever the number of gunicorn workers and nodes; and kept
    in this process for the same time, so a scrape costs no cache round trip either."""
    if ttl <= 0:
        return list(source())
    now = time.monotonic()
    local = _local.get(name)
    if local is not None and now - local[0] < ttl:
        return local[1]
    from django.core.cache import cache

    try:
        families = cache.get(CACHE_PREFIX + name)
    except Exception:  # noqa: BLE001 - a cache outage (Redis down) must not hide the figures
        families = None
    if families is None:
        families = list(source())
        try:
            cache.set(CACHE_PREFIX + name, families, ttl)
        except Exception:  # noqa: BLE001, S110 # nosec B110 # kept in this process all the same
            pass
    _local[name] = (now, families)
    return families


class DatabaseStateCollector:
    """Collects every source; a failing source (database down) is reported as `balai_metrics_source_up
    0` instead of failing the whole scrape."""

    def collect(self) -> Iterator[Metric]:
        scale = float(getattr(settings, "BALAI_METRICS_CACHE_SECONDS", 5))
        up = GaugeMetricFamily("balai_metrics_source_up", "1 when the source could be read at this scrape.",
                               labels=["source"])
        sources = [(name, fn, ttl * scale) for name, (fn, ttl) in SOURCES.items()]
        for path in getattr(settings, "BALAI_METRICS_COLLECTORS", []) or []:
            sources.append((path.rsplit(".", 1)[-1], import_string(path), scale))
        for name, source, ttl in sources:
            try:
                families = _read(name, source, ttl)
            except Exception:  # noqa: BLE001 - one broken source must not hide the others
                _local.pop(name, None)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up
        info = InfoMetricFamily("balai_build", "Versions running.")
        info.add_metric([], {"python": platform.python_version(), "django": django.get_version(),
                             "balai": _balai_version()})
        yield info


def _balai_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("balai")
    except PackageNotFoundError:
        return "unknown"


def registry() -> CollectorRegistry:
    """A registry for one scrape: request metrics of every process (multiprocess) or of this one, plus
    the database state."""
    reg = CollectorRegistry(auto_describe=False)
    path = multiprocess_dir()
    if path:
        MultiProcessCollector(reg, path=path)
    else:
        reg.register(REQUESTS)
        reg.register(LATENCY)
    reg.register(DatabaseStateCollector())
    return reg


def render() -> bytes:
    return generate_latest(registry())
