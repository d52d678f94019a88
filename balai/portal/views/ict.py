"""Public pages of Diskominfo: the government's application registry (/aplikasi/) with one
`publiccode.yml` per application, and the status page of the public applications (/status/),
docs/regulations.md §8 and §13. Plain HTML, no JavaScript; states are said in words, not colour only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from balai.ict import selectors as ict
from balai.ict.models import Application

STATUS_CACHE_SECONDS = 60


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
    """The board (probes every few minutes) is a template fragment cached for STATUS_CACHE_SECONDS per
    language, computed only on a miss (the callable); the notices are read fresh on every request."""
    now = timezone.now()
    return render(request, "portal/status.html", {
        "board": lambda: ict.status_board(now=now), "cache_seconds": STATUS_CACHE_SECONDS,
        "notices": ict.status_notices(now=now), "now": now,
        "slow_seconds": ict.SLOW_MS // 1000, "warn_days": ict.WARN_DAYS,
    })
