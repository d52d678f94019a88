"""Keeping the roll-ups current (ADR 0010): follow `cases.Event` (and `survey.SurveyResponse`) by id from a
stored cursor, recompute the touched cases' facts, and apply "new contribution − old contribution" to the
cells. `rebuild` recomputes everything from scratch in chunks. The engine never imports this module.

Concurrency: every run locks the cursor row (`select_for_update`), so two workers never interleave; and
applying a case twice changes nothing (its fact is already current), so re-reading is harmless. Event ids
below the cursor that were missing when a higher id was read (a transaction still in flight) are kept in
`RollupCursor.gaps` and looked for again for `GAP_SECONDS`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from balai.transparency.facts import case_fact, contribution_groups, parse_key
from balai.transparency.models import MEASURES, CaseFact, RollupCell, RollupCursor

CURSOR = "rollups"
GAP_SECONDS = 600
MAX_GAPS = 10_000
_IN_CHUNK = 500


@dataclass
class RunReport:
    events: int = 0
    responses: int = 0
    cases: int = 0
    cells: int = 0
    last_event_id: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _chunks(items: list[Any], size: int = _IN_CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _lock_cursor() -> RollupCursor:
    RollupCursor.objects.get_or_create(name=CURSOR)
    return RollupCursor.objects.select_for_update().get(name=CURSOR)


# What `facts.case_fact` reads of a case: long texts and answers are not fetched.
_CASE_FIELDS = ("government_id", "agency_id", "unit_id", "service_id", "complaint_category_id", "kind", "channel",
                "region__code", "accommodations", "has_accommodations", "submitted_at", "is_open", "closed_at",
                "elapsed_working_days", "due_at", "stopped_at")


def _load(case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """case id → fresh fact, for the cases that still exist."""
    from balai.cases.models import Case, Event
    from balai.survey.models import SurveyResponse

    facts: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(sorted(case_ids)):
        cases = {c.pk: c for c in Case.objects.filter(pk__in=chunk).select_related("region").only(*_CASE_FIELDS)}
        events: dict[int, list[Any]] = defaultdict(list)
        for ev in (Event.objects.filter(case_id__in=chunk).only("id", "case_id", "action", "data", "at")
                   .order_by("id")):
            events[ev.case_id].append(ev)
        responses = {r.case_id: r for r in SurveyResponse.objects.filter(case_id__in=chunk)}
        for pk, case in cases.items():
            facts[pk] = case_fact(case, events.get(pk, ()), responses.get(pk))
    return facts


def _add_fact(target: dict[str, dict[str, int]], fact: dict[str, Any] | None, sign: int) -> None:
    """Add `sign` × the fact's contributions (`facts.contributions`) to `target`, without per-key copies."""
    if not fact:
        return
    for keys, measures in contribution_groups(fact):
        items = [(name, sign * value) for name, value in measures.items()]
        for key in keys:
            cell = target.get(key)
            if cell is None:
                cell = target[key] = {"_g": fact["g"]}
            for name, value in items:
                cell[name] = cell.get(name, 0) + value


def _apply_to(cell: RollupCell, measures: dict[str, int]) -> None:
    hist = dict(cell.close_hist or {})
    for name, value in measures.items():
        if name == "_g" or not value:
            continue
        if name.startswith("h"):
            days = name[1:]
            hist[days] = hist.get(days, 0) + value
            if not hist[days]:
                del hist[days]
        else:
            setattr(cell, name, getattr(cell, name) + value)
    cell.close_hist = hist


def _is_empty(cell: RollupCell) -> bool:
    return not cell.close_hist and not any(getattr(cell, m) for m in MEASURES)


def _new_cell(key: str, government_id: int) -> RollupCell:
    parts = parse_key(key)
    year, month = (int(x) for x in parts["month"].split("-"))
    return RollupCell(key=key, government_id=government_id, scope=parts["scope"], scope_id=parts["scope_id"],
                      split=parts["split"], value=parts["value"], kind=parts["kind"], month=date(year, month, 1))


