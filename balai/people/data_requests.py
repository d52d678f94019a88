"""Data subject requests (UU 27/2022 on personal data protection, arts. 5–13 and docs/regulations.md §5).

The law gives 3×24 hours to answer access requests and restrictions. That is a period in HOURS, not
working days, so the deadline is `requested_at + 72 hours` (the working-day calendar does not apply).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.people.models import DataRequest, User

ANSWER_HOURS = 3 * 24  # UU 27/2022: "3 x 24 jam"


def data_request_due(requested_at: datetime) -> datetime:
    """The answer deadline of a request made at `requested_at`: 3×24 hours later."""
    return requested_at + timedelta(hours=ANSWER_HOURS)


@transaction.atomic
def data_request_create(
    *, user: User | None, kind: str, details: str = "", contact: str = "", channel: str = "web",
    completed: bool = False, at: datetime | None = None,
) -> DataRequest:
    """Record a data subject's request with its 3×24-hour deadline.

    `completed=True` records a request answered at once (e.g. the self-service download of one's data),
    so every request is on record, as the law asks, even the ones the system fulfils itself.
    """
    if kind not in DataRequest.Kind.values:
        raise ValueError(f"unknown data request kind {kind!r}")
    at = at or timezone.now()
    if user is not None and not contact:
        contact = user.email or user.phone or ""
    request = DataRequest.objects.create(
        user=user, kind=kind, details=(details or "").strip()[:5000], contact=contact[:254], channel=channel,
        requested_at=at, due_at=data_request_due(at),
        status=DataRequest.Status.COMPLETED if completed else DataRequest.Status.RECEIVED,
        completed_at=at if completed else None,
    )
    from balai.audit.services import audit_record

    audit_record(action=f"people.data_request.{kind}", actor=user, target=request,
                 data={"kind": kind, "due_at": request.due_at.isoformat(), "completed": completed})
    return request


ANSWER_FIELDS = ("status", "outcome", "completed_at")


@transaction.atomic
def data_request_answer(*, actor: User | None, data_request: DataRequest, via: str = "") -> bool:
    """Save what was done about a data subject's request (`ANSWER_FIELDS`; the rest is what the person asked
    and stays as recorded), by a superuser or a command: the requests of every agency's citizens belong to
    no agency (ADR 0015). A change is "people.data_request.answer" in the audit chain with the status and
    completion before and after; the outcome, free text that may quote the person, only as whether it
    changed. Returns whether anything changed."""
    from balai.agencies.services import check_agency_scope

    # A request of no agency (None): the one rule of every admin write passes a superuser or a command only.
    check_agency_scope(actor, [None], _("Only a superuser may answer data subject requests."))
    stored = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    changed = [name for name in ANSWER_FIELDS if getattr(stored, name) != getattr(data_request, name)]
    if not changed:
        return False
    data_request.save(update_fields=changed)

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    from balai.audit.services import audit_change

    audit_change(action="people.data_request.answer", actor=actor, via=via, target=data_request, data={
        "kind": data_request.kind, "status": {"before": stored.status, "after": data_request.status},
        "completed_at": {"before": when(stored.completed_at), "after": when(data_request.completed_at)},
        "outcome_changed": stored.outcome != data_request.outcome})
    return True


def open_data_requests():
    """Requests not yet answered, most urgent first (for the data protection officer)."""
    return DataRequest.objects.filter(
        status__in=[DataRequest.Status.RECEIVED, DataRequest.Status.IN_PROGRESS]
    ).order_by("due_at")
