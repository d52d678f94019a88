"""The daily digest: every working-day morning, staff are told by e-mail which of their cases are late.

The deadline sweep (balai.cases.deadlines) marks and escalates late cases but tells nobody; this tells
the people who must act. Who gets what (plain functions, tests/office/test_digest.py):

- an officer: their own open assigned cases that are late or due within one working day;
- a head of unit (role "head"): the open cases of their units (with sub-units) that are late, escalated
  (level 1 goes to the head) or due within one working day;
- an inspector: the open cases escalated to the inspectorate (level 2) in their government.

A case is listed once per person, in the first section that holds it. Nothing to report: no e-mail.

When: on a working day of the person's government (balai.worktime), from `DIGEST_TIME` local time
(settings.TIME_ZONE, WITA). The periodic job (settings.BALAI_PERIODIC_TASKS) runs every few minutes; a
`DigestRun` row per (person, local day), written in the transaction that queues the e-mail in the outbox
(ADR 0008), makes it go out once whatever the number of runs or workers.

What: the tracking code, the title as this person may see it (`case_title`: an anonymous citizen's name
and contact details masked), no title at all for a confidential case (code and status only: an e-mail
leaves our systems and is read on phones), how late in working days, and the case's workspace link.
Staff turn it off at /kantor/akun/ringkasan/ (`DigestPreference`).

This module holds who gets what and the text; sending (the `DigestRun` key, the outbox) is
`balai.office.services.send_digests`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balai.cases import clock, queue
from balai.cases.models import Case, Confidentiality
from balai.cases.selectors import case_promise
from balai.cases.visibility import STAFF_KINDS, case_title, viewer_kind
from balai.cases.workflows import status_label
from balai.people.models import Role
from balai.people.permissions import units_for

MAX_PER_SECTION = 15  # longer lists end with a link to the full queue

ASSIGNED, UNIT, INSPECTORATE = "assigned", "unit", "inspectorate"


# --- who gets which cases -------------------------------------------------------------------------


def _own_units(user: Any, role: str) -> QuerySet[Any]:
    """Units (with sub-units) where `user` holds `role`. Unlike `units_for`, a superuser gets only the
    units of their own memberships: the digest follows the job someone holds, not their admin rights."""
    if user.is_superuser:
        user = copy.copy(user)
        user.is_superuser = False
    return units_for(user, roles=[role])


def assigned_cases(*, user: Any, now: datetime) -> QuerySet[Case]:
    """The officer's own open cases that are late or due within one working day."""
    return queue.late_or_due_assigned_to(user, now=now)


def unit_cases(*, user: Any, now: datetime) -> QuerySet[Case]:
    """For a head of unit: open cases of their units that are late, escalated or due within a working day."""
    return queue.late_escalated_or_due_in(_own_units(user, Role.HEAD), now=now)


def inspectorate_cases(*, user: Any) -> QuerySet[Case]:
    """For an inspector: open cases escalated to the inspectorate (level 2) in their government(s)."""
    return queue.escalated_in_governments(_own_units(user, Role.INSPECTOR).values("agency__government_id"))


@dataclass
class Section:
    name: str  # ASSIGNED | UNIT | INSPECTORATE
    cases: list[Case]  # the first MAX_PER_SECTION, most overdue first
    total: int


@dataclass
class Digest:
    user: Any
    sections: list[Section] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.total for s in self.sections)


def digest_for(*, user: Any, now: datetime) -> Digest:
    """The sections of `user`'s digest (empty ones left out); each case in the first section holding it."""
    digest = Digest(user=user)
    seen: set[int] = set()
    for name, qs in ((ASSIGNED, assigned_cases(user=user, now=now)), (UNIT, unit_cases(user=user, now=now)),
                     (INSPECTORATE, inspectorate_cases(user=user))):
        ids = [pk for pk in queue.ids_by_deadline(qs) if pk not in seen]
        if not ids:
            continue
        seen.update(ids)
        shown = queue.cases_for_listing(ids[:MAX_PER_SECTION])
        digest.sections.append(Section(name, shown, len(ids)))
    return digest


