"""Public performance pages (/kinerja/): read only the transparency selectors (roll-ups), never cases.

Every chart (`balai.opendata.charts`) comes with a data table of the same numbers in the template.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.agencies.selectors import agency_by_slug
from balai.catalog.selectors import all_services_of, service_by_code
from balai.i18n import current_language
from balai.opendata.charts import bar_chart, hbar_chart, line_chart
from balai.opendata.periods import ALL, Period, parse_period, period_choices
from balai.transparency import selectors as t

TREND_MONTHS = 12
MONTH_LABELS = [gettext_lazy("Jan"), gettext_lazy("Feb"), gettext_lazy("Mar"), gettext_lazy("Apr"),
                gettext_lazy("May"), gettext_lazy("Jun"), gettext_lazy("Jul"), gettext_lazy("Aug"),
                gettext_lazy("Sep"), gettext_lazy("Oct"), gettext_lazy("Nov"), gettext_lazy("Dec")]
FIGURE_LABELS = {
    "received": gettext_lazy("Received"),
    "closed": gettext_lazy("Closed"),
    "open": gettext_lazy("Still open"),
    "median_days": gettext_lazy("Median working days to close"),
    "p90_days": gettext_lazy("Working days to close, 90th percentile"),
    "closed_on_time_pct": gettext_lazy("Closed within the deadline (%)"),
    "complaints_verified_3_pct": gettext_lazy("Complaints verified within 3 working days (%)"),
    "complaints_followed_up_5_pct": gettext_lazy("Complaints followed up within 5 working days (%)"),
    "info_answered_on_time_pct": gettext_lazy("Information requests answered on time (%)"),
    "objections": gettext_lazy("Objections"),
    "ikm_converted": gettext_lazy("Satisfaction index (IKM)"),
    "backlog": gettext_lazy("Open cases now"),
}
SHORT_LABELS = {
    "received": gettext_lazy("Received"), "closed": gettext_lazy("Closed"), "open": gettext_lazy("Open"),
    "median_days": gettext_lazy("Median days"), "p90_days": gettext_lazy("p90 days"),
    "closed_on_time_pct": gettext_lazy("On time %"), "complaints_verified_3_pct": gettext_lazy("Verified ≤3 d %"),
    "complaints_followed_up_5_pct": gettext_lazy("Followed up ≤5 d %"),
    "info_answered_on_time_pct": gettext_lazy("Information on time %"), "objections": gettext_lazy("Objections"),
    "ikm_converted": gettext_lazy("IKM"), "backlog": gettext_lazy("Open now"),
}
GAP_SPLITS = {"government": ("channel", "area", "regency", "accommodation"),
              "agency": ("channel", "area", "accommodation")}
SPLIT_TITLES = {
    "channel": gettext_lazy("By channel"),
    "area": gettext_lazy("Cities and regencies"),
    "regency": gettext_lazy("By regency or city"),
    "district": gettext_lazy("By district"),
    "accommodation": gettext_lazy("By accommodation need"),
}
AGE_LABELS = {"0-1": gettext_lazy("< 1 month"), "1-3": gettext_lazy("1–3 months"),
              "3-6": gettext_lazy("3–6 months"), "6-12": gettext_lazy("6–12 months"),
              "12+": gettext_lazy("> 12 months")}


_CACHE: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_ENTRIES = 512


def cached_context(key: tuple, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The page's figures, computed once per state of the roll-ups (per process, least recently used out).

    The key holds the roll-ups' last update time, so a page never shows figures older than the roll-ups
    themselves (they change at most once a minute, ADR 0010); without it every view would merge the cells
    again. The context, not the HTML, is kept: the page carries a per-visitor CSRF token.
    """
    updated = t.last_updated()
    if updated is None:  # roll-ups never run: nothing worth keeping
        return build()
    full = (*key, updated)
    with _CACHE_LOCK:
        if full in _CACHE:
            _CACHE.move_to_end(full)
            return _CACHE[full]
    context = build()
    with _CACHE_LOCK:
        _CACHE[full] = context
        while len(_CACHE) > CACHE_ENTRIES:
            _CACHE.popitem(last=False)
    return context


def month_label(month: date) -> str:
    return f"{MONTH_LABELS[month.month - 1]} {month.year % 100:02d}"


