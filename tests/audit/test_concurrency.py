"""Two real connections appending at once still give one valid chain (PostgreSQL advisory lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from balai.audit.models import AuditRecord
from balai.audit.services import audit_record, verify_chain

PER_THREAD = 30


def append_many(name: str, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for i in range(PER_THREAD):
            with transaction.atomic():
                audit_record(action="case.submit", target_type="cases.case", target_id=f"{name}-{i}")
    except BaseException as exc:  # surfaced to the main thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_do_not_fork_the_chain():
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=append_many, args=(name, barrier, errors)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditRecord.objects.count() == 2 * PER_THREAD
    # no two records share a predecessor, and the chain verifies end to end
    prevs = list(AuditRecord.objects.values_list("prev_hash", flat=True))
    assert len(set(prevs)) == len(prevs)
    report = verify_chain()
    assert report.ok and report.checked == 2 * PER_THREAD


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_append_inside_an_outer_transaction_waits_for_the_other_writer():
    """While one transaction holds the chain, another append waits, then links after it."""
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                audit_record(action="case.assign", target_type="cases.case", target_id="1")
                holding.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def follower() -> None:
        try:
            holding.wait(10)
            with transaction.atomic():
                audit_record(action="case.assign", target_type="cases.case", target_id="2")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    second = threading.Thread(target=follower)
    first.start()
    second.start()
    holding.wait(10)
    second.join(0.5)
    blocked = second.is_alive()
    release.set()
    first.join()
    second.join()
    assert not errors
    assert blocked, "the second append must wait for the chain lock"
    one, two = AuditRecord.objects.order_by("id")
    assert (one.target_id, two.target_id) == ("1", "2")
    assert two.prev_hash == one.hash
