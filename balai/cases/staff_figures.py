"""Live figures of the staff role pages (head of unit, inspectorate): straight from the cases of the
viewer's units, not the public roll-ups, because a head acts on today's workload. Working days only through
`balai.cases.clock` (`balai.worktime`)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from balai.cases.clock import working_days_between
from balai.cases.models import Case
from balai.cases.queue import escalated_to_inspectorate
from balai.people.permissions import units_for

if TYPE_CHECKING:
    from balai.agencies.models import Unit
    from balai.people.permissions import UserLike
    from balai.survey.ikm import IkmResult


@dataclass
class Workload:
    officer_id: int | None
    name: str
    open_cases: int
    breached: int


@dataclass
class HeadStats:
    units: list[Unit]
    workload: list[Workload]
    unassigned: int
    open_total: int
    due_soon: list[Case]
    due_soon_count: int
    breached: list[Case]
    breached_count: int
    closed_this_month: int
    median_days_this_month: Decimal | None
    ikm: IkmResult | None = None  # balai.survey.ikm.IkmResult or None (no responses / not available)
    ikm_available: bool = True
    ikm_period_start: datetime | None = None
    extra: dict = field(default_factory=dict)


def month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"))


def head_stats(*, user: UserLike, now: datetime | None = None, list_size: int = 10) -> HeadStats:
    """The head's units (with child units): workload per officer, due soon, breached, median working days
    to close this month. The satisfaction index of the year (`ikm`) is the survey's to add
    (`balai.survey.selectors.unit_ikm`): the workspace's `office.selectors.head_stats` joins the two."""
    now = now or timezone.now()
    units = list(units_for(user, roles=["head"]))
    open_cases = Case.objects.filter(unit__in=units, is_open=True)
    rows = (open_cases.filter(assignee__isnull=False)
            .values("assignee_id", "assignee__full_name", "assignee__email")
            .annotate(n=Count("id"), late=Count("id", filter=Q(breached_at__isnull=False)))
            .order_by("-n", "assignee__full_name"))
    workload = [Workload(r["assignee_id"], r["assignee__full_name"] or r["assignee__email"] or "—", r["n"], r["late"])
                for r in rows]
    counts = open_cases.aggregate(total=Count("id"), unassigned=Count("id", filter=Q(assignee__isnull=True)),
                                  soon=Count("id", filter=Q(due_soon=True, breached_at__isnull=True)),
                                  late=Count("id", filter=Q(breached_at__isnull=False)))
    listing = open_cases.select_related("service", "complaint_category", "assignee")
    due_soon = list(listing.filter(due_soon=True, breached_at__isnull=True).order_by("due_at", "id")[:list_size])
    breached = list(listing.filter(breached_at__isnull=False).order_by("breached_at", "id")[:list_size])
    start = month_start(now)
    closed = Case.objects.filter(unit__in=units, is_open=False, closed_at__gte=start, closed_at__lte=now)
    days = []
    for c in closed.only("submitted_at", "closed_at", "elapsed_working_days", "government_id"):
        if c.elapsed_working_days is not None:
            days.append(int(c.elapsed_working_days))
        elif c.closed_at:
            days.append(working_days_between(c.submitted_at, c.closed_at, government_id=c.government_id))
    return HeadStats(
        units=units, workload=workload, unassigned=counts["unassigned"], open_total=counts["total"],
        due_soon=due_soon, due_soon_count=counts["soon"], breached=breached, breached_count=counts["late"],
        closed_this_month=len(days), median_days_this_month=_median(days), ikm_period_start=start.replace(month=1),
    )


def inspectorate_cases(*, user: UserLike, agency_id: int | None = None, limit: int = 50) -> tuple[list[Case], int]:
    """Cases escalated to the inspectorate in the governments where `user` is an inspector."""
    govs = set(units_for(user, roles=["inspector"]).values_list("agency__government_id", flat=True))
    qs = escalated_to_inspectorate()
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(government_id__in=govs)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    total = qs.count()
    return list(qs.select_related("agency", "unit", "service", "complaint_category")[:limit]), total


def closed_cases_of_units(*, units: list[Unit], since: datetime) -> int:
    """How many cases of `units` closed since `since` (the IKM's population)."""
    return Case.objects.filter(unit__in=units, is_open=False, closed_at__gte=since).count()
