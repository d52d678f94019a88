"""Two officers act on the same case at the same moment, on two real PostgreSQL connections."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from balai.cases.commands import CaseCommand
from balai.cases.errors import ConflictError, TransitionNotAllowed
from balai.cases.models import Case, Event
from balai.cases.services import case_transition


def _race(case_pk: int, calls: list[dict], slow_inside: float, monkeypatch) -> list[object]:
    """Run the calls in threads that start together; each holds its transaction open a little."""
    import balai.cases.messages

    real = balai.cases.messages.queue_case_message

    def slow(**kwargs):
        time.sleep(slow_inside)  # keep the row lock so the other thread must meet it
        return real(**kwargs)

    monkeypatch.setattr(balai.cases.messages, "queue_case_message", slow)
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i: int, kwargs: dict) -> None:
        try:
            case = Case.objects.get(pk=case_pk)
            barrier.wait()
            results[i] = case_transition(case, CaseCommand(**kwargs))
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, kw)) for i, kw in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_exactly_one_wins(world, submit, monkeypatch):
    case = submit("service_request")
    results = _race(case.pk, [
        {"action": "verify", "actor": world.staff["verifier"], "expected_version": 1},
        {"action": "reject", "actor": world.staff["head"], "reason": "Berkas palsu", "expected_version": 1},
    ], 0.5, monkeypatch)
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ConflictError)
    case.refresh_from_db()
    assert case.version == 2 and case.status in ("verified", "rejected")
    assert Event.objects.filter(case=case).exclude(action="submit").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_a_version_the_second_sees_the_new_state(world, submit, monkeypatch):
    case = submit("service_request")
    results = _race(case.pk, [
        {"action": "verify", "actor": world.staff["verifier"]},
        {"action": "verify", "actor": world.staff["head"]},
    ], 0.3, monkeypatch)
    assert sum(isinstance(r, Case) for r in results) == 1
    assert sum(isinstance(r, TransitionNotAllowed) for r in results) == 1
    assert Event.objects.filter(case=case, action="verify").count() == 1
