"""The staff work queue, the one implementation the workspace, the staff API and the inspectorate use:
the officer's cases, filters, full-text search and keyset ("seek") pagination.

Search runs over the text the officer may read (`balai.cases.search.search_cases`): an anonymous case's
masked text, so a search cannot find a reporter who asked to stay anonymous.

Why keyset pagination: OFFSET n reads and throws away n rows and COUNT(*) reads them all; with a
million cases both grow with the table. Seeking on (due_at, id) reads one page from the queue index
whatever the page. The count shown is capped (`COUNT_CAP`): "more than 1,000" is all an officer needs.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from balai.cases.models import Case, ClockState, Confidentiality
from balai.cases.search import search_cases
from balai.cases.visibility import redact_for_case, staff_access_q
from balai.people.permissions import units_for

if TYPE_CHECKING:
    from balai.agencies.models import Government, Region, Unit
    from balai.catalog.models import ComplaintCategory, Service
    from balai.people.models import User
    from balai.people.permissions import UserLike

PAGE_SIZE = 25
COUNT_CAP = 1000
SORTS = {
    # name: (key field, descending)
    "due": ("due_at", False),
    "newest": ("submitted_at", True),
}
STATES = ("open", "closed", "all")
DEADLINES = ("due_soon", "breached", "on_time")


@dataclass(frozen=True)
class QueueFilters:
    """What the officer asked for (all optional); built by the queue form."""

    kind: str = ""
    status: str = ""
    state: str = "open"
    service: Service | None = None
    category: ComplaintCategory | None = None
    channel: str = ""
    region: Region | None = None  # a Region: cases in it or below it
    deadline: str = ""  # due_soon | breached | on_time
    accommodation: str = ""  # "any" or an Accommodation value
    confidentiality: str = ""
    triage: bool = False  # only the triage cases: SMS/WhatsApp messages without a known keyword (ADR 0042)
    search: str = ""
    sort: str = "due"


@dataclass
class QueuePage:
    cases: list[Case]
    next_cursor: str | None
    prev_cursor: str | None
    count: int  # capped at COUNT_CAP + 1 ("more than COUNT_CAP")
    count_capped: bool
    sort: str = "due"
    extra: dict = field(default_factory=dict)


def base_queue(*, user: UserLike, mine: bool = False) -> QuerySet[Case]:
    """Cases of the officer's units (with their sub-units), or assigned to the officer (`mine`).

    `mine` also goes through the visibility rule (`staff_access_q`): an assignment outlives the officer's
    membership (a revoked or moved role does not unassign), and an officer who left the agency must not
    keep reading its cases' titles from their list (docs/security.md, object-level access)."""
    qs = Case.objects.select_related("service", "complaint_category", "agency", "unit", "assignee")
    if mine:
        return qs.filter(staff_access_q(user), assignee=user)  # type: ignore[misc]  # an officer
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(unit__in=units_for(user))


def _accommodation(qs: QuerySet[Case], need: str) -> QuerySet[Case]:
    qs = qs.filter(has_accommodations=True)
    if need and need != "any":
        if connection.vendor == "postgresql":
            qs = qs.filter(accommodations__contains=[need])
        else:  # SQLite has no JSON containment: match the quoted value in the JSON text
            qs = qs.filter(accommodations__icontains=f'"{need}"')
    return qs


