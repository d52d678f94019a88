"""Reads of the workspace's own pages: choices of the case page, canned answers (the office's own model),
the clock summary. The staff queue itself is `balai.cases.queue`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from balai.cases import clock, staff_figures
from balai.cases.models import Case, ClockState
from balai.cases.selectors import disposal_agencies, disposal_units
from balai.cases.visibility import case_view
from balai.notify.selectors import recipient_is_failing
from balai.office.models import CannedAnswer, DigestPreference
from balai.people import selectors as people_selectors
from balai.survey.selectors import unit_ikm


def assignee_choices(case: Case) -> list[tuple[int, str]]:
    """Officers of the case's unit (active), for the assign form."""
    return people_selectors.assignee_choices(unit_id=case.unit_id, agency_id=case.agency_id)


def target_choices(case: Case) -> list[tuple[str, list[tuple[str, str]]]]:
    """Agencies of the case's government with their units, grouped, for the forward form."""
    units: dict[int, list[Any]] = {}
    for unit in sorted(disposal_units(case), key=lambda u: (u.name_id, u.pk)):
        units.setdefault(unit.agency_id, []).append(unit)
    groups = []
    for agency in sorted(disposal_agencies(case), key=lambda a: (a.short_name, a.pk)):
        options = [(f"a:{agency.pk}", _("%(agency)s (its service desk)") % {"agency": agency.short_name})]
        options += [(f"u:{u.pk}", f"{agency.short_name} · {u.name}") for u in units.get(agency.pk, [])
                    if u.pk != case.unit_id]
        groups.append((agency.short_name, options))
    return groups


def canned_answers_of(agency: Any) -> list[CannedAnswer]:
    """All canned answers of `agency`, those in use first, by title (its administration page)."""
    return list(CannedAnswer.objects.filter(agency=agency).order_by("-is_active", "title"))


def canned_answers_for(case: Case) -> list[Any]:
    return list(CannedAnswer.objects.filter(agency=case.agency_id, is_active=True).order_by("title", "id"))


@dataclass(frozen=True)
class ClockSummary:
    state: str  # running | paused | stopped | not_started
    due_at: datetime | None
    days_left: int | None  # working days until the deadline (running, not late)
    days_late: int | None  # working days past the deadline
    paused_since: datetime | None
    elapsed: int | None  # working days taken (stopped)
    on_time: bool | None
    extended: bool
    target_days: int | None
    paused_days: int


def clock_summary(case: Case, *, now: datetime | None = None) -> ClockSummary:
    """The deadline and clock of a case in working days (balai.worktime via the engine's clock)."""
    now = now or timezone.now()
    gov = case.government_id
    left = late = None
    if case.due_at is not None and case.clock_state == ClockState.RUNNING:
        if now <= case.due_at:
            left = clock.working_days_between(now, case.due_at, government_id=gov)
        else:
            late = max(clock.working_days_between(case.due_at, now, government_id=gov), 0)
    on_time = None
    if case.clock_state == ClockState.STOPPED and case.stopped_at is not None:
        on_time = case.due_at is None or case.stopped_at <= case.due_at
    return ClockSummary(
        state=case.clock_state, due_at=case.due_at, days_left=left, days_late=late, paused_since=case.paused_at,
        elapsed=case.elapsed_working_days, on_time=on_time, extended=case.extended,
        target_days=case.target_working_days, paused_days=case.paused_working_days,
    )


def contact_failing(contact: dict | None, citizen: Any = None) -> list[str]:
    """The contact addresses (phone, e-mail) to which messages keep failing (shown as a warning)."""
    if not contact:
        return []
    failing = [value for value in (contact.get("phone"), contact.get("email")) if value and recipient_is_failing(value)]
    if citizen is not None and getattr(citizen, "phone_failing", False) and citizen.phone and citizen.phone not in failing:
        failing.append(citizen.phone)
    return failing


def head_stats(*, user: Any, now: datetime | None = None, list_size: int = 10) -> staff_figures.HeadStats:
    """The head of unit's page: the live case figures of their units (`cases.staff_figures.head_stats`) and
    the satisfaction index of this year (`survey.selectors.unit_ikm`)."""
    stats = staff_figures.head_stats(user=user, now=now, list_size=list_size)
    return replace(stats, ikm=unit_ikm(units=stats.units, since=stats.ikm_period_start))


def timelines(cases: list[Case], *, viewer: Any) -> dict[int, list[Any]]:
    """The history of each case as `viewer` may see it (`case_view`: identity of anonymous and
    confidential citizens already filtered)."""
    return {c.pk: list(case_view(case=c, viewer=viewer).timeline) for c in cases}


def digest_enabled(user: Any) -> bool:
    """Whether `user` gets the daily digest (on unless they turned it off)."""
    return not DigestPreference.objects.filter(user=user, daily_digest=False).exists()
