"""The work queues: my units' cases (/kantor/) and the cases assigned to me (/kantor/saya/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from balai.cases import queue as selectors
from balai.cases.models import ClockState
from balai.cases.workflows import status_label
from balai.office.forms.queue import QueueFilterForm
from balai.office.rules import office_view


def _rows(cases, *, now):
    rows = []
    for case in cases:
        late = bool(case.is_open and (case.breached_at is not None
                                       or (case.clock_state == ClockState.RUNNING and case.due_at and case.due_at < now)))
        rows.append({
            "case": case,
            "title": selectors.queue_title(case),
            "status": status_label(case.kind, case.status),
            "late": late,
            "due_soon": bool(case.is_open and case.due_soon and not late),
            "paused": case.clock_state == ClockState.PAUSED,
        })
    return rows


def _queue(request: HttpRequest, *, mine: bool) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    qs = selectors.apply_filters(selectors.base_queue(user=request.user, mine=mine), filters)
    page = selectors.queue_page(qs, sort=filters.sort, after=request.GET.get("after", ""),
                                before=request.GET.get("before", ""))
    return render(request, "office/queue.html", {
        "form": form, "page": page, "rows": _rows(page.cases, now=timezone.now()), "mine": mine,
        "office_section": "mine" if mine else "queue", "filtered": form.is_bound and form.is_filtered(),
    })


@office_view("office:queue")
def queue_view(request: HttpRequest) -> HttpResponse:
    return _queue(request, mine=False)


@office_view("office:my_queue")
def my_queue_view(request: HttpRequest) -> HttpResponse:
    return _queue(request, mine=True)
