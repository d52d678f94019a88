"""Two workers on real PostgreSQL connections never send the same row (SELECT ... FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from balai.notify.models import Message, MessageStatus
from balai.notify.outbox import deliver, queue_direct_message

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_do_not_double_send(fake_gateway):
    assert connection.vendor == "postgresql"
    for i in range(60):
        queue_direct_message(channel="sms", recipient=f"+62812000{i:05d}", language="id", event="otp",
                             context={"otp": str(i)})
    barrier = threading.Barrier(2)
    handled: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            total = 0
            while True:
                n = deliver(limit=5)  # small batches so the two workers interleave
                if n == 0:
                    break
                total += n
            handled.append(total)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(handled) == 60
    assert Message.objects.filter(status=MessageStatus.SENT, attempts=1).count() == 60
    refs = [r["payload"]["reference"] for r in fake_gateway.requests]
    assert len(refs) == 60 and len(set(refs)) == 60  # each row went to the gateway exactly once
