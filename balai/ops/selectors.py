"""Reads for the operators' view of the system (metrics, audit verification): one or two statements each,
timed at a million rows in bench/RESULTS.md ("/metrics")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

# The outbox states an operator watches: waiting (queued, being sent, retrying) and given up.
OUTBOX_STATUSES = ("queued", "sending", "failed_temporary", "failed_permanent")
AUDIT_VERIFIED = "audit.chain_verified"  # action of the verification record in the chain itself


@dataclass(frozen=True)
class QueueState:
    queue: str
    waiting: int
    oldest_waiting_seconds: float  # 0 when nothing waits


def task_queues() -> list[QueueState]:
    """Jobs ready to run (django-tasks-db's READY rows whose time has come), per queue."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    rows = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"), oldest=Min("enqueued_at"))
    return [QueueState(queue=row["queue_name"], waiting=row["n"],
                       oldest_waiting_seconds=max(0.0, (now - row["oldest"]).total_seconds()))
            for row in rows.order_by("queue_name")]


def running_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.running().count()


def outbox_counts() -> dict[tuple[str, str], int]:
    """(channel, status) → number of messages, for the statuses in OUTBOX_STATUSES (index `message_due`)."""
    from balai.notify.models import Message, MessageChannel

    counts = {(channel, status): 0 for channel in MessageChannel.values for status in OUTBOX_STATUSES}
    rows = (Message.objects.filter(status__in=OUTBOX_STATUSES).values("channel", "status")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        counts[(row["channel"], row["status"])] = row["n"]
    return counts


@dataclass(frozen=True)
class AgencyDeadlines:
    agency: str  # slug: stable and safe as a label
    due_soon: int
    breached: int


def deadlines_by_agency() -> list[AgencyDeadlines]:
    """Open cases due within the warning window (`due_soon`, set by the deadline sweep) and open cases
    past their deadline (`breached_at`), per agency; every agency appears, with zeros."""
    from balai.agencies.models import Agency
    from balai.cases.models import Case

    rows = (Case.objects.filter(is_open=True).filter(Q(due_soon=True) | Q(breached_at__isnull=False))
            .values("agency_id")
            .annotate(due_soon=Count("id", filter=Q(due_soon=True)),
                      breached=Count("id", filter=Q(breached_at__isnull=False)))
            .order_by())
    by_agency = {row["agency_id"]: row for row in rows}
    result = []
    for agency_id, slug in Agency.objects.order_by("slug").values_list("id", "slug"):
        row = by_agency.get(agency_id, {})
        result.append(AgencyDeadlines(agency=slug, due_soon=row.get("due_soon", 0),
                                      breached=row.get("breached", 0)))
    return result


@dataclass(frozen=True)
class RollupLag:
    events_behind: int  # newest event id minus the cursor (an upper bound: ids may have gaps)
    seconds_behind: float  # age of the oldest event the roll-ups have not read; 0 when up to date


def rollup_lag() -> RollupLag:
    from balai.cases.models import Event
    from balai.transparency.models import RollupCursor

    cursor = (RollupCursor.objects.order_by("id").values_list("last_event_id", flat=True).first()) or 0
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first_unread = Event.objects.filter(id__gt=cursor).order_by("id").values_list("at", flat=True).first()
    seconds = (timezone.now() - first_unread).total_seconds() if first_unread else 0.0
    return RollupLag(events_behind=max(0, newest - cursor), seconds_behind=max(0.0, seconds))


@dataclass(frozen=True)
class Verification:
    at: datetime
    ok: bool
    checked: int


def last_audit_verification() -> Verification | None:
    """The newest verification recorded in the chain by `balai.ops.services.verify_audit_chain`."""
    from balai.audit.models import AuditRecord

    row = (AuditRecord.objects.filter(action=AUDIT_VERIFIED).order_by("-id")
           .values_list("at", "data").first())
    if row is None:
        return None
    at, data = row
    return Verification(at=at, ok=bool(data.get("ok")), checked=int(data.get("checked") or 0))


def audit_chain_length() -> int:
    from balai.audit.selectors import chain_head

    return chain_head()[0]
