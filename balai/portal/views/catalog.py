"""Public pages of the citizen portal: home, catalog, service and agency pages.

Views only parse input and call selectors; every page is server-rendered and works without JavaScript.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from balai.agencies.selectors import active_agency, agency_by_slug
from balai.catalog import selectors
from balai.catalog.models import Accommodation, Channel
from balai.catalog.search import parse_query, search_services
from balai.catalog.standard import DELIVERY, MANAGEMENT, components_in
from balai.i18n import current_language, pick
from balai.ict.selectors import ict_service_code
from balai.ppid.selectors import current_announcements

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {
        "popular": selectors.popular_services(),
        "life_events": selectors.life_events_in_use(),
        "announcements": current_announcements(now=timezone.now()),  # serta merta (UU 14/2008 art. 10)
    })


def catalog(request: HttpRequest) -> HttpResponse:
    lang = current_language()
    query = (request.GET.get("q") or "").strip()[:200]
    agency = agency_by_slug(request.GET.get("instansi") or "")
    category = selectors.service_category_by_slug(request.GET.get("kategori") or "")
    life_event = selectors.life_event_by_slug(request.GET.get("peristiwa") or "")
    qs = selectors.catalog_services(agency=agency, category=category, life_event=life_event)
    qs = search_services(query, lang=lang, queryset=qs)
    parsed = parse_query(query) if query else None
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    base = request.GET.copy()
    base.pop("halaman", None)
    return render(request, "portal/catalog.html", {
        "query": query,
        "suggestion": parsed.suggestion if parsed and parsed.was_corrected else "",
        "elsewhere": selectors.external_services_matching(query) if query else [],
        "page": page,
        "agency": agency,
        "category": category,
        "life_event": life_event,
        "agencies": selectors.agencies_with_services(),
        "categories": selectors.categories_in_use(),
        "life_events": selectors.life_events_in_use(),
        "base_query": base.urlencode(),
        "filtered": bool(query or agency or category or life_event),
    })


def _sections(service, group: str) -> list[dict]:
    standard = service.standard if isinstance(service.standard, dict) else {}
    return [
        {"key": c.key, "label": pick(c.label), "text": pick(standard.get(c.key))}
        for c in components_in(group)
    ]


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.portal_service(code)  # citizen services and the public ICT services
    if service is None:
        if ict_service_code(code):  # an ICT service for the agencies only: its page is the staff desk's
            return redirect("office:ict_service", code=code)
        raise Http404
    channel_labels = dict(Channel.choices)
    accommodation_labels = dict(Accommodation.choices)
    return render(request, "portal/service.html", {
        "service": service,
        "requirements": [pick(r) for r in (service.requirements or []) if pick(r)],
        "delivery": _sections(service, DELIVERY),
        "management": _sections(service, MANAGEMENT),
        "channels": [channel_labels[c] for c in selectors.application_channels(service) if c in channel_labels],
        "accommodations": [accommodation_labels[a] for a in service.accommodations or []
                           if a in accommodation_labels],
        "fee_note": pick({"id": service.fee_note_id, "en": service.fee_note_en}),
    })


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = active_agency(slug)
    if agency is None:
        raise Http404
    return render(request, "portal/agency.html", {
        "agency": agency,
        "description": pick({"id": agency.description_id, "en": agency.description_en}),
        "services": selectors.services_for_agency(agency),
    })