def _trend_start() -> date | None:
    months = t.available_months()
    return months[-TREND_MONTHS] if len(months) > TREND_MONTHS else None


def _trend_charts(prefix: str, *, scope: str, scope_id: int | None, name: str,
                  period: Period = ALL) -> dict[str, Any]:
    if period.start is not None:
        series = t.trends(scope=scope, scope_id=scope_id, start=period.start, end=period.end)
    else:
        series = t.trends(scope=scope, scope_id=scope_id, start=_trend_start())[-TREND_MONTHS:]
    if not series:
        return {}
    first, last = month_label(series[0].month), month_label(series[-1].month)
    received = bar_chart(
        chart_id=f"{prefix}-received", title=_("Cases received per month, %(name)s") % {"name": name},
        desc=_("Bar chart of the cases received each month from %(first)s to %(last)s; the table below gives "
               "the same numbers.") % {"first": first, "last": last},
        items=[(month_label(m.month), m.figures.received) for m in series])
    median = line_chart(
        chart_id=f"{prefix}-median", title=_("Median working days to close per month, %(name)s") % {"name": name},
        desc=_("Line chart of the median working days to close the cases closed each month from %(first)s to "
               "%(last)s; months without closed cases have no point. The table below gives the same numbers.")
        % {"first": first, "last": last},
        items=[(month_label(m.month), m.figures.median_days) for m in series])
    return {"received": received, "median": median}


def _backlog_chart(prefix: str, backlog: t.Backlog) -> Any:
    return bar_chart(chart_id=f"{prefix}-backlog", title=_("Open cases by age"),
                     desc=_("Bar chart of the %(n)d cases open now, by months since submission; the table below "
                            "gives the same numbers.") % {"n": backlog.total},
                     items=[(str(AGE_LABELS[k]), v) for k, v in backlog.by_age.items()])


def _gaps(prefix: str, *, scope: str, scope_id: int | None, period: Period = ALL) -> list[dict[str, Any]]:
    sections = []
    for split in GAP_SPLITS[scope]:
        report = t.inclusion_gap(split=split, scope=scope, scope_id=scope_id, start=period.start, end=period.end)
        if not report.rows:
            continue
        shown = [r for r in report.rows if not r.suppressed]
        chart = None
        if any(r.gap.get("median_days") is not None for r in shown):
            chart = hbar_chart(
                chart_id=f"{prefix}-gap-{split}",
                title=_("Gap in median working days to close, %(split)s") % {"split": SPLIT_TITLES[split]},
                desc=_("Horizontal bars: working days above (right) or below (left) the overall median of "
                       "%(median)s; groups with fewer than %(n)d cases are not shown. The table below gives the "
                       "same numbers.") % {"median": report.overall.median_days if report.overall.median_days
                                           is not None else "–", "n": report.min_cases},
                items=[(r.label, r.gap.get("median_days")) for r in shown])
        sections.append({"split": split, "title": SPLIT_TITLES[split], "report": report, "chart": chart,
                         "sentences": [t.describe_gap(r) for r in report.rows if r.suppressed
                                       or r.gap.get("median_days")],
                         "suppressed": sum(1 for r in report.rows if r.suppressed)})
    return sections


def _period(request: HttpRequest, keep: tuple[str, ...] = ()) -> tuple[Period, dict[str, Any]]:
    """The page's period (`?periode=`) and what the period menu needs."""
    parsed = parse_period(request.GET.get("periode"))
    period = parsed or ALL
    lang = current_language()
    return period, {
        "period": period, "period_label": period.label(lang), "period_unknown": parsed is None,
        "period_choices": period_choices(t.available_months(), lang),
        "period_keep": [(k, request.GET[k]) for k in keep if request.GET.get(k)],
    }


def overview(request: HttpRequest) -> HttpResponse:
    period, menu = _period(request)
    context = cached_context(("overview", request.LANGUAGE_CODE, period.key), lambda: _overview_context(period))
    return render(request, "opendata/overview.html", {**context, **menu})


def _overview_context(period: Period = ALL) -> dict[str, Any]:
    figures = t.overview(start=period.start, end=period.end)
    backlog = t.backlog()
    name = _("the province")
    return {
        "figures": figures, "backlog": backlog, "backlog_chart": _backlog_chart("gov", backlog),
        "trend": _trend_charts("gov", scope="government", scope_id=None, name=name, period=period),
        "gaps": _gaps("gov", scope="government", scope_id=None, period=period),
        "ranking": t.agency_ranking(sort=DEFAULT_RANKING, start=period.start, end=period.end)[:5],
        "updated": t.last_updated(),
    }


