"""Workflows as data: for every kind of case, its states and the transitions between them.

`balai.cases.services.case_transition` is the only code that applies them. Each transition says who may
take it (people `Role` values plus the pseudo-roles "citizen" and "system"), what it requires, which
message the citizen gets, and what it does to the deadline clock. Deadlines follow
docs/regulations.md §3 (UU 14/2008 KIP, Perki 1/2021) and §4 (UU 25/2009, Perpres 76/2013, PermenPANRB
62/2018, SP4N-LAPOR!).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balai.cases.models import CaseKind

CITIZEN = "citizen"
SYSTEM = "system"

# Requirement names (also the keyword arguments of `case_transition` that carry them).
REASON = "reason"
BODY = "body"
TARGET_UNIT = "target_unit"
TARGET_AGENCY = "target_agency"
TARGET = "target"  # target_unit or target_agency (disposition)
ASSIGNEE = "assignee"
EXEMPTION = "exemption"

# Clock effects.
START = "start"
PAUSE = "pause"
RESUME = "resume"
STOP = "stop"
RESTART = "restart"  # a new deadline of `days` working days from the moment of the transition
EXTEND = "extend"  # the current deadline moves `days` working days later

# `days` may be a number or one of these, resolved per case by the services.
DAYS_SERVICE = "service"  # Service.deadline_working_days
DAYS_CATEGORY = "category"  # ComplaintCategory.completion_working_days

# Legal periods in working days.
COMPLAINT_VERIFY_DAYS = 3  # LAPOR!: verification within 3 working days of submission
COMPLAINT_FOLLOW_UP_DAYS = 5  # LAPOR!: follow-up within 5 working days of verification
COMPLAINT_CLOSURE_DAYS = 10  # LAPOR!: closed 10 working days after the answer without a reply
INFO_ANSWER_DAYS = 10  # UU 14/2008 art. 22(7)
INFO_EXTENSION_DAYS = 7  # UU 14/2008 art. 22(8): once, with written reasons
INFO_OBJECTION_WINDOW_DAYS = 30  # UU 14/2008 art. 36(1)
INFO_OBJECTION_ANSWER_DAYS = 30  # UU 14/2008 art. 36(2)
INFO_DISPUTE_WINDOW_DAYS = 14  # UU 14/2008 art. 37(2): to the Komisi Informasi
ICT_CONFIRM_DAYS = 10  # a resolved ICT request closes when the requester does not reply

# Guards (conditions beyond the state) evaluated by the services.
GUARD_NOT_EXTENDED = "not_extended"
GUARD_OVERDUE = "overdue"  # information request not answered in time (UU 14/2008 art. 35(1)(e,g))
GUARD_WINDOW_OPEN = "window_open"  # auto_close_at not yet passed (objection / acceptance window)
GUARD_REOPEN_WINDOW = "reopen_window"  # within settings.BALAI_REOPEN_DAYS working days of closure
GUARD_AUTO_CLOSE_DUE = "auto_close_due"  # auto_close_at passed (sweep)
# `Case.extra["approval"]["state"]`, when the case has one, is "approved" (an approval step written by
# `case_record_decision`, e.g. a new subdomain approved by the requesting agency's head, docs/regulations.md §13)
GUARD_APPROVED = "approved"

# The information exemptions of UU 14/2008 art. 17 a refusal must cite.
EXEMPTIONS: dict[str, Promise] = {
    "17a": _("Art. 17(a): would obstruct law enforcement"),
    "17b": _("Art. 17(b): would harm intellectual property or fair competition"),
    "17c": _("Art. 17(c): would endanger national defence and security"),
    "17d": _("Art. 17(d): would reveal Indonesia's natural resources"),
    "17e": _("Art. 17(e): would harm national economic resilience"),
    "17f": _("Art. 17(f): would harm foreign relations"),
    "17g": _("Art. 17(g): would reveal an authentic deed of a personal nature or a last will"),
    "17h": _("Art. 17(h): would reveal personal secrets"),
    "17i": _("Art. 17(i): internal memoranda that are confidential by nature"),
    "17j": _("Art. 17(j): information not to be disclosed under another law"),
}

OPERATOR, VERIFIER, HEAD, COUNTER, PPID, ICT_AGENT, INSPECTOR, ADMIN = (
    "operator", "verifier", "head", "counter", "ppid", "ict_agent", "inspector", "admin",
)
HANDLERS = frozenset({OPERATOR, VERIFIER, HEAD})
SENIOR = frozenset({VERIFIER, HEAD})


@dataclass(frozen=True)
class Clock:
    op: str
    days: int | str | None = None


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]  # states it may be taken from
    target: str | None  # new state; None keeps the state (assign, note, dispose, extend, escalate)
    roles: frozenset[str]
    requires: frozenset[str] = frozenset()
    notify: tuple[str, ...] = ()  # queue_case_message events
    clock: Clock | None = None
    is_public: bool = True  # its timeline event is shown to the citizen
    scope: str = "unit"  # permission scope of the rule registered for the staff roles
    guards: tuple[str, ...] = ()
    event_kind: str = "transition"
    # further (roles, scope) grants, e.g. inspectors anywhere in the government (PP 12/2017)
    extra_rules: tuple[tuple[frozenset[str], str], ...] = ()


@dataclass(frozen=True)
class Workflow:
    kind: str
    initial: str
    states: dict[str, Promise]
    closed_states: frozenset[str]  # is_open becomes False
    transitions: tuple[Transition, ...]
    start_days: int | str  # the first deadline
    completion_days: int | str | None = None  # an overall target that caps every stage deadline
    # who the sweep escalates to: level 1, level 2 ("inspectorate" per PP 12/2017, or "agency_head")
    escalation_chain: tuple[str, ...] = ("head", "inspectorate")
    by_name: dict[str, Transition] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({t.name: t for t in self.transitions})

    def transition(self, name: str) -> Transition | None:
        return self.by_name.get(name)

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


STATE_LABELS: dict[str, Promise] = {
    "submitted": _("Submitted"),
    "verified": _("Verified"),
    "in_progress": _("In progress"),
    "waiting_citizen": _("Waiting for the citizen"),
    "completed": _("Completed"),
    "rejected": _("Rejected"),
    "answered": _("Answered"),
    "closed": _("Closed"),
    "refused": _("Refused"),
    "objection": _("Objection filed"),
    "objection_answered": _("Objection answered"),
    "resolved": _("Resolved"),
}


def _states(*names: str) -> dict[str, Promise]:
    return {n: STATE_LABELS[n] for n in names}


def _fs(*items: str) -> frozenset[str]:
    return frozenset(items)


def _common(open_states: frozenset[str], active: frozenset[str], staff: frozenset[str],
            senior: frozenset[str]) -> tuple[Transition, ...]:
    """Actions every kind has: assign, internal note, dispose, manual and automatic escalation."""
    return (
        Transition("assign", _("Assign to an officer"), open_states, None, senior | _fs(HEAD),
                   requires=_fs(ASSIGNEE), is_public=False, event_kind="assignment"),
        Transition("note", _("Add an internal note"), open_states, None,
                   staff | senior | _fs(HEAD), requires=_fs(BODY), is_public=False,
                   event_kind="note", extra_rules=((_fs(INSPECTOR), "government"),)),
        Transition("dispose", _("Forward to another unit or agency"), active, None, senior | _fs(HEAD),
                   requires=_fs(REASON, TARGET), notify=("disposed",), event_kind="forwarding"),
        Transition("escalate", _("Escalate"), open_states, None, _fs(HEAD, SYSTEM),
                   requires=_fs(REASON), notify=("escalated",), is_public=False, event_kind="escalation"),
    )


SERVICE_REQUEST = Workflow(
    kind=CaseKind.SERVICE_REQUEST,
    initial="submitted",
    states=_states("submitted", "verified", "in_progress", "waiting_citizen", "completed", "rejected"),
    closed_states=_fs("completed", "rejected"),
    start_days=DAYS_SERVICE,
    transitions=(
        Transition("verify", _("Verify the application"), _fs("submitted"), "verified", SENIOR,
                   notify=("verified",)),
        Transition("start", _("Start processing"), _fs("verified"), "in_progress", HANDLERS),
        Transition("request_info", _("Ask the citizen for more"), _fs("submitted", "verified", "in_progress"),
                   "waiting_citizen", HANDLERS, requires=_fs(BODY), notify=("question",), clock=Clock(PAUSE)),
        Transition("citizen_reply", _("Reply"), _fs("waiting_citizen"), "in_progress", _fs(CITIZEN),
                   requires=_fs(BODY), notify=("reply_received",), clock=Clock(RESUME),
                   event_kind="citizen_reply"),
        Transition("complete", _("Complete"), _fs("verified", "in_progress"), "completed", HANDLERS,
                   notify=("closed", "rating_request"), clock=Clock(STOP)),
        Transition("reject", _("Reject"), _fs("submitted", "verified", "in_progress", "waiting_citizen"),
                   "rejected", SENIOR, requires=_fs(REASON), notify=("rejected",), clock=Clock(STOP)),
        Transition("reopen", _("Reopen"), _fs("completed"), "in_progress", _fs(CITIZEN), requires=_fs(REASON),
                   notify=("reply_received",), clock=Clock(RESTART, DAYS_SERVICE),
                   guards=(GUARD_REOPEN_WINDOW,)),
        *_common(_fs("submitted", "verified", "in_progress", "waiting_citizen"),
                 _fs("submitted", "verified", "in_progress"), HANDLERS, SENIOR),
    ),
)


def _complaint(kind: str) -> Workflow:
    """LAPOR! (docs/regulations.md §4): verify in 3 working days, follow up in 5, close 10 after the answer."""
    active = _fs("submitted", "verified", "in_progress")
    return Workflow(
        kind=kind,
        initial="submitted",
        states=_states("submitted", "verified", "in_progress", "waiting_citizen", "answered", "closed", "rejected"),
        closed_states=_fs("closed", "rejected"),
        start_days=COMPLAINT_VERIFY_DAYS,
        completion_days=DAYS_CATEGORY,
        transitions=(
            Transition("verify", _("Verify the report"), _fs("submitted"), "verified", SENIOR,
                       notify=("verified",), clock=Clock(RESTART, COMPLAINT_FOLLOW_UP_DAYS)),
            Transition("start", _("Start the follow-up"), _fs("verified"), "in_progress", HANDLERS),
            Transition("request_info", _("Ask the citizen for more"), active, "waiting_citizen", HANDLERS,
                       requires=_fs(BODY), notify=("question",), clock=Clock(PAUSE)),
            Transition("citizen_reply", _("Reply"), _fs("waiting_citizen"), "in_progress", _fs(CITIZEN),
                       requires=_fs(BODY), notify=("reply_received",), clock=Clock(RESUME),
                       event_kind="citizen_reply"),
            Transition("answer", _("Send the follow-up"), _fs("verified", "in_progress"), "answered", HANDLERS,
                       requires=_fs(BODY), notify=("answered",), clock=Clock(STOP)),
            Transition("accept", _("Accept the follow-up"), _fs("answered"), "closed", _fs(CITIZEN),
                       notify=("closed", "rating_request")),
            Transition("dispute", _("Not satisfied"), _fs("answered"), "in_progress", _fs(CITIZEN),
                       requires=_fs(REASON), notify=("reply_received",),
                       clock=Clock(RESTART, COMPLAINT_FOLLOW_UP_DAYS), guards=(GUARD_WINDOW_OPEN,)),
            Transition("auto_close", _("Close (no reply from the citizen)"), _fs("answered"), "closed",
                       _fs(SYSTEM), notify=("auto_closed", "rating_request"), guards=(GUARD_AUTO_CLOSE_DUE,)),
            Transition("reject", _("Reject"), active | _fs("waiting_citizen"), "rejected", SENIOR,
                       requires=_fs(REASON), notify=("rejected",), clock=Clock(STOP)),
            # Staff close an answered report, or one whose reporter never answered the question, with
            # a reason the citizen reads (LAPOR!: the report is closed after the follow-up).
            Transition("close", _("Close with a reason"), _fs("answered", "waiting_citizen"), "closed", SENIOR,
                       requires=_fs(REASON), notify=("closed", "rating_request"), clock=Clock(STOP)),
            Transition("reopen", _("Reopen"), _fs("closed"), "in_progress", _fs(CITIZEN), requires=_fs(REASON),
                       notify=("reply_received",), clock=Clock(RESTART, COMPLAINT_FOLLOW_UP_DAYS),
                       guards=(GUARD_REOPEN_WINDOW,)),
            *_common(active | _fs("waiting_citizen", "answered"), active, HANDLERS, SENIOR),
        ),
    )


COMPLAINT = _complaint(CaseKind.COMPLAINT)
ASPIRATION = _complaint(CaseKind.ASPIRATION)

_PPID = _fs(PPID)
INFORMATION_REQUEST = Workflow(
    kind=CaseKind.INFORMATION_REQUEST,
    initial="submitted",
    states=_states("submitted", "in_progress", "waiting_citizen", "answered", "refused", "objection",
                   "objection_answered", "closed"),
    closed_states=_fs("closed"),
    start_days=INFO_ANSWER_DAYS,
    transitions=(
        Transition("start", _("Start processing"), _fs("submitted"), "in_progress", _PPID,
                   notify=("verified",)),
        Transition("request_info", _("Ask the requester for more"), _fs("submitted", "in_progress"),
                   "waiting_citizen", _PPID, requires=_fs(BODY), notify=("question",), clock=Clock(PAUSE)),
        Transition("citizen_reply", _("Reply"), _fs("waiting_citizen"), "in_progress", _fs(CITIZEN),
                   requires=_fs(BODY), notify=("reply_received",), clock=Clock(RESUME),
                   event_kind="citizen_reply"),
        Transition("extend", _("Extend by 7 working days"), _fs("submitted", "in_progress"), None, _PPID,
                   requires=_fs(REASON), notify=("extended",), clock=Clock(EXTEND, INFO_EXTENSION_DAYS),
                   guards=(GUARD_NOT_EXTENDED,)),
        Transition("answer", _("Give the information"), _fs("submitted", "in_progress"), "answered", _PPID,
                   requires=_fs(BODY), notify=("answered",), clock=Clock(STOP)),
        Transition("refuse", _("Refuse (exempt information)"), _fs("submitted", "in_progress"), "refused",
                   _PPID, requires=_fs(EXEMPTION, REASON), notify=("rejected",), clock=Clock(STOP)),
        Transition("object", _("File an objection"), _fs("answered", "refused"), "objection", _fs(CITIZEN),
                   requires=_fs(REASON), notify=("received",),
                   clock=Clock(RESTART, INFO_OBJECTION_ANSWER_DAYS), guards=(GUARD_WINDOW_OPEN,)),
        Transition("object_late", _("File an objection (no answer in time)"),
                   _fs("submitted", "in_progress"), "objection", _fs(CITIZEN), requires=_fs(REASON),
                   notify=("received",), clock=Clock(RESTART, INFO_OBJECTION_ANSWER_DAYS),
                   guards=(GUARD_OVERDUE,)),
        Transition("answer_objection", _("Answer the objection"), _fs("objection"), "objection_answered",
                   _fs(HEAD), requires=_fs(BODY), notify=("answered",), clock=Clock(STOP), scope="agency"),
        Transition("accept", _("Accept"), _fs("answered", "objection_answered"), "closed", _fs(CITIZEN),
                   notify=("closed",)),
        Transition("auto_close", _("Close (period ended)"), _fs("answered", "refused", "objection_answered"),
                   "closed", _fs(SYSTEM), notify=("auto_closed",), guards=(GUARD_AUTO_CLOSE_DUE,)),
        *_common(_fs("submitted", "in_progress", "waiting_citizen", "objection"),
                 _fs("submitted", "in_progress"), _PPID, _PPID),
    ),
)

_ICT = _fs(ICT_AGENT, HEAD)
ICT_REQUEST = Workflow(
    kind=CaseKind.ICT_REQUEST,
    initial="submitted",
    states=_states("submitted", "in_progress", "waiting_citizen", "resolved", "closed", "rejected"),
    closed_states=_fs("closed", "rejected"),
    start_days=DAYS_SERVICE,
    escalation_chain=("head", "agency_head"),  # Diskominfo's head of unit, then its head
    transitions=(
        Transition("start", _("Take the request"), _fs("submitted"), "in_progress", _ICT, notify=("verified",),
                   guards=(GUARD_APPROVED,)),
        Transition("request_info", _("Ask the requester for more"), _fs("submitted", "in_progress"),
                   "waiting_citizen", _ICT, requires=_fs(BODY), notify=("question",), clock=Clock(PAUSE)),
        Transition("citizen_reply", _("Reply"), _fs("waiting_citizen"), "in_progress", _fs(CITIZEN),
                   requires=_fs(BODY), notify=("reply_received",), clock=Clock(RESUME),
                   event_kind="citizen_reply"),
        Transition("resolve", _("Mark as resolved"), _fs("submitted", "in_progress"), "resolved", _ICT,
                   requires=_fs(BODY), notify=("answered",), clock=Clock(STOP), guards=(GUARD_APPROVED,)),
        Transition("accept", _("Confirm it is solved"), _fs("resolved"), "closed", _fs(CITIZEN),
                   notify=("closed", "rating_request")),
        Transition("dispute", _("Not solved"), _fs("resolved"), "in_progress", _fs(CITIZEN), requires=_fs(REASON),
                   notify=("reply_received",), clock=Clock(RESTART, DAYS_SERVICE), guards=(GUARD_WINDOW_OPEN,)),
        Transition("auto_close", _("Close (no reply from the requester)"), _fs("resolved"), "closed",
                   _fs(SYSTEM), notify=("auto_closed", "rating_request"), guards=(GUARD_AUTO_CLOSE_DUE,)),
        Transition("reject", _("Reject"), _fs("submitted", "in_progress", "waiting_citizen"), "rejected", _ICT,
                   requires=_fs(REASON), notify=("rejected",), clock=Clock(STOP)),
        Transition("reopen", _("Reopen"), _fs("closed"), "in_progress", _fs(CITIZEN), requires=_fs(REASON),
                   notify=("reply_received",), clock=Clock(RESTART, DAYS_SERVICE),
                   guards=(GUARD_REOPEN_WINDOW,)),
        *_common(_fs("submitted", "in_progress", "waiting_citizen"), _fs("submitted", "in_progress"),
                 _ICT, _ICT),
    ),
)

# The staff steps that carry a case of each kind from submission to closure (the citizen's acceptance or
# the automatic closure does the rest). A route may only point at a unit where someone can take each of
# them (`balai.cases.actors`).
CLOSURE_STEPS: dict[str, tuple[str, ...]] = {
    CaseKind.SERVICE_REQUEST: ("verify", "start", "complete"),
    CaseKind.COMPLAINT: ("verify", "start", "answer", "close"),
    CaseKind.ASPIRATION: ("verify", "start", "answer", "close"),
    CaseKind.INFORMATION_REQUEST: ("start", "answer", "answer_objection"),
    CaseKind.ICT_REQUEST: ("start", "resolve"),
}

WORKFLOWS: dict[str, Workflow] = {
    w.kind: w for w in (SERVICE_REQUEST, COMPLAINT, ASPIRATION, INFORMATION_REQUEST, ICT_REQUEST)
}

# States whose `auto_close_at` window closes them (the sweep), with the period that starts on entry.
AUTO_CLOSE_PERIODS: dict[tuple[str, str], int] = {
    (CaseKind.COMPLAINT, "answered"): COMPLAINT_CLOSURE_DAYS,
    (CaseKind.ASPIRATION, "answered"): COMPLAINT_CLOSURE_DAYS,
    (CaseKind.INFORMATION_REQUEST, "answered"): INFO_OBJECTION_WINDOW_DAYS,
    (CaseKind.INFORMATION_REQUEST, "refused"): INFO_OBJECTION_WINDOW_DAYS,
    (CaseKind.INFORMATION_REQUEST, "objection_answered"): INFO_DISPUTE_WINDOW_DAYS,
    (CaseKind.ICT_REQUEST, "resolved"): ICT_CONFIRM_DAYS,
}


def workflow_for(kind: str) -> Workflow:
    return WORKFLOWS[kind]


def status_label(kind: str, status: str) -> str:
    return str(STATE_LABELS.get(status, status))


def all_action_names() -> set[str]:
    return {t.name for w in WORKFLOWS.values() for t in w.transitions}


def permission_rules() -> dict[str, tuple[tuple[frozenset[str], str], ...]]:
    """Action name → ((staff roles, scope), ...) for `case.<action>` (union over kinds) and
    `case.<kind>.<action>` (this kind only). The services check both."""
    pseudo = {CITIZEN, SYSTEM}
    rules: dict[str, set[tuple[frozenset[str], str]]] = {}
    for wf in WORKFLOWS.values():
        for t in wf.transitions:
            roles = frozenset(t.roles - pseudo)
            if not roles:
                continue
            grants = {(roles, t.scope), *t.extra_rules}
            rules.setdefault(f"case.{wf.kind}.{t.name}", set()).update(grants)
            rules.setdefault(f"case.{t.name}", set()).update(grants)
    merged: dict[str, tuple[tuple[frozenset[str], str], ...]] = {}
    for action, grants in rules.items():
        by_scope: dict[str, frozenset[str]] = {}
        for roles, scope in grants:
            by_scope[scope] = by_scope.get(scope, frozenset()) | roles
        merged[action] = tuple((roles, scope) for scope, roles in sorted(by_scope.items(), key=lambda kv: kv[0]))
    return merged