def apply_deltas(deltas: dict[str, dict[str, int]]) -> int:
    """Add `deltas` (cell key → measure → delta) to the cells; drop cells that become empty."""
    keys = [k for k, m in deltas.items() if any(v for n, v in m.items() if n != "_g")]
    touched = 0
    for chunk in _chunks(keys):
        existing = {c.key: c for c in RollupCell.objects.filter(key__in=chunk)}
        create: list[RollupCell] = []
        update: list[RollupCell] = []
        delete: list[int] = []
        for key in chunk:
            cell = existing.get(key) or _new_cell(key, deltas[key]["_g"])
            _apply_to(cell, deltas[key])
            if cell.pk is None:
                if not _is_empty(cell):
                    create.append(cell)
            elif _is_empty(cell):
                delete.append(cell.pk)
            else:
                update.append(cell)
        RollupCell.objects.bulk_create(create)
        if update:
            RollupCell.objects.bulk_update(update, [*MEASURES, "close_hist"])
        if delete:
            RollupCell.objects.filter(pk__in=delete).delete()
        touched += len(create) + len(update) + len(delete)
    return touched


def refresh_cases(case_ids: Iterable[int]) -> int:
    """Recompute these cases' facts and apply the difference to the cells. Returns cells touched."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    new = _load(ids)
    old = {f.case_id: f for chunk in _chunks(ids) for f in CaseFact.objects.filter(case_id__in=chunk)}
    deltas: dict[str, dict[str, int]] = {}
    create, update, delete = [], [], []
    for pk in ids:
        before = old[pk].data if pk in old else None
        after = new.get(pk)
        if before == after:
            continue
        _add_fact(deltas, before, -1)
        _add_fact(deltas, after, +1)
        if after is None:
            delete.append(pk)
        elif pk in old:
            old[pk].data = after
            update.append(old[pk])
        else:
            create.append(CaseFact(case_id=pk, data=after))
    CaseFact.objects.bulk_create(create)
    if update:
        CaseFact.objects.bulk_update(update, ["data"])
    if delete:
        CaseFact.objects.filter(case_id__in=delete).delete()
    return apply_deltas(deltas)


def _expire(gaps: dict[str, str], now: datetime) -> dict[str, str]:
    limit = now - timedelta(seconds=GAP_SECONDS)
    kept = {k: v for k, v in gaps.items() if datetime.fromisoformat(v) > limit}
    if len(kept) > MAX_GAPS:
        kept = dict(sorted(kept.items(), key=lambda kv: int(kv[0]))[-MAX_GAPS:])
    return kept


def update_once(*, batch_size: int = 2000) -> RunReport:
    """One batch: events and survey responses after the cursor (plus known gaps), in one transaction."""
    from balai.cases.models import Event
    from balai.survey.models import SurveyResponse

    report = RunReport()
    with transaction.atomic():
        cursor = _lock_cursor()
        now = timezone.now()
        rows = list(Event.objects.filter(id__gt=cursor.last_event_id).order_by("id")
                    .values_list("id", "case_id")[:batch_size])
        gaps = dict(cursor.gaps or {})
        if gaps:
            for chunk in _chunks([int(g) for g in gaps]):
                for pk, case_id in Event.objects.filter(id__in=chunk).values_list("id", "case_id"):
                    rows.append((pk, case_id))
                    gaps.pop(str(pk), None)
        fresh = [r for r in rows if r[0] > cursor.last_event_id]
        # A fresh cursor has no "before": sequences need not start at 1 (PostgreSQL keeps counting after
        # rollbacks), so only holes after the first id seen are gaps.
        expected = cursor.last_event_id + 1 if cursor.last_event_id else min((r[0] for r in fresh), default=1)
        for pk, _case in sorted(fresh):
            for missing in range(expected, pk):
                gaps.setdefault(str(missing), now.isoformat())
            expected = pk + 1
        responses = list(SurveyResponse.objects.filter(id__gt=cursor.last_response_id).order_by("id")
                         .values_list("id", "case_id")[:batch_size])
        touched = {case_id for _pk, case_id in rows} | {case_id for _pk, case_id in responses}
        report.cells = refresh_cases(touched)
        report.cases = len(touched)
        report.events = len(rows)
        report.responses = len(responses)
        new_last = max([cursor.last_event_id, *(pk for pk, _c in rows)])
        new_gaps = _expire(gaps, now)
        # Saved only when something moved: `updated_at` is the figures' "last modified", and the pages'
        # caches are keyed on it, so an idle minute must not invalidate them.
        if rows or responses or new_gaps != (cursor.gaps or {}):
            cursor.last_event_id = new_last
            if responses:
                cursor.last_response_id = responses[-1][0]
            cursor.gaps = new_gaps
            cursor.save()
        report.last_event_id = new_last
    return report


def update(*, batch_size: int = 2000, max_batches: int = 1000) -> RunReport:
    """Catch up completely (in batches of `batch_size` events, each its own transaction)."""
    total = RunReport()
    for _ in range(max_batches):
        run = update_once(batch_size=batch_size)
        total.events += run.events
        total.responses += run.responses
        total.cases += run.cases
        total.cells += run.cells
        total.last_event_id = run.last_event_id
        if run.events < batch_size and run.responses < batch_size:
            break
    return total


def _insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> None:
    """Plain INSERTs of ready tuples (COPY on PostgreSQL). In a rebuild the ORM's per-field preparation of
    a cell's ~40 columns took most of the time; the values here are already of the columns' types."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 # nosec B608 # fixed column names, values bound
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 1000:
                cur.executemany(sql, batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)