def agency(request: HttpRequest, slug: str) -> HttpResponse:
    obj = agency_by_slug(slug)
    if obj is None:
        raise Http404(_("No agency with this address."))
    period, menu = _period(request)
    context = cached_context(("agency", request.LANGUAGE_CODE, obj.pk, period.key),
                             lambda: _agency_context(obj, period))
    return render(request, "opendata/agency.html", {**context, **menu, "agency": obj})


def _agency_context(obj: Any, period: Period = ALL) -> dict[str, Any]:
    backlog = t.backlog(scope="agency", scope_id=obj.pk)
    return {
        "agency": obj, "figures": t.agency_figures(agency=obj, start=period.start, end=period.end),
        "backlog": backlog, "backlog_chart": _backlog_chart("agency", backlog),
        "trend": _trend_charts("agency", scope="agency", scope_id=obj.pk, name=obj.short_name or obj.name_id,
                               period=period),
        "gaps": _gaps("agency", scope="agency", scope_id=obj.pk, period=period),
        "services": all_services_of(obj),
        "updated": t.last_updated(),
    }


def service(request: HttpRequest, code: str) -> HttpResponse:
    obj = service_by_code(code)
    if obj is None:
        raise Http404(_("No service with this address."))
    name = obj.name_en if request.LANGUAGE_CODE == "en" and obj.name_en else obj.name_id
    period, menu = _period(request)
    context = cached_context(("service", request.LANGUAGE_CODE, obj.pk, period.key), lambda: {
        "service": obj, "service_name": name,
        "figures": t.service_figures(service=obj, start=period.start, end=period.end),
        "trend": _trend_charts("service", scope="service", scope_id=obj.pk, name=name, period=period),
        "updated": t.last_updated()})
    context = {**context, **menu, "service": obj, "service_name": name}
    return render(request, "opendata/service.html", context)


# The figures agencies are ranked by: how well they serve (on time, satisfaction), never how much they
# handle. Volumes (received, closed, open, objections) are shown in the table, not ranked.
RANKED_BY = ("closed_on_time_pct", "ikm_converted")
DEFAULT_RANKING = "closed_on_time_pct"


def ranking(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("urut", DEFAULT_RANKING)
    unknown = sort not in RANKED_BY
    if unknown:
        sort = DEFAULT_RANKING
    period, menu = _period(request, keep=("urut",))
    context = cached_context(("ranking", request.LANGUAGE_CODE, sort, period.key),
                             lambda: _ranking_context(sort, period))
    return render(request, "opendata/ranking.html", {**context, **menu, "unknown": unknown})


def _ranking_context(sort: str, period: Period = ALL) -> dict[str, Any]:
    rows = t.agency_ranking(sort=sort, start=period.start, end=period.end)
    chart = hbar_chart(
        chart_id="ranking", title=_("Agencies by %(figure)s") % {"figure": FIGURE_LABELS[sort]},
        desc=_("Horizontal bars of %(figure)s for each agency, in ranking order; the table below gives the same "
               "numbers and the other figures.") % {"figure": FIGURE_LABELS[sort]},
        items=[(r.short_name or r.name, _rank_value(r, sort)) for r in rows])
    columns = [{"key": k, "label": SHORT_LABELS[k], "title": FIGURE_LABELS[k], "current": k == sort,
                "ranked": k in RANKED_BY} for k in t.RANK_FIGURES]
    table = [{"row": r, "values": [_rank_value(r, k) for k in t.RANK_FIGURES]} for r in rows]
    return {"rows": table, "columns": columns, "ranked_by": [c for c in columns if c["ranked"]], "sort": sort, "sort_label": FIGURE_LABELS[sort], "chart": chart,
            "higher_better": t.RANK_FIGURES[sort], "updated": t.last_updated()}


def _rank_value(row: t.RankingRow, key: str) -> Any:
    if key == "backlog":
        return row.backlog
    if key == "ikm_converted":
        return row.figures.ikm_converted
    return getattr(row.figures, key)
