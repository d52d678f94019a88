"""Transparency figures for pages and open data. Reads ONLY the roll-up tables (plus names of agencies and
regions), never the case table, so pages stay fast at a million cases (ADR 0010).

Periods are whole months: `start` / `end` are dates (any day of the month; both inclusive; None = open).
`kind` limits to one case kind (None = all kinds). See `balai.transparency.figures.Figures` for the figures
and `balai.transparency.facts` for what is counted in which month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias, cast

from django.db import connections
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Government, Unit
from balai.catalog.models import ComplaintCategory, Service
from balai.transparency.facts import ALL_KINDS
from balai.transparency.figures import MIN_CELL, SUPPRESSED, Figures, figures_from, merge, merge_hists
from balai.transparency.models import MEASURES, RollupCell, RollupCursor, Scope, Split

if TYPE_CHECKING:
    from django.db.models import Model

    from balai.agencies.models import Government

# A government, its primary key, or None for the instance's own (`default_government`).
GovernmentRef: TypeAlias = "Government | int | None"
# An agency, unit, service or category, or its primary key.
EntityRef: TypeAlias = "Model | int"

SPLITS = ("channel", "area", "regency", "district", "accommodation")
AGE_BUCKETS = ((0, 1, "0-1"), (1, 3, "1-3"), (3, 6, "3-6"), (6, 12, "6-12"), (12, None, "12+"))

# Figures an agency ranking can be sorted by → True when higher is better (sorted descending by default).
RANK_FIGURES: dict[str, bool] = {
    "received": True, "closed": True, "open": False, "median_days": False, "p90_days": False,
    "closed_on_time_pct": True, "complaints_verified_3_pct": True, "complaints_followed_up_5_pct": True,
    "info_answered_on_time_pct": True, "objections": False, "ikm_converted": True, "backlog": False,
}
# Figures compared with the overall one in the inclusion gap.
GAP_FIGURES = ("median_days", "p90_days", "closed_on_time_pct", "complaints_verified_3_pct",
               "complaints_followed_up_5_pct", "info_answered_on_time_pct", "ikm_converted")


@dataclass(frozen=True)
class Backlog:
    """Cases open now (all periods), by months since submission."""

    total: int
    by_age: dict[str, int]  # "0-1", "1-3", "3-6", "6-12", "12+" months
    oldest_month: date | None


@dataclass(frozen=True)
class MonthFigures:
    month: date
    figures: Figures


@dataclass(frozen=True)
class RankingRow:
    rank: int
    agency_id: int
    slug: str
    short_name: str
    name: str
    figures: Figures
    backlog: int
    name_en: str = ""


@dataclass(frozen=True)
class GapRow:
    value: str  # channel / "city" "regency" "unknown" / region code / accommodation need / "none"
    label: str
    figures: Figures  # SUPPRESSED when fewer than `min_cases` cases
    suppressed: bool
    gap: dict[str, Decimal | None] = field(default_factory=dict)  # figure → row − overall


@dataclass(frozen=True)
class GapReport:
    split: str
    scope: str
    scope_id: int
    overall: Figures
    rows: list[GapRow]
    min_cases: int = MIN_CELL


# --------------------------------------------------------------------------------------------------
# cells


def _month(d: date | None) -> date | None:
    return d.replace(day=1) if d is not None else None


def _pk(entity: EntityRef) -> int:
    return cast(int, getattr(entity, "pk", entity))  # an instance's key, or the key as given


def _government_id(government: GovernmentRef) -> int:
    if government is None:
        from balai.agencies.selectors import default_government

        government = default_government()
    return government if isinstance(government, int) else government.pk


def cells(*, scope: str, scope_id: int | None = None, split: str = "", value: str | None = None,
          kind: str | None = None, start: date | None = None, end: date | None = None,
          government: GovernmentRef = None, per_kind: bool = False) -> QuerySet[RollupCell]:
    """The roll-up rows of a scope (scope_id None = every entity of that scope in the government).

    `kind` None reads the all-kinds rows; `per_kind=True` (with `kind` None) reads the per-kind rows instead.
    """
    qs = RollupCell.objects.filter(scope=scope, split=split)
    if scope_id is not None:
        qs = qs.filter(scope_id=scope_id)
    else:
        qs = qs.filter(government_id=_government_id(government))
    if value is not None:
        qs = qs.filter(value=value)
    if per_kind and not kind:
        qs = qs.exclude(kind=ALL_KINDS)
    else:
        qs = qs.filter(kind=kind or ALL_KINDS)  # "*" cells hold all kinds summed (fewer rows to read)
    if start is not None:
        qs = qs.filter(month__gte=_month(start))
    if end is not None:
        qs = qs.filter(month__lte=_month(end))
    return qs


_JSON_EACH = {"postgresql": "jsonb_each_text", "sqlite": "json_each"}
_GROUPABLE = frozenset({"scope_id", "value", "kind", "month", "split", "scope"})


def _hists(qs: QuerySet[RollupCell], group: tuple[str, ...]) -> dict[tuple, list]:
    """Histograms per group, summed by the database where it can expand JSON (one row per group and day)."""
    db = connections[qs.db]  # where the router sends this read (the replica for public pages, ADR 0022)
    each = _JSON_EACH.get(db.vendor)
    hists: dict[tuple, list] = defaultdict(list)
    if each is None:
        for row in qs.values_list(*group, "close_hist").order_by():
            hists[tuple(row[:-1])].append(row[-1])
        return hists
    if not set(group) <= _GROUPABLE:  # names go into the SQL text: only known columns
        raise ValueError(group)
    inner, params = qs.values(*group, "close_hist").order_by().query.sql_with_params()
    cols = ", ".join(f'c."{name}"' for name in group)
    select = f"{cols}, " if group else ""
    # Fixed column names only (checked above); every value is bound as a parameter.
    sql = f"SELECT {select}h.key, SUM(CAST(h.value AS INTEGER)) FROM ({inner}) AS c, {each}(c.close_hist) AS h GROUP BY {select}h.key"  # noqa: E501, S608 # nosec B608 # fixed column names
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            g = tuple(date.fromisoformat(v) if name == "month" and isinstance(v, str) else v
                      for name, v in zip(group, row, strict=False))
            hists[g].append({row[-2]: int(row[-1])})
    return hists


def _rows(qs: QuerySet[RollupCell], *group: str) -> dict[tuple, tuple[dict[str, int], dict[int, int]]]:
    """Merge cells grouped by the given fields: measures summed in SQL, histograms merged here."""
    totals = {f"t_{m}": Sum(m) for m in MEASURES}
    if group:
        sums = list(qs.values(*group).annotate(**totals).order_by())
    else:  # values() without fields would group by every column
        total = qs.aggregate(**totals)
        sums = [total] if total["t_received"] is not None else []
    hists = _hists(qs.filter(closed__gt=0), group)
    return {
        tuple(row[name] for name in group): ({m: int(row[f"t_{m}"] or 0) for m in MEASURES},
                                             merge_hists(hists.get(tuple(row[name] for name in group), ())))
        for row in sums
    }


def _figures(qs: QuerySet[RollupCell], *, min_cases: int = 0) -> Figures:
    merged = _rows(qs)
    sums, hist = merged.get((), merge([]))
    return figures_from(sums, hist, min_cases=min_cases)


def _scope_figures(scope: str, scope_id: int, *, kind: str | None, start: date | None, end: date | None) -> Figures:
    return _figures(cells(scope=scope, scope_id=scope_id, kind=kind, start=start, end=end))


# --------------------------------------------------------------------------------------------------
# figures per scope


def overview(*, government: GovernmentRef = None, kind: str | None = None, start: date | None = None,
             end: date | None = None) -> Figures:
    """The whole government's figures (default: the instance's government)."""
    return _scope_figures(Scope.GOVERNMENT, _government_id(government), kind=kind, start=start, end=end)


def agency_figures(*, agency: EntityRef, kind: str | None = None, start: date | None = None,
                   end: date | None = None) -> Figures:
    return _scope_figures(Scope.AGENCY, _pk(agency), kind=kind, start=start, end=end)


def unit_figures(*, unit: EntityRef, kind: str | None = None, start: date | None = None,
                 end: date | None = None) -> Figures:
    return _scope_figures(Scope.UNIT, _pk(unit), kind=kind, start=start, end=end)


def service_figures(*, service: EntityRef, start: date | None = None, end: date | None = None) -> Figures:
    return _scope_figures(Scope.SERVICE, _pk(service), kind=None, start=start, end=end)


def category_figures(*, category: EntityRef, kind: str | None = None, start: date | None = None,
                     end: date | None = None) -> Figures:
    return _scope_figures(Scope.CATEGORY, _pk(category), kind=kind, start=start, end=end)


def backlog(*, scope: str = Scope.GOVERNMENT, scope_id: int | None = None, kind: str | None = None,
            today: date | None = None, government: GovernmentRef = None) -> Backlog:
    """Open cases of a scope, by age in months since submission (all periods)."""
    if scope_id is None:
        scope_id = _government_id(government)
    today = today or timezone.localdate()
    qs = cells(scope=scope, scope_id=scope_id, kind=kind).filter(open_now__gt=0)
    per_month = dict(qs.values_list("month").annotate(n=Sum("open_now")).order_by("month"))
    by_age = {label: 0 for _low, _high, label in AGE_BUCKETS}
    for month, n in per_month.items():
        age = (today.year - month.year) * 12 + today.month - month.month
        for low, high, label in AGE_BUCKETS:
            if age >= low and (high is None or age < high):
                by_age[label] += n
                break
    return Backlog(total=sum(per_month.values()), by_age=by_age, oldest_month=min(per_month, default=None))


def trends(*, scope: str = Scope.GOVERNMENT, scope_id: int | None = None, kind: str | None = None,
           start: date | None = None, end: date | None = None, government: GovernmentRef = None) -> list[MonthFigures]:
    """Month-by-month figures (months without any data in between are filled with zeros)."""
    if scope_id is None:
        scope_id = _government_id(government)
    merged = _rows(cells(scope=scope, scope_id=scope_id, kind=kind, start=start, end=end), "month")
    if not merged:
        return []
    months = sorted(m for (m,) in merged)
    first, last = _month(start) or months[0], _month(end) or months[-1]
    out = []
    current = first
    while current <= last:
        sums, hist = merged.get((current,), merge([]))
        out.append(MonthFigures(month=current, figures=figures_from(sums, hist)))
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return out


def available_months(*, government: GovernmentRef = None) -> list[date]:
    """Months that have any data, oldest first."""
    return list(cells(scope=Scope.GOVERNMENT, scope_id=_government_id(government))
                .values_list("month", flat=True).distinct().order_by("month"))


def _sort_value(row: RankingRow, by: str) -> Decimal | float | None:
    if by == "backlog":
        return row.backlog
    if by == "ikm_converted":
        return row.figures.ikm_converted
    return getattr(row.figures, by)


def agency_ranking(*, government: GovernmentRef = None, sort: str = "received", descending: bool | None = None,
                   kind: str | None = None, start: date | None = None, end: date | None = None,
                   include_empty: bool = False) -> list[RankingRow]:
    """Agencies of the government with their figures, sorted by one of `RANK_FIGURES` (unknown → ValueError).

    By default the better value comes first (`descending` follows `RANK_FIGURES`); agencies without a value
    for the figure come last whatever the order. Ties keep the agencies' short-name order.
    """

    if sort not in RANK_FIGURES:
        raise ValueError(sort)
    gov_id = _government_id(government)
    merged = _rows(cells(scope=Scope.AGENCY, government=gov_id, kind=kind, start=start, end=end), "scope_id")
    open_now = dict(cells(scope=Scope.AGENCY, government=gov_id, kind=kind).values_list("scope_id")
                    .annotate(n=Sum("open_now")).order_by())
    agencies = Agency.objects.filter(government_id=gov_id).order_by("short_name")
    if not include_empty:
        agencies = agencies.filter(pk__in=[pk for (pk,) in merged] + list(open_now))
    rows = []
    for agency in agencies:
        sums, hist = merged.get((agency.pk,), merge([]))
        rows.append(RankingRow(rank=0, agency_id=agency.pk, slug=agency.slug, short_name=agency.short_name,
                               name=agency.name_id, figures=figures_from(sums, hist),
                               backlog=int(open_now.get(agency.pk) or 0), name_en=agency.name_en))
    desc = RANK_FIGURES[sort] if descending is None else descending
    present = [r for r in rows if _sort_value(r, sort) is not None]
    missing = [r for r in rows if _sort_value(r, sort) is None]
    present.sort(key=lambda r: cast("Decimal | float", _sort_value(r, sort)), reverse=desc)
    return ([replace(row, rank=i) for i, row in enumerate(present, start=1)]
            + [replace(row, rank=0) for row in missing])


# --------------------------------------------------------------------------------------------------
# inclusion gap


def _labels(split: str, values: list[str]) -> dict[str, str]:
    from balai.catalog.models import Accommodation, Channel

    if split == "channel":
        return {v: str(Channel(v).label) if v in Channel.values else v for v in values}
    if split == "area":
        names = {"city": _("Cities (kota)"), "regency": _("Regencies (kabupaten)")}
        return {v: names.get(v, _("Region not given")) for v in values}
    if split == "accommodation":
        names = {"none": _("No accommodation need"), "other": _("Other need")}
        return {v: str(Accommodation(v).label) if v in Accommodation.values else names.get(v, v) for v in values}
    if split in ("regency", "district"):
        from balai.agencies.models import Region

        names = dict(Region.objects.filter(code__in=values).values_list("code", "name"))
        return {v: names.get(v, _("Region not given") if v == "unknown" else v) for v in values}
    return {v: v for v in values}


def _gap(row: Figures, overall: Figures) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for name in GAP_FIGURES:
        mine = row.ikm_converted if name == "ikm_converted" else getattr(row, name)
        base = overall.ikm_converted if name == "ikm_converted" else getattr(overall, name)
        out[name] = Decimal(mine) - Decimal(base) if mine is not None and base is not None else None
    return out


def inclusion_gap(*, split: str, scope: str = Scope.GOVERNMENT, scope_id: int | None = None,
                  kind: str | None = None, start: date | None = None, end: date | None = None,
                  min_cases: int = MIN_CELL, government: GovernmentRef = None) -> GapReport:
    """The figures split by channel, area (city vs regency), regency/city, district (government scope only) or
    accommodation need, each with its gap to the overall figure (row − overall; for days, positive = slower).

    Rows with fewer than `min_cases` cases received are suppressed: `suppressed=True`, all figures None —
    the small number itself is never returned. A case with several accommodation needs counts in each.
    """
    if split not in SPLITS or (split == "district" and scope != Scope.GOVERNMENT):
        raise ValueError(split)
    if scope_id is None:
        scope_id = _government_id(government)
    overall = _scope_figures(scope, scope_id, kind=kind, start=start, end=end)
    merged = _rows(cells(scope=scope, scope_id=scope_id, split=split, kind=kind, start=start, end=end), "value")
    labels = _labels(split, [v for (v,) in merged])
    rows = []
    for (value,), (sums, hist) in merged.items():
        figures = figures_from(sums, hist, min_cases=min_cases)
        rows.append(GapRow(value=value, label=labels[value], figures=figures, suppressed=figures.suppressed,
                           gap={} if figures.suppressed else _gap(figures, overall)))
    rows.sort(key=lambda r: (r.suppressed, r.label))
    return GapReport(split=split, scope=scope, scope_id=scope_id, overall=overall, rows=rows, min_cases=min_cases)


def describe_gap(row: GapRow, *, figure: str = "median_days") -> str:
    """A plain sentence for a gap row, e.g. "Mahakam Ulu: 2.3 working days longer than overall."."""
    from django.utils.formats import number_format

    def n(number: Decimal | float | int) -> str:  # "1,5" in Indonesian, "1.5" in English
        return number_format(number, use_l10n=True)

    value = row.gap.get(figure)
    if row.suppressed:
        return _("%(label)s: fewer than %(n)d cases, not shown.") % {"label": row.label, "n": MIN_CELL}
    if value is None:
        return _("%(label)s: no data.") % {"label": row.label}
    if figure in ("median_days", "p90_days"):
        if value > 0:
            return _("%(label)s: %(n)s working days longer than overall.") % {"label": row.label, "n": n(value)}
        if value < 0:
            return _("%(label)s: %(n)s working days shorter than overall.") % {"label": row.label, "n": n(-value)}
        return _("%(label)s: the same as overall.") % {"label": row.label}
    if value > 0:
        return _("%(label)s: %(n)s points higher than overall.") % {"label": row.label, "n": n(value)}
    if value < 0:
        return _("%(label)s: %(n)s points lower than overall.") % {"label": row.label, "n": n(-value)}
    return _("%(label)s: the same as overall.") % {"label": row.label}


# --------------------------------------------------------------------------------------------------
# open data


@dataclass(frozen=True)
class AggregateRow:
    scope: str
    scope_id: int
    split: str
    value: str
    kind: str
    month: date | None
    figures: Figures


def aggregate_rows(*, scope: str, split: str = "", government: GovernmentRef = None, kind: str | None = None,
                   start: date | None = None, end: date | None = None, by_month: bool = True,
                   by_kind: bool = True, min_cases: int | None = None) -> Iterator[AggregateRow]:
    """Rows for open-data downloads of a scope × split, one per entity, value, kind and month.

    Rows of a split (anything but "") are suppressed below `MIN_CELL` cases unless `min_cases` says
    otherwise; suppressed rows are still yielded (with `figures.suppressed`) so that gaps are visible.
    """
    if split and split not in SPLITS:
        raise ValueError(split)
    threshold = (MIN_CELL if split else 0) if min_cases is None else min_cases
    group = ["scope_id", "value"] + (["kind"] if by_kind else []) + (["month"] if by_month else [])
    qs = cells(scope=scope, split=split, kind=kind, start=start, end=end, government=government, per_kind=by_kind)
    merged = _rows(qs, *group)
    for g in sorted(merged, key=lambda t: tuple(str(x) for x in t)):
        parts = dict(zip(group, g, strict=True))
        sums, hist = merged[g]
        yield AggregateRow(scope=scope, scope_id=parts["scope_id"], split=split, value=parts["value"],
                           kind=parts.get("kind", kind or ALL_KINDS), month=parts.get("month"),
                           figures=figures_from(sums, hist, min_cases=threshold))


def last_updated() -> datetime | None:
    """When the roll-ups were last brought up to date (for 'last modified' in the open-data catalog)."""
    return RollupCursor.objects.filter(name="rollups").values_list("updated_at", flat=True).first()


__all__ = [
    "SPLITS", "RANK_FIGURES", "GAP_FIGURES", "SUPPRESSED", "MIN_CELL", "Backlog", "MonthFigures", "RankingRow",
    "GapRow", "GapReport", "AggregateRow", "Figures", "Split", "Scope", "cells", "overview", "agency_figures",
    "unit_figures", "service_figures", "category_figures", "backlog", "trends", "available_months",
    "agency_ranking", "inclusion_gap", "describe_gap", "aggregate_rows", "last_updated",
]


def scope_names(scope: str) -> dict[int, tuple[str, str]]:
    """id → (code, name) of the entities of a scope (small tables): the open datasets' labels."""
    if scope == "government":
        return {pk: ("", name) for pk, name in Government.objects.values_list("pk", "name")}
    if scope == "agency":
        return {pk: (slug, name) for pk, slug, name in Agency.objects.values_list("pk", "slug", "name_id")}
    if scope == "unit":
        return {pk: (f"{a}/{slug}", name)
                for pk, a, slug, name in Unit.objects.values_list("pk", "agency__slug", "slug", "name_id")}
    if scope == "service":
        return {pk: (code, name) for pk, code, name in Service.objects.values_list("pk", "code", "name_id")}
    return {pk: (slug, name) for pk, slug, name in ComplaintCategory.objects.values_list("pk", "slug", "name_id")}