def apply_filters(qs: QuerySet[Case], f: QueueFilters, *, now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    if f.state == "open":
        qs = qs.filter(is_open=True)
    elif f.state == "closed":
        qs = qs.filter(is_open=False)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.service is not None:
        qs = qs.filter(service=f.service)
    if f.category is not None:
        qs = qs.filter(complaint_category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.region is not None:
        qs = qs.filter(Q(region=f.region) | Q(region__code__startswith=f.region.code + "."))
    if f.deadline == "due_soon":
        qs = qs.filter(is_open=True, due_soon=True, breached_at__isnull=True)
    elif f.deadline == "breached":
        qs = qs.filter(is_open=True).filter(Q(breached_at__isnull=False) | Q(clock_state=ClockState.RUNNING, due_at__lt=now))
    elif f.deadline == "on_time":
        qs = qs.filter(breached_at__isnull=True).exclude(clock_state=ClockState.RUNNING, due_at__lt=now)
    if f.accommodation:
        qs = _accommodation(qs, f.accommodation)
    if f.confidentiality:
        qs = qs.filter(confidentiality=f.confidentiality)
    if f.triage:  # `balai.channels.services.reports._triage` marks the case with `extra["triage"]`
        qs = qs.filter(extra__has_key="triage")
    if f.search:
        qs = search_cases(qs, f.search)  # over the text this officer may read (anonymous: masked)
    return qs


# --- keyset pagination ----------------------------------------------------------------------------


def encode_cursor(value: datetime | None, pk: int) -> str:
    raw = f"{value.isoformat() if value else ''}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime | None, int] | None:
    """(key value, id) or None for a malformed cursor (then the first page is shown)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        value = parse_datetime(stamp) if stamp else None
        if stamp and value is None:
            return None
        return value, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def _after(key: str, desc: bool, value: datetime | None, pk: int) -> Q:
    """Rows strictly after (value, pk) in the order key ASC/DESC NULLS LAST, id ASC/DESC."""
    op = "lt" if desc else "gt"
    if value is None:  # in the NULL tail: only the id decides
        return Q(**{f"{key}__isnull": True, f"id__{op}": pk})
    return (Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": pk})
            | Q(**{f"{key}__isnull": True}))


def _before(key: str, desc: bool, value: datetime | None, pk: int) -> Q:
    """Rows strictly before (value, pk) in the same order."""
    op = "gt" if desc else "lt"
    if value is None:
        return Q(**{f"{key}__isnull": False}) | Q(**{f"{key}__isnull": True, f"id__{op}": pk})
    return Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"id__{op}": pk})


def _ordering(key: str, desc: bool, *, reverse: bool = False) -> list[OrderBy]:
    """key ASC NULLS LAST, id ASC (or the DESC sort); `reverse` walks the same order backwards."""
    if desc != reverse:
        return [F(key).desc(nulls_last=True) if not reverse else F(key).desc(nulls_first=True), F("id").desc()]
    return [F(key).asc(nulls_last=True) if not reverse else F(key).asc(nulls_first=True), F("id").asc()]


def capped_count(qs: QuerySet[Case], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The number of rows, counting at most cap + 1 of them."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def queue_page(qs: QuerySet[Case], *, sort: str = "due", after: str = "", before: str = "",
               size: int = PAGE_SIZE, with_count: bool = True) -> QueuePage:
    """One page of `qs` in `sort` order, after or before a cursor from a previous page."""
    sort = sort if sort in SORTS else "due"
    key, desc = SORTS[sort]
    going_back = False
    page_qs = qs
    cursor = decode_cursor(after) if after else None
    if cursor is not None:
        page_qs = page_qs.filter(_after(key, desc, *cursor))
    elif before and (back := decode_cursor(before)) is not None:
        page_qs = page_qs.filter(_before(key, desc, *back))
        going_back = True
    rows = list(page_qs.order_by(*_ordering(key, desc, reverse=going_back))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if going_back:
        rows.reverse()
    has_prev = cursor is not None or (going_back and more)
    has_next = more if not going_back else True
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    count, capped = capped_count(qs) if with_count else (0, False)
    return QueuePage(
        cases=rows,
        next_cursor=encode_cursor(getattr(last, key), last.pk) if (last is not None and has_next) else None,
        prev_cursor=encode_cursor(getattr(first, key), first.pk) if (first is not None and has_prev) else None,
        count=count,
        count_capped=capped,
        sort=sort,
    )


def queue_title(case: Case) -> str:
    """The title as a queue row may show it: anonymous cases with identifying patterns masked."""
    return redact_for_case(case.title, case=case) if case.confidentiality == Confidentiality.ANONYMOUS else case.title


def open_queue_head(*, user: UserLike, limit: int) -> list[Case]:
    """The first `limit` open cases of the officer's units, soonest deadline first (the bulk page)."""
    return list(base_queue(user=user).filter(is_open=True).order_by("due_at", "id")[:limit])


def escalated_to_inspectorate(*, government: Government | int | None = None) -> QuerySet[Case]:
    """Open cases escalated to level 2 (the inspectorate's queue), most urgent first."""
    qs = Case.objects.select_related("service", "complaint_category", "agency", "unit", "assignee").filter(
        is_open=True, escalation_level__gte=2)
    if government is not None:
        qs = qs.filter(government=government)
    return qs.order_by("breached_at", "due_at", "id")


# --- late and nearly due cases (the daily digest) -------------------------------------------------------


def late_q(now: datetime) -> Q:
    """Past the deadline: marked breached by the sweep, or a running clock past it the sweep has not seen."""
    return Q(breached_at__isnull=False) | Q(clock_state=ClockState.RUNNING, due_at__lte=now)


def due_soon_q(now: datetime) -> Q:
    """Due within one working day (the sweep's `due_soon` mark), deadline not yet passed."""
    return Q(due_soon=True, breached_at__isnull=True, clock_state=ClockState.RUNNING, due_at__gt=now)


def late_or_due_assigned_to(user: User, *, now: datetime) -> QuerySet[Case]:
    """`user`'s own open cases that are late or due within one working day, of those they may still read as
    staff (`staff_access_q`: an assignment outlives a revoked or moved role, as in `base_queue`)."""
    return Case.objects.filter(staff_access_q(user), is_open=True, assignee=user).filter(late_q(now) | due_soon_q(now))


def late_escalated_or_due_in(units: QuerySet[Unit], *, now: datetime) -> QuerySet[Case]:
    """Open cases of `units` that are late, escalated or due within one working day."""
    return (Case.objects.filter(is_open=True, unit__in=units)
            .filter(late_q(now) | Q(escalation_level__gte=1) | due_soon_q(now)))


def escalated_in_governments(governments: QuerySet[Unit, dict[str, int]]) -> QuerySet[Case]:
    """Open cases escalated to the inspectorate (level 2) in `governments` (ids or a subquery of them)."""
    return Case.objects.filter(is_open=True, escalation_level__gte=2, government_id__in=governments)


def assignees_of_late_or_due(*, now: datetime) -> QuerySet[Case, Mapping[str, object]]:
    """`assignee_id` of every open case that is late or due within one working day (a subquery)."""
    return (Case.objects.filter(is_open=True, assignee__isnull=False).filter(late_q(now) | due_soon_q(now))
            .values("assignee_id"))


def ids_by_deadline(qs: QuerySet[Case]) -> list[int]:
    """The ids of `qs`, soonest deadline first."""
    return list(qs.order_by("due_at", "id").values_list("pk", flat=True))


def cases_for_listing(ids: list[int]) -> list[Case]:
    """The cases `ids` in that order, with what a listing shows (agency, unit, service, category)."""
    found = {c.pk: c for c in Case.objects.filter(pk__in=ids)
             .select_related("agency", "unit", "service", "complaint_category")}
    return [found[pk] for pk in ids if pk in found]
