"""What is promised now: THE one answer every face gives about a case's deadline (ADR 0041).

For any case and viewer: the current step's legal deadline and the final target, each in working days
and as a date, with its legal source (a section of docs/regulations.md); after the answer, the date the
case closes by itself (or the window for an objection or the Komisi Informasi). The confirmation page,
the receipt, `/lacak/`, SMS and e-mail texts, the REST and Open311 APIs, the staff case page and the
staff digest all print `promise_of(case).summary` (or its fields), so they cannot disagree.

The dates are the engine's (`Case.due_at`, `completion_due_at`, `auto_close_at`, working days of
`balai.worktime`); this module only reads and words them. Periods: docs/regulations.md §2 (service
standard), §3 (UU 14/2008: 10 working days, once +7; objection 30; Komisi Informasi 14), §4 (LAPOR!:
verification 3, follow-up 5, closure 10 working days after the answer), §13 (ICT services).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from balai.cases import clock, workflows
from balai.cases.models import Case, CaseKind, ClockState

# kind → (docs/regulations.md section, the legal basis in a few words)
SOURCES: dict[str, tuple[str, Any]] = {
    CaseKind.SERVICE_REQUEST: ("§2", gettext_lazy("service standard, UU 25/2009 art. 21")),
    CaseKind.COMPLAINT: ("§4", gettext_lazy("SP4N-LAPOR!, PermenPANRB 62/2018")),
    CaseKind.ASPIRATION: ("§4", gettext_lazy("SP4N-LAPOR!, PermenPANRB 62/2018")),
    CaseKind.INFORMATION_REQUEST: ("§3", gettext_lazy("UU 14/2008 art. 22")),
    CaseKind.ICT_REQUEST: ("§13", gettext_lazy("ICT service standard")),
}
OBJECTION_SOURCE = gettext_lazy("UU 14/2008 art. 36")
DISPUTE_SOURCE = gettext_lazy("UU 14/2008 art. 37")

# (kind, status) → what is owed now
STEPS: dict[tuple[str, str], Any] = {
    (CaseKind.COMPLAINT, "submitted"): gettext_lazy("Verification"),
    (CaseKind.COMPLAINT, "verified"): gettext_lazy("Follow-up"),
    (CaseKind.COMPLAINT, "in_progress"): gettext_lazy("Follow-up"),
    (CaseKind.ASPIRATION, "submitted"): gettext_lazy("Verification"),
    (CaseKind.ASPIRATION, "verified"): gettext_lazy("Follow-up"),
    (CaseKind.ASPIRATION, "in_progress"): gettext_lazy("Follow-up"),
    (CaseKind.INFORMATION_REQUEST, "submitted"): gettext_lazy("Written answer"),
    (CaseKind.INFORMATION_REQUEST, "in_progress"): gettext_lazy("Written answer"),
    (CaseKind.INFORMATION_REQUEST, "objection"): gettext_lazy("Answer to the objection"),
    (CaseKind.SERVICE_REQUEST, "submitted"): gettext_lazy("Completion"),
    (CaseKind.SERVICE_REQUEST, "verified"): gettext_lazy("Completion"),
    (CaseKind.SERVICE_REQUEST, "in_progress"): gettext_lazy("Completion"),
    (CaseKind.ICT_REQUEST, "submitted"): gettext_lazy("Resolution"),
    (CaseKind.ICT_REQUEST, "in_progress"): gettext_lazy("Resolution"),
}

RUNNING, OVERDUE, PAUSED, WINDOW, CLOSED, NONE = "running", "overdue", "paused", "window", "closed", "none"


@dataclass(frozen=True)
class Promise:
    """What the agency promises now (see the module docstring). Dates are local dates."""

    state: str  # running | overdue | paused | window | closed | none
    step: str  # what is owed now, in the active language ("" when nothing is)
    step_days: int | None
    step_due: date | None
    final_days: int | None  # the overall target (a complaint category's completion target), if any
    final_due: date | None
    auto_close_on: date | None  # after the answer: the case closes by itself on this date
    window: str  # "", "closure", "objection", "dispute": what the period after the answer is for
    window_days: int | None
    source: str  # "docs/regulations.md §4"
    basis: str  # the legal basis in words
    working_days_left: int | None
    closed_on: date | None
    summary: str  # the one sentence every face prints
    expected_at: datetime | None = None  # when the case can be expected done (Open311 expected_datetime)

    @property
    def due(self) -> date | None:
        """The next date that matters: the step's deadline, else the automatic closure."""
        return self.step_due or self.auto_close_on

    def as_dict(self) -> dict[str, Any]:
        """For the API: dates as ISO strings."""
        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "state": self.state, "step": self.step, "step_working_days": self.step_days,
            "step_due_date": iso(self.step_due), "final_working_days": self.final_days,
            "final_due_date": iso(self.final_due), "closes_automatically_on": iso(self.auto_close_on),
            "window": self.window, "window_working_days": self.window_days, "legal_source": self.source,
            "legal_basis": self.basis, "working_days_left": self.working_days_left,
            "closed_on": iso(self.closed_on), "summary": self.summary,
            "expected_at": self.expected_at.isoformat() if self.expected_at else None,
        }


