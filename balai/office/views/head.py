"""Head of unit (/kantor/kepala/): workload per officer, deadlines at risk, time to close, IKM."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balai.cases.queue import queue_title
from balai.office.rules import office_view
from balai.office.selectors import head_stats


@office_view("office:head")
def head_view(request: HttpRequest) -> HttpResponse:
    stats = head_stats(user=request.user)
    def rows(cases):
        return [{"case": c, "title": queue_title(c)} for c in cases]

    return render(request, "office/head.html", {"stats": stats, "due_soon": rows(stats.due_soon),
                                                "breached": rows(stats.breached), "office_section": "head"})