# --- the text -------------------------------------------------------------------------------------


def _url(name: str, **kwargs: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def visible_title(case: Case, *, viewer: Any) -> str | None:
    """The title as `viewer` may see it in the workspace (`case_title`), or None: never for a confidential
    case (an e-mail leaves our systems), nor for someone the case is not shown to as staff."""
    if case.confidentiality == Confidentiality.CONFIDENTIAL:
        return None
    kind = viewer_kind(case=case, viewer=viewer)
    return case_title(case=case, kind=kind) if kind in STAFF_KINDS else None


def lateness(case: Case, *, now: datetime) -> str:
    """"Late by 3 working days", "Late since today" or "Due today at 16:00", in the active language."""
    missed = case.breached_at or case.due_at
    if missed is not None and missed <= now:
        days = clock.working_days_between(missed, now, government_id=case.government_id)
        if days == 0:
            return _("Late since today")
        return ngettext("Late by %(days)d working day", "Late by %(days)d working days", days) % {"days": days}
    if case.due_at is None:
        return ""
    due = timezone.localtime(case.due_at)
    if due.date() == timezone.localtime(now).date():
        return _("Due today at %(time)s") % {"time": due.strftime("%H:%M")}
    return _("Due %(date)s at %(time)s") % {"date": due.strftime("%d-%m-%Y"), "time": due.strftime("%H:%M")}


def _case_lines(case: Case, *, viewer: Any, now: datetime) -> list[str]:
    title = visible_title(case, viewer=viewer)
    if case.confidentiality == Confidentiality.CONFIDENTIAL:
        title = _("(confidential)")
    head = f"- {case.tracking_code} · {title}" if title else f"- {case.tracking_code}"
    facts = [lateness(case, now=now)]
    if case.escalation_level >= 2:
        facts.append(_("escalated to the inspectorate"))
    elif case.escalation_level == 1:
        facts.append(_("escalated to the head of unit"))
    facts.append(status_label(case.kind, case.status))
    promised = case_promise(case, viewer=viewer, now=now).summary  # what the citizen was promised
    return [head, "  " + " · ".join(f for f in facts if f), "  " + promised,
            "  " + _url("office:case", code=case.tracking_code)]


def _section_heading(section: Section) -> str:
    headings = {
        ASSIGNED: _("Assigned to you: late or due soon (%(count)d)"),
        UNIT: _("Your unit: late, escalated or due soon (%(count)d)"),
        INSPECTORATE: _("Escalated to the inspectorate (%(count)d)"),
    }
    return headings[section.name] % {"count": section.total}


_QUEUE = {ASSIGNED: "office:my_queue", UNIT: "office:head", INSPECTORATE: "office:inspectorate"}


def digest_text(digest: Digest, *, language: str, now: datetime) -> str:
    """The plain-text list of the digest in `language` (short lines: many officers read mail on a phone)."""
    with translation.override(language):
        blocks = []
        for section in digest.sections:
            lines = [_section_heading(section)]
            for case in section.cases:
                lines += _case_lines(case, viewer=digest.user, now=now)
            more = section.total - len(section.cases)
            if more > 0:
                lines.append(ngettext("... and %(count)d more: %(link)s", "... and %(count)d more: %(link)s", more)
                             % {"count": more, "link": _url(_QUEUE[section.name])})
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def digest_context(digest: Digest, *, language: str, now: datetime) -> dict[str, str]:
    """Placeholder values of the "staff_digest" e-mail (balai.notify.defaults)."""
    with translation.override(language):
        settings_link = _url("office:digest_settings")
    return {"digest": digest_text(digest, language=language, now=now), "count": str(digest.count),
            "date": timezone.localtime(now).strftime("%d-%m-%Y"), "link": settings_link}
