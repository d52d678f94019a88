"""The worker loop outlives database errors; an outage is logged once, retries back off up to a cap."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError

from balai.ops import worker as worker_module
from balai.ops.worker import Connectivity, ResilientWorker


def test_an_outage_is_logged_once_and_retries_back_off_up_to_the_cap(monkeypatch, caplog):
    failures = iter([True] * 9 + [False])

    def reconnect():
        if next(failures):
            raise OperationalError("connection refused")

    monkeypatch.setattr(worker_module, "_reconnect", reconnect)
    sleeps: list[float] = []
    connectivity = Connectivity(backoff_max=4, sleep=sleeps.append)
    with caplog.at_level(logging.DEBUG, logger="balai.worker"):
        assert connectivity.wait_until_reachable(OperationalError("terminating connection"), stop=lambda: False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("database unavailable (OperationalError: terminating connection)")
    assert warnings[1].startswith("database available again after")
    assert len(sleeps) == 9  # the first retry is immediate: a killed connection is replaced at once
    assert max(sleeps) <= 4 and sleeps[-1] >= 3  # doubled from 0.5 s up to the cap, with some jitter
    assert sleeps[0] < sleeps[2] < sleeps[4]


def test_a_second_thread_noticing_the_same_outage_logs_nothing(caplog):
    connectivity = Connectivity(backoff_max=1)
    with caplog.at_level(logging.WARNING, logger="balai.worker"):
        connectivity.lost(OperationalError("a"))
        connectivity.lost(OperationalError("b"))
        connectivity.restored()
        connectivity.restored()
    assert len(caplog.records) == 2 and connectivity.outages == 1
    assert connectivity.connected_for() >= 0


def test_giving_up_only_when_asked_to_stop(monkeypatch):
    monkeypatch.setattr(worker_module, "_reconnect", lambda: (_ for _ in ()).throw(OperationalError("down")))
    connectivity = Connectivity(backoff_max=1, sleep=lambda s: None)
    calls = iter([False, False, True])
    assert connectivity.wait_until_reachable(OperationalError("x"), stop=lambda: next(calls)) is False


@pytest.mark.django_db
def test_the_worker_settles_its_job_and_carries_on_after_a_lost_database(monkeypatch, settings):
    """django-tasks-db's loop raising a database error does not end the worker: it reconnects, settles
    what it was running and runs the loop again."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    outcomes = iter([OperationalError("terminating connection due to administrator command"), None])
    loops = []

    def library_loop(self):
        loops.append(1)
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome

    settled = []
    monkeypatch.setattr(Worker, "run", library_loop)
    monkeypatch.setattr(worker_module, "_reconnect", lambda: None)
    monkeypatch.setattr(worker_module.recovery, "recover_own_jobs", lambda **kw: settled.append(kw))
    w = ResilientWorker(connectivity=Connectivity(backoff_max=0.1), queue_names=["default"], interval=0,
                        batch=True, backend_name="default", startup_delay=False, max_tasks=None,
                        worker_id="w1", excluded_queue_names=[])
    w.run()
    assert len(loops) == 2
    assert [s["worker_id"] for s in settled] == ["w1", "w1"]  # at start, and after the outage
    assert "lost" in settled[-1]["reason"]
