"""Public pages of the citizen portal: home, catalog, service and agency pages.

Views only parse input and call selectors; every page is server-rendered and works without JavaScript.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from balai.agencies.models import Agency
from balai.catalog.models import Accommodation, Channel, LifeEvent, ServiceCategory
from balai.catalog.search import parse_query, published_services, search_services
from balai.catalog.standard import DELIVERY, MANAGEMENT, components_in
from balai.i18n import current_language, pick
from balai.portal import selectors

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {
        "popular": selectors.popular_services(),
        "life_events": selectors.life_events_with_services(),
    })


def _chosen(model, slug: str | None):
    if not slug:
        return None
    return model.objects.filter(slug=slug).first()


def catalog(request: HttpRequest) -> HttpResponse:
    lang = current_language()
    query = (request.GET.get("q") or "").strip()[:200]
    agency = _chosen(Agency, request.GET.get("instansi"))
    category = _chosen(ServiceCategory, request.GET.get("kategori"))
    life_event = _chosen(LifeEvent, request.GET.get("peristiwa"))
    qs = selectors.filter_services(published_services(), agency=agency, category=category, life_event=life_event)
    qs = search_services(query, lang=lang, queryset=qs)
    parsed = parse_query(query) if query else None
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    base = request.GET.copy()
    base.pop("halaman", None)
    return render(request, "portal/catalog.html", {
        "query": query,
        "suggestion": parsed.suggestion if parsed and parsed.was_corrected else "",
        "page": page,
        "agency": agency,
        "category": category,
        "life_event": life_event,
        "agencies": selectors.agencies_with_services(),
        "categories": selectors.categories_with_services(),
        "life_events": selectors.life_events_with_services(),
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
    service = selectors.published_service(code)
    if service is None:
        raise Http404
    channel_labels = dict(Channel.choices)
    accommodation_labels = dict(Accommodation.choices)
    return render(request, "portal/service.html", {
        "service": service,
        "requirements": [pick(r) for r in (service.requirements or []) if pick(r)],
        "delivery": _sections(service, DELIVERY),
        "management": _sections(service, MANAGEMENT),
        "channels": [channel_labels[c] for c in service.channels or [] if c in channel_labels],
        "accommodations": [accommodation_labels[a] for a in service.accommodations or []
                           if a in accommodation_labels],
        "fee_note": pick({"id": service.fee_note_id, "en": service.fee_note_en}),
    })


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.active_agency(slug)
    if agency is None:
        raise Http404
    return render(request, "portal/agency.html", {
        "agency": agency,
        "description": pick({"id": agency.description_id, "en": agency.description_en}),
        "services": selectors.agency_services(agency),
    })
