"""Reads of the service catalog and complaint routing."""

from __future__ import annotations

from django.db.models import QuerySet

from balai.agencies.models import Agency, Region, Unit
from balai.catalog.models import ComplaintCategory, ComplaintRoute, LifeEvent, Service, ServiceCategory
from balai.memo import Memo

# Read by every complaint submitted; changed a few times a year (balai/memo.py: seconds of staleness).
_ROUTING_MODELS = ("catalog.ComplaintCategory", "catalog.ComplaintRoute", "agencies.Agency", "agencies.Unit")
_categories = Memo("complaint-categories", watch=_ROUTING_MODELS)
_routes = Memo("complaint-routes", watch=(*_ROUTING_MODELS, "agencies.Region"))


def complaint_category_by_slug(slug: str) -> ComplaintCategory | None:
    """The complaint category `slug` (active or not: the engine explains an inactive one), with its
    agency and unit; None if there is none. Remembered for a few seconds (`balai.memo`)."""
    return _categories.get(slug, lambda: ComplaintCategory.objects.filter(slug=slug)
                           .select_related("agency", "unit").first())


def route_complaint(category: ComplaintCategory, region: Region | str | None) -> tuple[Agency, Unit | None]:
    """Who answers a complaint of `category` from `region` (SP4N-LAPOR!: the responsible agency).

    The most specific `ComplaintRoute` for the region or one of its ancestors (village → district →
    regency → province) wins; without one, the category's own agency and unit. Remembered for a few
    seconds per (category, region) (`balai.memo`).
    """
    code = region.code if isinstance(region, Region) else (region or "")
    return _routes.get((category.pk, code), lambda: _route_complaint(category, code))


def _route_complaint(category: ComplaintCategory, code: str) -> tuple[Agency, Unit | None]:
    if code:
        parts = code.split(".")
        codes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        routes = {r.region.code: r for r in ComplaintRoute.objects.filter(category=category, region__code__in=codes)
                  .select_related("agency", "unit", "region")}
        for candidate in codes:  # nearest first
            if candidate in routes:
                return routes[candidate].agency, routes[candidate].unit
    return category.agency, category.unit


def published_services() -> QuerySet[Service]:
    return (Service.objects.filter(is_published=True, agency__is_active=True)
            .select_related("agency", "unit"))


def popular_services(limit: int = 6) -> list[Service]:
    return list(published_services().order_by("-popularity", "name_id")[:limit])


def services_for_agency(agency: Agency | str) -> QuerySet[Service]:
    if isinstance(agency, Agency):
        return published_services().filter(agency=agency)
    return published_services().filter(agency__slug=agency)


def services_in_category(category: ServiceCategory | str) -> QuerySet[Service]:
    if isinstance(category, ServiceCategory):
        return published_services().filter(categories=category)
    return published_services().filter(categories__slug=category)


def services_for_life_event(event: LifeEvent | str) -> QuerySet[Service]:
    if isinstance(event, LifeEvent):
        return published_services().filter(life_events=event)
    return published_services().filter(life_events__slug=event)


def public_services(*, kind: str = Service.Kind.SERVICE) -> QuerySet[Service]:
    """Published services of one kind (citizen services by default; "ict" for the agencies' desk)."""
    return published_services().filter(kind=kind)


def categories_in_use() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(services__is_published=True).distinct()


def life_events_in_use() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(services__is_published=True).distinct()


def active_complaint_categories() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True).select_related("agency", "unit")


def complaint_category_by_keyword(keyword: str) -> ComplaintCategory | None:
    """The category for an SMS keyword such as JALAN (case-insensitive)."""
    return active_complaint_categories().filter(keyword__iexact=(keyword or "").strip()).first()
