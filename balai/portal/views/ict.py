"""Public pages of Diskominfo: the government's application registry (/aplikasi/) with one
`publiccode.yml` per application, and the status page of the public applications (/status/),
docs/regulations.md §8 and §13. Plain HTML, no JavaScript; states are said in words, not colour only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from balai.ict import selectors as ict
from balai.ict.models import Application

STATUS_PAGE_SIZE = 50


def applications(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = (request.GET.get("q", "") or "")[:100]
    page = Paginator(ict.public_applications(status=status, query=query), 40).get_page(request.GET.get("halaman"))
    return render(request, "portal/applications.html", {
        "page": page, "status": status, "q": query,
        "statuses": [c for c in Application.Status.choices if c[0] != Application.Status.PLANNED],
    })


def application(request: HttpRequest, slug: str) -> HttpResponse:
    app = ict.application(slug, public=True)
    if app is None:
        raise Http404
    return render(request, "portal/application.html", {"app": app})


def publiccode_yml(request: HttpRequest, slug: str) -> HttpResponse:
    app = ict.application(slug, public=True)
    if app is None:
        raise Http404
    return HttpResponse(ict.publiccode(app), content_type="application/yaml; charset=utf-8")


def status(request: HttpRequest) -> HttpResponse:
    """A summary first (incidents, maintenance, how many applications are up, slow or down, per owner
    agency), then the applications of one agency or in one state, STATUS_PAGE_SIZE a page: light enough
    for the page budget whatever the number of applications. The board is read from the cache (dropped by
    every probe round); the notices are read fresh on every request."""
    now = timezone.now()
    rows = ict.board_rows(now=now)
    overview = ict.status_overview(rows)
    agency = request.GET.get("instansi", "")
    current = next((a for a in overview.agencies if a.slug == agency), None)
    state = request.GET.get("keadaan", "")
    state = state if state in ict.STATES else ""
    selected = ict.filter_board(rows, agency=current.slug if current else "", state=state)
    page = Paginator(selected, STATUS_PAGE_SIZE).get_page(request.GET.get("halaman"))
    base = {k: v for k, v in (("instansi", current.slug if current else ""), ("keadaan", state)) if v}
    return render(request, "portal/status.html", {
        "overview": overview, "page": page, "agency": current, "state": state, "base_query": urlencode(base),
        "notices": ict.status_notices(now=now), "now": now, "show_agency": current is None,
        "slow_seconds": ict.SLOW_MS // 1000, "warn_days": ict.WARN_DAYS,
    })
