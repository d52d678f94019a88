"""Inspectorate (/kantor/inspektorat/): cases escalated past the head of the agency, across agencies.

PP 12/2017 (oversight of regional government) and Permenpan-RB 62/2018: a complaint not followed up
by the agency goes to the inspectorate, which sees its whole history.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balai.agencies.selectors import agencies_inspected_by
from balai.cases.queue import queue_title
from balai.cases.staff_figures import inspectorate_cases
from balai.cases.workflows import status_label
from balai.office.rules import office_view
from balai.office.selectors import timelines


@office_view("office:inspectorate")
def inspectorate_view(request: HttpRequest) -> HttpResponse:
    agencies = agencies_inspected_by(request.user)
    raw = request.GET.get("instansi", "")
    agency_id = int(raw) if raw.isdigit() and any(a.pk == int(raw) for a in agencies) else None
    cases, total = inspectorate_cases(user=request.user, agency_id=agency_id)
    history = timelines(cases, viewer=request.user)
    rows = [{"case": c, "title": queue_title(c), "status": status_label(c.kind, c.status),
             "timeline": history.get(c.pk, [])} for c in cases]
    return render(request, "office/inspectorate.html", {
        "rows": rows, "total": total, "agencies": agencies, "agency_id": agency_id,
        "office_section": "inspectorate", "bad_filter": bool(raw) and agency_id is None,
    })
