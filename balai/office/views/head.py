"""Head of unit (/kantor/kepala/): workload per officer, deadlines at risk, time to close, IKM."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balai.office import selectors
from balai.office.rules import office_view
from balai.office.selectors_stats import head_stats


@office_view("office:head")
def head_view(request: HttpRequest) -> HttpResponse:
    stats = head_stats(user=request.user)
    def rows(cases):
        return [{"case": c, "title": selectors.queue_title(c)} for c in cases]

    return render(request, "office/head.html", {"stats": stats, "due_soon": rows(stats.due_soon),
                                                "breached": rows(stats.breached), "office_section": "head"})
