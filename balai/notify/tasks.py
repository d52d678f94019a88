"""Background jobs of the outbox (run by `manage.py run_worker`)."""

from __future__ import annotations

from django_tasks import task

from balai.notify.outbox import deliver


@task()
def deliver_message(message_id: int) -> int:
    """Deliver one message right after the transaction that queued it committed."""
    return deliver(message_id=message_id)


@task()
def deliver_due_messages() -> int:
    """Periodic sweep: retries whose time has come, rows stuck in `sending`, anything not enqueued."""
    total = 0
    while True:
        sent = deliver()
        total += sent
        if sent == 0 or total >= 1000:  # bounded so one run never hogs the worker
            return total


@task()
def forget_old_message_contents() -> int:
    """Blank who was sent what after the retention period (balai.notify.retention)."""
    from balai.notify.retention import forget_old_contents

    return forget_old_contents()
