"""Public pages of Diskominfo: the government's application registry (/aplikasi/) with one
`publiccode.yml` per application, and the status page of the public applications (/status/),
docs/regulations.md §8 and §13. Plain HTML, no JavaScript; states are said in words, not colour only."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.ict import selectors as ict
from balai.ict.models import Application

STATUS_PAGE_SIZE = 50
STATUS_CACHE_SECONDS = 60
SLUG = re.compile(r"[a-z0-9-]{1,80}")


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
    for the page budget whatever the number of applications. The board's parts are template fragments
    cached per language, filter and page for STATUS_CACHE_SECONDS under the board's generation (a new one
    with every probe round), computed only on a miss (`board`, a callable); the notices are read fresh on
    every request."""
    now = timezone.now()
    agency = request.GET.get("instansi", "")
    agency = agency if SLUG.fullmatch(agency) else ""
    state = request.GET.get("keadaan", "")
    state = state if state in ict.STATES else ""
    number = request.GET.get("halaman", "")
    number = number if number.isdigit() and len(number) <= 4 else "1"
    computed: list[dict[str, object]] = []  # computed once, and only when a fragment is not cached

    def board() -> dict[str, object]:
        if not computed:
            rows = ict.board_rows(now=now)
            overview = ict.status_overview(rows)
            current = next((a for a in overview.agencies if a.slug == agency), None)
            selected = ict.filter_board(rows, agency=current.slug if current else "", state=state)
            base = {k: v for k, v in (("instansi", current.slug if current else ""), ("keadaan", state)) if v}
            computed.append({"overview": overview, "agency": current, "show_agency": current is None,
                             "page": Paginator(selected, STATUS_PAGE_SIZE).get_page(number),
                             "base_query": urlencode(base)})
        return computed[0]

    return render(request, "portal/status.html", {
        "board": board, "cache_seconds": STATUS_CACHE_SECONDS,
        "board_key": f"{ict.board_generation()}:{agency}:{state}:{number}", "state": state,
        "notices": ict.status_notices(now=now), "now": now,
        "slow_seconds": ict.SLOW_MS // 1000, "warn_days": ict.WARN_DAYS,
        # the words of the states, translated once for the rows (an include per row costs more than the row)
        "words": {"up": _("Up"), "slow": _("Slow"), "down": _("Down"), "unknown": _("Unknown")},
    })
