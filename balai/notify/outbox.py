"""The transactional outbox (ADR 0008).

`queue_message` writes a row in the caller's transaction (about any subject: the outbox knows nothing of
cases, ADR 0027; `balai.cases.messages` says what a case's citizen is told), with the delivery
task when the task queue lives in the same database (else the task is enqueued after commit); the
periodic `deliver_due_messages` picks up retries and anything missed.

Delivery is at-least-once towards the gateway and exactly-once towards the citizen: a row is marked
`sending` and committed before the gateway is called with the row's idempotency key as the client
reference; a row found stuck in `sending` (the worker died) is resent with the SAME key, which the
gateway deduplicates.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from balai.memo import Memo
from balai.notify.models import Message, MessageChannel, MessageStatus, RecipientHealth
from balai.notify.rendering import render_message
from balai.rows import insert_rows

if TYPE_CHECKING:
    from django_tasks.base import Task

    from balai.notify.gateways.base import GatewayResult
    from balai.people.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxPolicy:
    max_attempts: int = 6
    backoff_base_seconds: float = 30.0
    backoff_cap_seconds: float = 3600.0
    sending_timeout_seconds: float = 300.0  # after this a `sending` row is presumed crashed and resent
    failing_threshold: int = 3  # permanent failures in a row before a recipient is marked failing
    batch_size: int = 50


def policy() -> OutboxPolicy:
    """`settings.BALAI_NOTIFY` (optional dict with the field names above in upper case)."""
    conf = getattr(settings, "BALAI_NOTIFY", {}) or {}
    return OutboxPolicy(**{f: conf[f.upper()] for f in OutboxPolicy.__dataclass_fields__ if f.upper() in conf})


def backoff_delay(attempt: int, *, pol: OutboxPolicy | None = None, rng: random.Random | None = None) -> timedelta:
    """Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter".

    The delay lies in [d/2, d] where d = min(cap, base * 2^(attempt-1)), so retries of many messages
    failing together (a gateway outage) spread out instead of hammering the gateway in lock step.
    """
    pol = pol or policy()
    d = min(pol.backoff_cap_seconds, pol.backoff_base_seconds * (2 ** max(0, attempt - 1)))
    r = (rng or random).random()
    return timedelta(seconds=d / 2 + r * d / 2)


# --- queueing -----------------------------------------------------------------------------------------

def _enqueue_in_transaction(task: Task) -> bool:
    """Whether the delivery task can be written in the caller's transaction instead of after it.

    True when `task` goes to django-tasks' database backend on the same database as the outbox: the
    task row then commits (or rolls back) with the message row, and the worker cannot see it before
    the commit. That saves the second commit an `on_commit` enqueue costs (ADR 0008, "One commit").
    Any other backend (a broker, the immediate backend) is enqueued after commit as before.
    """
    from django.db import router
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):  # also its subclasses (balai.ops.jobs)
        return False

    return router.db_for_write(DBTaskResult) == router.db_for_write(Message)


# The job that delivers one message (`balai.notify.tasks.deliver_message`), registered by the app's `ready()`:
# the tasks module runs `deliver` of this one, so this one does not import it back (no import cycle).
_delivery_task: list[Task] = []


def register_delivery_task(task: Task) -> None:
    _delivery_task[:] = [task]


def _enqueue(message_ids: list[int]) -> None:
    deliver_message = _delivery_task[0]
    if _enqueue_in_transaction(deliver_message):
        # Inside the transaction an error must propagate: swallowing a database error here would leave
        # the transaction unusable. The message and its task are written together or not at all.
        enqueue_many = getattr(deliver_message.get_backend(), "enqueue_many", None)
        if enqueue_many is not None:  # one INSERT for all the tasks (bulk: no per-row save machinery)
            enqueue_many(deliver_message, [((mid,), {}) for mid in message_ids])
            return
        for mid in message_ids:
            deliver_message.enqueue(mid)
        return

    def enqueue() -> None:
        for mid in message_ids:
            try:
                deliver_message.enqueue(mid)
            except Exception:  # the periodic sweep delivers it anyway
                logger.exception("could not enqueue delivery of message %s", mid)

    transaction.on_commit(enqueue)


def _failing_recipients() -> frozenset[str]:
    return frozenset(RecipientHealth.objects.filter(contact_failing=True).values_list("recipient", flat=True))


# Every message queued asks whether its recipient keeps failing; the answer is rarely yes. The set of
# failing recipients is remembered for a few seconds (balai/memo.py) and only a "yes" is confirmed
# against the table, so a stale memo can never suppress a message to a recipient staff just cleared.
_failing = Memo("failing-recipients", watch=("notify.RecipientHealth",))


def _initial_status(*, recipient: str, event: str) -> str:
    # A recipient that keeps failing gets no more paid messages until staff clear the flag or a
    # delivery succeeds; one-time codes still go out because the citizen is asking for them right now.
    # A recipient the worker marked failing in the last seconds may still get one message (ADR 0008).
    if event == "otp" or recipient not in _failing.get("all", _failing_recipients):
        return MessageStatus.QUEUED
    if RecipientHealth.objects.filter(recipient=recipient, contact_failing=True).exists():
        return MessageStatus.SUPPRESSED
    return MessageStatus.QUEUED


def queue_message(
    *, channel: str, recipient: str, language: str, event: str, context: Mapping[str, object] | None = None,
    body: str | None = None, subject: str = "", about: models.Model | None = None, reference: str = "",
    idempotency_key: uuid.UUID | None = None, template_version: str = "", suppressible: bool = True,
    variant: str = "",
) -> Message:
    """Write one message to `recipient` in the CURRENT transaction; it is delivered once that commits.

    The text is either rendered now from the template of `event` (`balai.notify.rendering`) with `context`,
    so the outbox keeps exactly what was sent, or given as `body` (and `subject`), a free text composed by
    the caller. `about` is what the message is about (any model instance, or none) and `reference` its
    public code, quoted by replies (ADR 0027): the outbox stores both and reads neither. A recipient that
    keeps failing gets the message written as `suppressed`, unless `suppressible` is false (the citizen has
    just written from that address) or it is a one-time code. `idempotency_key` is the client reference
    sent to the gateway (a new one by default). `variant` picks a shipped text of that variant where
    one exists (the case engine passes the kind of case).
    """
    message = prepare_message(
        channel=channel, recipient=recipient, language=language, event=event, context=context, body=body,
        subject=subject, about=about, reference=reference, idempotency_key=idempotency_key,
        template_version=template_version, suppressible=suppressible, variant=variant)
    message.save(force_insert=True)
    if message.status == MessageStatus.QUEUED:
        _enqueue([message.pk])
    return message


def prepare_message(
    *, channel: str, recipient: str, language: str, event: str, context: Mapping[str, object] | None = None,
    body: str | None = None, subject: str = "", about: models.Model | None = None, reference: str = "",
    idempotency_key: uuid.UUID | None = None, template_version: str = "", suppressible: bool = True,
    variant: str = "",
) -> Message:
    """The message `queue_message` writes, rendered but not saved (for `queue_messages`)."""
    if channel not in MessageChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not recipient:
        raise ValueError("recipient is required")
    language = language if language in ("id", "en") else "id"
    if body is None:
        subject, body, template_version = render_message(
            event=event, channel=channel, language=language,
            context={k: str(v) for k, v in (context or {}).items() if v is not None}, variant=variant)
    status = _initial_status(recipient=recipient, event=event) if suppressible else MessageStatus.QUEUED
    message = Message(
        event=event, channel=channel, recipient=recipient, language=language, subject=subject[:200], body=body,
        template_version=template_version, status=status, reference=reference[:40],
        last_error="recipient keeps failing" if status == MessageStatus.SUPPRESSED else "",
    )
    if about is not None:
        message.about = about
    if idempotency_key is not None:
        message.idempotency_key = idempotency_key
    return message


def queue_messages(messages: list[Message]) -> list[Message]:
    """Write messages made by `prepare_message` in the CURRENT transaction, with one INSERT for the
    messages and one for their delivery tasks (a batch of submissions registered together)."""
    if not messages:
        return messages
    insert_rows(messages)
    if any(m.pk is None for m in messages):  # pragma: no cover - every supported database returns ids
        raise RuntimeError("the outbox needs the ids of the messages it wrote")
    queued = [m.pk for m in messages if m.status == MessageStatus.QUEUED]
    if queued:
        _enqueue(queued)
    return messages


def queue_direct_message(*, channel: str, recipient: str, language: str, event: str,
                         context: Mapping[str, object]) -> Message:
    """A templated message about nothing in particular (a one-time code, a staff digest): `queue_message`
    without a subject."""
    return queue_message(channel=channel, recipient=recipient, language=language, event=event, context=context)


# --- delivery -----------------------------------------------------------------------------------------

def _due_filter(now: datetime) -> Q:
    return Q(next_attempt_at__lte=now) & Q(
        status__in=[MessageStatus.QUEUED, MessageStatus.FAILED_TEMPORARY, MessageStatus.SENDING]
    )


def claim_messages(*, ids: list[int] | None = None, limit: int | None = None,
                   now: datetime | None = None) -> list[Message]:
    """Mark due rows `sending` and COMMIT, so a crash after the gateway call can be detected.

    On PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` lets workers claim disjoint rows; on SQLite the
    IMMEDIATE transaction serialises writers. The conditional UPDATE is a compare-and-set on both.
    """
    pol = policy()
    now = now or timezone.now()
    claimed: list[int] = []
    with transaction.atomic():
        qs = Message.objects.filter(_due_filter(now)).order_by("next_attempt_at", "id")
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        rows = list(qs.values_list("pk", "status", "attempts")[: limit or pol.batch_size])
        lease_until = now + timedelta(seconds=pol.sending_timeout_seconds)
        for pk, status, attempts in rows:
            updated = Message.objects.filter(pk=pk, status=status, attempts=attempts).update(
                status=MessageStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=lease_until
            )
            if updated:
                claimed.append(pk)
    return list(Message.objects.filter(pk__in=claimed).order_by("id")) if claimed else []


def deliver(*, message_id: int | None = None, limit: int | None = None, now: datetime | None = None) -> int:
    """Send one message (by id) or every due message; return how many were handed to a gateway."""
    messages = claim_messages(ids=[message_id] if message_id is not None else None, limit=limit, now=now)
    for message in messages:
        _send_claimed(message)
    return len(messages)


def _send_claimed(message: Message) -> None:
    from balai.notify.gateways import get_gateway
    from balai.notify.gateways.base import GatewayResult

    try:
        result = get_gateway(message.channel).send(message)
    except Exception as exc:  # a bug or an unexpected error in a gateway: retry rather than lose the message
        logger.exception("gateway error for message %s", message.pk)
        result = GatewayResult(accepted=False, error=f"{type(exc).__name__}: {exc}")
    record_result(message=message, result=result)


def record_result(*, message: Message, result: GatewayResult) -> Message:
    """Apply a gateway's answer to a claimed message."""
    pol = policy()
    now = timezone.now()
    with transaction.atomic():
        if result.accepted:
            fields = {"status": MessageStatus.SENT, "sent_at": now, "last_error": "",
                      "gateway_message_id": result.gateway_message_id or ""}
            if result.delivered:
                fields.update(status=MessageStatus.DELIVERED, delivered_at=now)
            Message.objects.filter(pk=message.pk).update(**fields)
            if result.delivered:
                _record_success(message.recipient, now)
        elif result.permanent_error or message.attempts >= pol.max_attempts:
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED_PERMANENT, last_error=(result.error or "")[:500]
            )
            if result.permanent_error and result.recipient_fault:
                _record_failure(message.recipient, message.channel, result.error or "", now)
        else:
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED_TEMPORARY, last_error=(result.error or "")[:500],
                next_attempt_at=now + backoff_delay(message.attempts, pol=pol),
            )
    message.refresh_from_db()
    return message


def _record_success(recipient: str, now: datetime) -> None:
    RecipientHealth.objects.filter(recipient=recipient).update(
        consecutive_failures=0, contact_failing=False, last_success_at=now
    )


def _record_failure(recipient: str, channel: str, error: str, now: datetime) -> None:
    """Count a permanent failure; after `failing_threshold` in a row the recipient is marked failing."""
    pol = policy()
    health, _created = RecipientHealth.objects.select_for_update().get_or_create(recipient=recipient)
    health.consecutive_failures += 1
    health.last_error = error[:500]
    health.last_failure_at = now
    if health.consecutive_failures >= pol.failing_threshold and not health.contact_failing:
        health.contact_failing = True
        if channel in (MessageChannel.SMS, MessageChannel.WHATSAPP):
            from django.contrib.auth import get_user_model

            get_user_model().objects.filter(phone=recipient).update(phone_failing=True)
    health.save()


def record_receipt(*, gateway_message_id: str, status: str, at: datetime | None = None,
                   error: str = "") -> Message | None:
    """Apply a delivery receipt ("delivered" or "failed"); idempotent, a repeated receipt changes nothing.

    Returns the message, or None when the id is unknown.
    """
    if status not in ("delivered", "failed"):
        raise ValueError(f"unknown receipt status {status!r}")
    at = at or timezone.now()
    with transaction.atomic():
        message = (Message.objects.select_for_update().filter(gateway_message_id=gateway_message_id)
                   .order_by("id").first()) if gateway_message_id else None
        if message is None:
            return None
        if message.status in (MessageStatus.DELIVERED, MessageStatus.FAILED_PERMANENT):
            return message  # already final: a replayed or late receipt does not change the record
        if status == "delivered":
            message.status = MessageStatus.DELIVERED
            message.delivered_at = at
            message.save(update_fields=["status", "delivered_at"])
            _record_success(message.recipient, at)
        else:
            message.status = MessageStatus.FAILED_PERMANENT
            message.last_error = (error or "delivery failed (receipt)")[:500]
            message.save(update_fields=["status", "last_error"])
            _record_failure(message.recipient, message.channel, message.last_error, at)
    return message


def clear_recipient_failing(*, recipient: str, actor: User | None = None) -> None:
    """Staff decided to try a failing recipient again (e.g. the citizen confirmed the number); audited,
    the recipient named by its keyed reference (no contact in the chain)."""
    from balai.audit.services import audit_change, contact_reference

    with transaction.atomic():
        RecipientHealth.objects.filter(recipient=recipient).update(contact_failing=False, consecutive_failures=0)
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(phone=recipient).update(phone_failing=False)
        # The same reference the chain gives a contact anywhere (`audit.services._pseudonymous`).
        reference = (contact_reference("email", recipient) if "@" in recipient
                     else contact_reference("phone", "".join(ch for ch in recipient if ch.isdigit())))
        audit_change(action="notify.recipient.retry", actor=actor, via="admin" if actor is not None else "",
                     data={"recipient": reference})
