"""The deadline sweep: due soon, breached, escalation, automatic closure (run every 5 minutes).

Set-based: the marks are bulk UPDATEs over the index (is_open, due_at), in chunks of primary keys so
no statement holds many row locks for long; only the few cases that change status or escalate go one
by one through `case_transition` (so they get their timeline event, audit record and message).
Idempotent: a second run at the same moment changes nothing.

- due soon: the running clock ends within one working day (before the close of the next working day);
- breached: the running clock has passed its deadline (`breached_at` = the deadline missed);
- escalation level 1 (to the head of the unit) when breached; level 2 (to the inspectorate, PP 12/2017)
  when still breached one working day after level 1;
- two working days before an automatic closure, a message to the citizen (`notify_closing_soon`);
- automatic closure when the citizen's window lapses: a complaint 10 working days after the follow-up
  without a reply (SP4N-LAPOR!, docs/regulations.md §4), an information request after the objection or
  Komisi Informasi window (UU 14/2008 art. 36–37), a resolved ICT request.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.cases import clock, workflows
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Case, ClockState
from balai.cases.submission import JSONValue

logger = logging.getLogger(__name__)

CHUNK = 5000
MAX_TRANSITIONS = 2000  # per run; the rest waits for the next run (every 5 minutes)
# Transitions are committed in batches: one commit (one WAL flush) per batch instead of per case, while
# row locks and the audit-chain lock are held only for a batch's few milliseconds.
BATCH = 50


@dataclass
class SweepResult:
    due_soon_marked: int = 0
    due_soon_cleared: int = 0
    breached: int = 0
    escalated_to_head: int = 0
    escalated_to_inspectorate: int = 0  # level 2: the inspectorate, or the agency head (escalation_chain)
    auto_closed: int = 0
    closure_notices: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _chunked_update(qs, **values) -> int:
    """UPDATE the rows of `qs` in primary-key chunks; `qs` must stop matching a row once updated."""
    total = 0
    while True:
        ids = list(qs.order_by().values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return total
        total += Case.objects.filter(pk__in=ids).update(**values)
        if len(ids) < CHUNK:
            return total


def last_closed_working_day_start(now: datetime, *, government_id: int | None) -> datetime:
    """Local midnight of the latest working day whose office close is at or before `now`.

    A case escalated before that midnight has had one full working day since (`add_working_days(x, 1)
    <= now` exactly when `x` is earlier), which lets the level-2 test be one indexed comparison.
    """
    local = timezone.localtime(now)
    day = local.date()
    for _i in range(60):
        if clock.is_working_day(day, government_id=government_id):
            start = datetime.combine(day, time(0), tzinfo=local.tzinfo)
            if clock.add_working_days(start, 0, government_id=government_id) <= now:
                return start
        day -= timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=local.tzinfo)  # pragma: no cover - 60 days off


def _governments() -> list[int]:
    from balai.agencies.models import Government

    return list(Government.objects.order_by("pk").values_list("pk", flat=True))


def _inspectorate_id(government_id: int) -> int | None:
    from balai.agencies.models import Agency

    return (Agency.objects.filter(government_id=government_id, kind=Agency.Kind.INSPEKTORAT, is_active=True)
            .order_by("id").values_list("pk", flat=True).first())


def sweep(*, now: datetime | None = None, max_transitions: int = MAX_TRANSITIONS) -> SweepResult:
    """One pass over all open cases (see the module docstring)."""
    from balai.cases.services import case_transition

    now = now or timezone.now()
    result = SweepResult()
    open_running = Case.objects.filter(is_open=True, clock_state=ClockState.RUNNING)
    budget = max_transitions

    for gov in _governments():
        soon = clock.add_working_days(now, 1, government_id=gov)
        mine = open_running.filter(government_id=gov)
        result.due_soon_marked += _chunked_update(
            mine.filter(breached_at__isnull=True, due_soon=False, due_at__gt=now, due_at__lte=soon), due_soon=True)
        result.breached += _chunked_update(
            mine.filter(breached_at__isnull=True, due_at__lte=now), breached_at=F("due_at"), due_soon=False)

        # Level 2 before level 1, so a case escalated now is not taken further in the same run.
        cutoff = last_closed_working_day_start(now, government_id=gov)
        inspectorate = _inspectorate_id(gov)
        level2 = list(mine.filter(breached_at__isnull=False, due_at__lte=now, escalation_level=1,
                                  escalated_at__lt=cutoff).order_by("due_at", "pk")[:budget])
        for batch in _batches(level2):
            with transaction.atomic():
                for case in batch:
                    if _escalate(case_transition, case, now=now, level=2, inspectorate=inspectorate,
                                 result=result):
                        result.escalated_to_inspectorate += 1
        budget -= len(level2)
        level1 = list(mine.filter(breached_at__isnull=False, due_at__lte=now, escalation_level=0)
                      .order_by("due_at", "pk")[:max(budget, 0)])
        for batch in _batches(level1):
            with transaction.atomic():
                for case in batch:
                    if _escalate(case_transition, case, now=now, level=1, inspectorate=None, result=result):
                        result.escalated_to_head += 1
        budget -= len(level1)

    # Clear marks that no longer hold (deadline extended or moved by a pause, clock stopped or paused).
    stale = Case.objects.filter(due_soon=True).filter(
        ~Q(clock_state=ClockState.RUNNING) | Q(is_open=False) | Q(due_at__lte=now) | Q(due_at__isnull=True))
    result.due_soon_cleared += _chunked_update(stale, due_soon=False)
    for gov in _governments():
        soon = clock.add_working_days(now, 1, government_id=gov)
        result.due_soon_cleared += _chunked_update(
            Case.objects.filter(government_id=gov, due_soon=True, due_at__gt=soon), due_soon=False)

    for gov in _governments():
        result.closure_notices += notify_closing_soon(now=now, government_id=gov)

    expired = list(Case.objects.filter(auto_close_at__isnull=False, auto_close_at__lte=now)
                   .order_by("auto_close_at", "pk")[:max(budget, 0)])
    for batch in _batches(expired):
        with transaction.atomic():
            for case in batch:
                try:
                    case_transition(case, CaseCommand(action="auto_close", actor=None, system=True, at=now,
                                    expected_version=case.version))
                    result.auto_closed += 1
                except CaseError as exc:  # its own savepoint rolled back; the others stand
                    result.failed += 1
                    logger.warning("auto-close of case %s failed: %s", case.pk, exc)
    return result


CLOSURE_NOTICE_DAYS = 2  # the citizen hears of an automatic closure two working days before it
CLOSURE_NOTICE_KEY = "closure_notice_for"  # Case.extra: the auto_close_at the notice was sent for


def notify_closing_soon(*, now: datetime, government_id: int) -> int:
    """Tell the citizen, through the outbox, that their case closes by itself within two working days
    (once per closure date: a dispute and a new answer set a new date, and a new notice)."""
    from balai.cases.messages import queue_case_message

    horizon = clock.add_working_days(now, CLOSURE_NOTICE_DAYS, government_id=government_id)
    sent = 0
    candidates = (Case.objects.filter(government_id=government_id, is_open=True, auto_close_at__gt=now,
                                      auto_close_at__lte=horizon)
                  .select_related("agency", "service", "complaint_category").order_by("auto_close_at", "pk"))
    for case in candidates[:MAX_TRANSITIONS]:
        if case.auto_close_at is None:  # pragma: no cover - filtered above
            continue
        stamp = case.auto_close_at.isoformat()
        if (case.extra or {}).get(CLOSURE_NOTICE_KEY) == stamp:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().filter(pk=case.pk).first()
            if locked is None or (locked.extra or {}).get(CLOSURE_NOTICE_KEY) == stamp:
                continue
            extra = dict(locked.extra or {})
            extra[CLOSURE_NOTICE_KEY] = stamp
            Case.objects.filter(pk=case.pk).update(extra=extra)
            queue_case_message(case=case, event="closing_soon")
        sent += 1
    return sent


def _batches(items: list[Case]) -> list[list[Case]]:
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def _escalate(case_transition, case: Case, *, now: datetime, level: int, inspectorate: int | None,
              result: SweepResult) -> bool:
    data: dict[str, JSONValue]
    if level == 1:
        reason = _("The deadline passed without action: escalated to the head of the unit.")
        data = {"automatic": True, "to": "head", "unit": case.unit_id}
    elif workflows.workflow_for(case.kind).escalation_chain[1:2] == ("agency_head",):
        reason = _("Still late one working day after escalation: escalated to the head of the agency.")
        data = {"automatic": True, "to": "agency_head", "agency": case.agency_id}
    else:
        reason = _("Still late one working day after escalation: escalated to the inspectorate.")
        data = {"automatic": True, "to": "inspectorate", "inspectorate": inspectorate}
    try:
        case_transition(case, CaseCommand(action="escalate", actor=None, system=True, at=now, reason=reason,
                        data=data, expected_version=case.version))
    except CaseError as exc:
        result.failed += 1
        logger.warning("escalation of case %s failed: %s", case.pk, exc)
        return False
    return True
