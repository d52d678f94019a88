"""The figures of the PPID's annual report (Perki 1/2021 art. 56; docs/regulations.md §11), per agency and
for the whole government: requests received (online / offline), answered, answered in time, granted in full
or in part, refused by exemption ground, average and maximum working days, objections and their outcomes,
disputes. A year's requests are those received in it; their answers, objections and disputes are counted
whenever they came."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from balai.agencies.models import Agency
from balai.cases.models import Case, CaseKind
from balai.ppid.effects import ONLINE_CHANNELS
from balai.ppid.models import ArchiveEntry, Dispute, Objection, Outcome

FIGURES = ("received", "online", "offline", "answered", "in_time", "granted", "partial", "refused",
           "avg_days", "max_days", "objections", "objections_upheld", "objections_partial",
           "objections_rejected", "disputes")


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(FIGURES, 0), "avg_days": None, "max_days": None, "refused_by_ground": {}}


def _finish(row: dict[str, Any], days: list[int], grounds: Counter) -> dict[str, Any]:
    if days:
        avg = Decimal(sum(days)) / Decimal(len(days))
        row["avg_days"] = str(avg.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        row["max_days"] = max(days)
    row["refused_by_ground"] = dict(sorted(grounds.items()))
    return row


def annual_figures(*, government_id: int, year: int) -> dict[str, Any]:
    """{"government": figures, "agencies": [{"slug", "name", **figures}, ...]} of `year`."""
    cases = (Case.objects.filter(kind=CaseKind.INFORMATION_REQUEST, government_id=government_id,
                                 submitted_at__year=year).values_list("pk", "agency_id", "channel"))
    agency_of: dict[int, int] = {}
    rows: dict[int, dict[str, Any]] = defaultdict(_empty)
    total = _empty()
    for pk, agency_id, channel in cases.iterator(chunk_size=5000):
        agency_of[pk] = agency_id
        key = "online" if channel in ONLINE_CHANNELS else "offline"
        for row in (rows[agency_id], total):
            row["received"] += 1
            row[key] += 1
    days: dict[int | None, list[int]] = defaultdict(list)
    grounds: dict[int | None, Counter] = defaultdict(Counter)
    entries = (ArchiveEntry.objects.filter(government_id=government_id, case__submitted_at__year=year,
                                           case__kind=CaseKind.INFORMATION_REQUEST)
               .values_list("case_id", "outcome", "on_time", "working_days", "exemption"))
    columns: dict[str, str] = {Outcome.GRANTED: "granted", Outcome.PARTIAL: "partial", Outcome.REFUSED: "refused"}
    for case_id, outcome, on_time, taken, exemption in entries.iterator(chunk_size=5000):
        answering = agency_of.get(case_id)
        if answering is None:
            continue
        for group, row in ((answering, rows[answering]), (None, total)):
            row["answered"] += 1
            row["in_time"] += 1 if on_time else 0
            row[columns[outcome]] += 1
            if outcome == Outcome.REFUSED:
                grounds[group][exemption or "-"] += 1
            if taken is not None:
                days[group].append(taken)
    decisions: dict[str, str] = {Objection.Decision.UPHELD: "objections_upheld",
                                 Objection.Decision.PARTIAL: "objections_partial",
                                 Objection.Decision.REJECTED: "objections_rejected"}
    for case_id, decision in Objection.objects.filter(case_id__in=list(agency_of)).values_list("case_id", "decision"):
        for row in (rows[agency_of[case_id]], total):
            row["objections"] += 1
            if decision in decisions:
                row[decisions[decision]] += 1
    for (case_id,) in Dispute.objects.filter(objection__case_id__in=list(agency_of)).values_list("objection__case_id"):
        for row in (rows[agency_of[case_id]], total):
            row["disputes"] += 1
    names = {a.pk: a for a in Agency.objects.filter(pk__in=list(rows))}
    agencies = [{"slug": names[pk].slug, "name": names[pk].short_name or names[pk].name_id,
                 **_finish(row, days[pk], grounds[pk])} for pk, row in rows.items()]
    agencies.sort(key=lambda r: (-r["received"], r["name"]))
    return {"year": year, "government": _finish(total, days[None], grounds[None]), "agencies": agencies}
