"""The PPID's annual report (`/informasi/laporan-tahunan/<year>/`): the published report of the year, its
figures per agency and for the government as accessible charts (each with a table of the same numbers),
the main PPID's text, a PDF ready to submit and a CSV (Perki 1/2021 art. 56; docs/regulations.md §11).
Only a published report is shown; the draft lives in the staff workspace."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from balai import csv_safe
from balai.cases.workflows import EXEMPTIONS
from balai.opendata.charts import hbar_chart
from balai.ppid import selectors
from balai.ppid.documents import html_pdf

LABELS = {
    "received": gettext_lazy("Requests received"),
    "online": gettext_lazy("of which online"),
    "offline": gettext_lazy("of which in person or by letter"),
    "answered": gettext_lazy("Answered"),
    "in_time": gettext_lazy("Answered in time"),
    "granted": gettext_lazy("Granted in full"),
    "partial": gettext_lazy("Granted in part"),
    "refused": gettext_lazy("Refused"),
    "avg_days": gettext_lazy("Average working days"),
    "max_days": gettext_lazy("Longest (working days)"),
    "objections": gettext_lazy("Objections"),
    "objections_upheld": gettext_lazy("Objections upheld"),
    "objections_partial": gettext_lazy("Objections upheld in part"),
    "objections_rejected": gettext_lazy("Objections rejected"),
    "disputes": gettext_lazy("Disputes at the Information Commission"),
}
COLUMNS = ("received", "online", "offline", "answered", "in_time", "granted", "partial", "refused", "avg_days",
           "max_days", "objections", "disputes")


def _report(year: int) -> Any:
    report = selectors.published_report(year=year) if 2000 <= year <= 2100 else None
    if report is None:
        raise Http404(_("No published annual report for this year."))
    return report


def _context(report: Any) -> dict[str, Any]:
    figures = report.figures or {}
    gov = figures.get("government") or {}
    agencies = figures.get("agencies") or []
    return {
        "report": report, "year": report.year, "gov": gov, "agencies": agencies, "columns": COLUMNS,
        "labels": LABELS, "gov_rows": [(LABELS[k], gov.get(k)) for k in LABELS],
        "grounds": [(EXEMPTIONS.get(k, k), n) for k, n in (gov.get("refused_by_ground") or {}).items()],
        "chart_received": hbar_chart(
            chart_id="ppid-received", title=_("Requests received per agency"),
            desc=_("Number of information requests each agency received in the year."),
            items=[(a["name"], a["received"]) for a in agencies[:15]]),
        "chart_outcome": hbar_chart(
            chart_id="ppid-outcome", title=_("How requests ended"),
            desc=_("Requests granted in full, in part and refused, for the whole government."),
            items=[(str(LABELS[k]), gov.get(k) or 0) for k in ("granted", "partial", "refused")]),
    }


@require_safe
def report_page(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    return render(request, "opendata/ppid_report.html", {**_context(report),
                                                         "years": selectors.published_report_years()})


@require_safe
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    response = HttpResponse(html_pdf(render_to_string("opendata/ppid_report_pdf.html", _context(report),
                                                      request=request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-ppid-{report.year}.pdf"'
    return response


@require_safe
def report_csv(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-ppid-{report.year}.csv"'
    writer = csv_safe.writer(response, lineterminator="\r\n")
    names = [k for k in LABELS]
    writer.writerow(["scope", "agency", *names, "refused_by_ground"])
    figures = report.figures or {}
    gov = figures.get("government") or {}

    def grounds(row: dict) -> str:
        return ";".join(f"{k}={v}" for k, v in (row.get("refused_by_ground") or {}).items())

    writer.writerow(["government", "", *[gov.get(k) if gov.get(k) is not None else "" for k in names], grounds(gov)])
    for row in figures.get("agencies") or []:
        writer.writerow(["agency", row["slug"], *[row.get(k) if row.get(k) is not None else "" for k in names],
                         grounds(row)])
    return response
