"""Rules of Diskominfo's ICT service desk, as data and pure functions (docs/regulations.md §13).

- Incidents carry a priority P1–P4 from impact × urgency (the usual ITIL matrix) with a response and a
  resolution target counted in **office minutes**: office hours of working days only, so weekends,
  national holidays and cuti bersama do not count (`balai.worktime.calendar.add_office_minutes`,
  docs/regulations.md §7).
- The clock pauses while the desk waits for the requester (the case is "waiting_citizen"): the time
  spent there moves both targets later by the office minutes it lasted.
- Security incidents record the national CSIRT intake: affected asset, incident type from the reference
  security incident taxonomy (the one European CSIRTs use), impact, evidence and a TLP label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balai.worktime.calendar import add_office_minutes, office_minutes_between

LEVELS: dict[str, Promise] = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
IMPACT_HELP = _("High: a whole agency or a public service is down. Medium: one unit or a few people. "
                "Low: one person, a workaround exists.")
URGENCY_HELP = _("High: work stops now. Medium: work is slowed. Low: it can wait a few days.")

PRIORITY_MATRIX: dict[tuple[str, str], str] = {
    ("high", "high"): "P1", ("high", "medium"): "P2", ("high", "low"): "P3",
    ("medium", "high"): "P2", ("medium", "medium"): "P3", ("medium", "low"): "P4",
    ("low", "high"): "P3", ("low", "medium"): "P4", ("low", "low"): "P4",
}

# Office minutes (08:00–16:00 on working days: 480 a day): (response, resolution).
TARGETS: dict[str, tuple[int, int]] = {
    "P1": (30, 4 * 60),
    "P2": (60, 8 * 60),
    "P3": (4 * 60, 3 * 8 * 60),
    "P4": (8 * 60, 5 * 8 * 60),
}
PRIORITY_LABELS: dict[str, Promise] = {
    "P1": _("P1 critical"), "P2": _("P2 high"), "P3": _("P3 medium"), "P4": _("P4 low"),
}

# Reference security incident taxonomy (eCSIRT.net / RSIT), top-level classes, with the incident types
# the national CSIRT names (defacement, phishing, malware/ransomware, personal-data misuse, DDoS, illegal
# access) mapped to them in the help texts.
SECURITY_TAXONOMY: dict[str, Promise] = {
    "abusive-content": _("Abusive content (spam, harmful speech)"),
    "malicious-code": _("Malicious code (malware, ransomware)"),
    "information-gathering": _("Information gathering (scanning, sniffing)"),
    "intrusion-attempts": _("Intrusion attempts (exploits, login attempts)"),
    "intrusions": _("Intrusions (illegal access, compromised account, defacement)"),
    "availability": _("Availability (DDoS, outage by sabotage)"),
    "information-content-security": _("Information content security (personal data leak or misuse)"),
    "fraud": _("Fraud (phishing, impersonation)"),
    "vulnerable": _("Vulnerable system (found weakness)"),
    "other": _("Other"),
}
TLP: dict[str, Promise] = {
    "TLP:RED": _("TLP:RED: for the named recipients only"),
    "TLP:AMBER+STRICT": _("TLP:AMBER+STRICT: the recipient's organisation only"),
    "TLP:AMBER": _("TLP:AMBER: the recipient's organisation and its clients, need to know"),
    "TLP:GREEN": _("TLP:GREEN: the community, not public"),
    "TLP:CLEAR": _("TLP:CLEAR: may be published"),
}
# State in which the desk waits for the requester: the clock is paused there.
WAITING = "waiting_citizen"


def priority_for(impact: str, urgency: str) -> str:
    """P1–P4 for an impact and an urgency ("high", "medium", "low"); ValueError for anything else."""
    try:
        return PRIORITY_MATRIX[(impact, urgency)]
    except KeyError as exc:
        raise ValueError(f"unknown impact/urgency {impact!r}/{urgency!r}") from exc


@dataclass(frozen=True)
class Targets:
    priority: str
    response_due: datetime
    resolution_due: datetime
    paused_minutes: int  # office minutes spent waiting for the requester
    responded_at: datetime | None
    resolved_at: datetime | None
    response_met: bool | None  # None while still open and not yet due
    resolution_met: bool | None


def pauses(events: Iterable[tuple[datetime, str, str]]) -> list[tuple[datetime, datetime | None]]:
    """Intervals spent waiting for the requester, from (at, from_status, to_status) in time order."""
    out: list[tuple[datetime, datetime | None]] = []
    start: datetime | None = None
    for at, before, after in events:
        if after == WAITING and before != WAITING and start is None:
            start = at
        elif before == WAITING and after and after != WAITING and start is not None:
            out.append((start, at))
            start = None
    if start is not None:
        out.append((start, None))
    return out


def targets(*, priority: str, submitted_at: datetime, events: Iterable[tuple[datetime, str, str, str]],
            now: datetime, government_id: int | None = None) -> Targets:
    """Response and resolution targets of an incident, moved by the pauses, and whether they were met.

    `events`: (at, action, from_status, to_status) of the case's timeline in time order. The first
    action by the desk ("start", "request_info", "resolve", "reject") is the response; the last move to
    "resolved" or "rejected" (not undone later) is the resolution.
    """
    events = list(events)
    response_min, resolution_min = TARGETS[priority]
    responded_at = next((at for at, action, _b, _a in events
                         if action in ("start", "request_info", "resolve", "reject")), None)
    resolved_at: datetime | None = None
    for at, _action, _before, after in events:
        if after in ("resolved", "rejected"):
            resolved_at = resolved_at or at
        elif after and after not in ("closed",):
            resolved_at = None
    waits = pauses((at, b, a) for at, _action, b, a in events)
    end = resolved_at or now
    paused = sum(office_minutes_between(s, min(e or end, end), government_id=government_id) for s, e in waits)
    # The response target is not moved by a pause: asking the requester is itself the response.
    response_due = add_office_minutes(submitted_at, response_min, government_id=government_id)
    resolution_due = add_office_minutes(submitted_at, resolution_min + paused, government_id=government_id)

    def met(done: datetime | None, due: datetime) -> bool | None:
        if done is not None:
            return done <= due
        return False if now > due else None

    return Targets(priority=priority, response_due=response_due, resolution_due=resolution_due,
                   paused_minutes=paused, responded_at=responded_at, resolved_at=resolved_at,
                   response_met=met(responded_at, response_due), resolution_met=met(resolved_at, resolution_due))