def _local(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def fmt(value: date | None) -> str:
    """A promised date as every face writes it ("14 Desember 2026"), in the active language.

    The text of `date_format(value, "j F Y")`, written out: that call parses the format string and looks
    for the language's format modules each time, and every submission words its promise twice."""
    return f"{value.day} {MONTHS[value.month]!s} {value.year:04d}" if value else ""


def _days(n: int | None) -> str:
    return ngettext("%(n)d working day", "%(n)d working days", n or 0) % {"n": n or 0}


def _completion_days(case: Case) -> int | None:
    category = case.complaint_category if case.complaint_category_id else None
    if case.kind in (CaseKind.COMPLAINT, CaseKind.ASPIRATION) and category is not None:
        return category.completion_working_days
    return None


def promise_of(case: Case, *, viewer: Any = None, now: datetime | None = None) -> Promise:
    """What is promised now for `case`. The same for every viewer: a deadline is never confidential
    (`viewer` is accepted so that every face calls it the same way)."""
    now = now or timezone.now()
    section, basis = SOURCES[case.kind]
    source = f"docs/regulations.md {section}"
    basis = str(basis)
    step_label = STEPS.get((case.kind, case.status))
    final_days = _completion_days(case)
    final_due = _local(case.completion_due_at) if final_days else None
    window, window_days, auto_close_on = "", None, None
    if case.is_open and case.auto_close_at is not None:
        auto_close_on = _local(case.auto_close_at)
        window_days = workflows.AUTO_CLOSE_PERIODS.get((case.kind, case.status))
        window = "closure"
        if case.kind == CaseKind.INFORMATION_REQUEST:
            window = "dispute" if case.status == "objection_answered" else "objection"
            basis = str(DISPUTE_SOURCE if window == "dispute" else OBJECTION_SOURCE)

    if not case.is_open:
        closed_on = _local(case.closed_at)
        summary = (_("Closed on %(date)s.") % {"date": fmt(closed_on)}) if closed_on else _("Closed.")
        return Promise(CLOSED, "", None, None, final_days, final_due, None, "", None, source, basis, None,
                       closed_on, summary)
    if window:
        summary = {
            "closure": _("Answered. If you do not reply, the case closes automatically on %(date)s "
                         "(%(days)s after the answer; %(basis)s)."),
            "objection": _("You may file an objection until %(date)s (%(days)s; %(basis)s); otherwise "
                           "the request closes on that date."),
            "dispute": _("You may take the matter to the Komisi Informasi until %(date)s (%(days)s; "
                         "%(basis)s); otherwise the request closes on that date."),
        }[window] % {"date": fmt(auto_close_on), "days": _days(window_days), "basis": basis}
        return Promise(WINDOW, "", None, None, final_days, final_due, auto_close_on, window, window_days,
                       source, basis, None, None, summary, case.auto_close_at)

    step = str(step_label) if step_label else ""
    expected_at = (case.completion_due_at if final_days and case.completion_due_at else case.due_at)
    step_days = case.target_working_days
    step_due = _local(case.due_at)
    final_text = ""
    if final_days and final_due and final_due != step_due:
        final_text = " " + _("Final target: %(date)s (%(days)s).") % {"date": fmt(final_due),
                                                                       "days": _days(final_days)}
    if case.clock_state == ClockState.PAUSED:
        summary = _("%(step)s: paused while the agency waits for your reply; the time you take is added to "
                    "the deadline.") % {"step": step or _("Deadline")} + final_text
        return Promise(PAUSED, step, step_days, step_due, final_days, final_due, None, "", None, source, basis,
                       None, None, summary, expected_at)
    if step_due is None or case.due_at is None or case.clock_state != ClockState.RUNNING:
        return Promise(NONE, step, None, None, final_days, final_due, None, "", None, source, basis, None, None,
                       _("No deadline yet."))
    values = {"step": step or _("Answer"), "date": fmt(step_due), "days": _days(step_days), "basis": basis}
    if case.due_at < now:
        summary = _("%(step)s was due by %(date)s (%(days)s; %(basis)s): the agency is late.") % values
        state, left = OVERDUE, 0
    else:
        summary = _("%(step)s by %(date)s at the latest (%(days)s; %(basis)s).") % values
        state = RUNNING
        left = clock.working_days_between(now, case.due_at, government_id=case.government_id)
    return Promise(state, step, step_days, step_due, final_days, final_due, None, "", None, source, basis,
                   left, None, summary + final_text, expected_at)