_CELL_COLUMNS = ["key", "government_id", "scope", "scope_id", "split", "value", "kind", "month", "close_hist",
                 *MEASURES]


def _cell_row(key: str, measures: dict[str, int]) -> tuple | None:
    """The row of a new cell holding `measures` (as `_new_cell` + `_apply_to`), or None when empty."""
    hist = {name[1:]: v for name, v in measures.items() if name.startswith("h") and v}
    values = [measures.get(name, 0) for name in MEASURES]
    if not hist and not any(values):
        return None
    parts = parse_key(key)
    return (key, measures["_g"], parts["scope"], parts["scope_id"], parts["split"], parts["value"],
            parts["kind"], f"{parts['month']}-01", json.dumps(hist), *values)


def rebuild(*, chunk_size: int = 5000, progress: Callable[[str], None] | None = None) -> RunReport:
    """Recompute every fact and cell from the cases (chunked by case id; one transaction).

    Events committed after the start are above the saved cursor, so the next `update` applies them.
    """
    from balai.cases.models import Case, Event
    from balai.survey.models import SurveyResponse

    report = RunReport()
    with transaction.atomic():
        cursor = _lock_cursor()
        last_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        last_response = SurveyResponse.objects.order_by("-id").values_list("id", flat=True).first() or 0
        CaseFact.objects.all().delete()
        RollupCell.objects.all().delete()
        cells: dict[str, dict[str, int]] = {}
        after = 0
        while True:
            ids = list(Case.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:chunk_size])
            if not ids:
                break
            after = ids[-1]
            facts = _load(ids)
            _insert_rows(CaseFact, ["case_id", "data"], ((pk, json.dumps(f)) for pk, f in facts.items()))
            for fact in facts.values():
                _add_fact(cells, fact, +1)
            report.cases += len(facts)
            if progress:
                progress(f"{report.cases} cases")
        rows = [row for key, measures in cells.items() if (row := _cell_row(key, measures)) is not None]
        _insert_rows(RollupCell, _CELL_COLUMNS, rows)
        report.cells = len(rows)
        cursor.last_event_id = last_event
        cursor.last_response_id = last_response
        cursor.gaps = {}
        cursor.rebuilt_at = timezone.now()
        cursor.save()
        report.last_event_id = last_event
    return report
