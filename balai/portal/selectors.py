"""Reads for the citizen portal's public pages (no business rules; catalog data as published)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from balai.agencies.models import Agency
from balai.catalog.models import LifeEvent, Service, ServiceCategory
from balai.catalog.search import published_services


def popular_services(*, limit: int = 6) -> list[Service]:
    return list(published_services().select_related("agency").order_by("-popularity", "name_id")[:limit])


def life_events_with_services() -> list[LifeEvent]:
    published = Q(services__is_published=True, services__kind=Service.Kind.SERVICE)
    return list(LifeEvent.objects.annotate(n=Count("services", filter=published)).filter(n__gt=0))


def categories_with_services() -> list[ServiceCategory]:
    published = Q(services__is_published=True, services__kind=Service.Kind.SERVICE)
    return list(ServiceCategory.objects.annotate(n=Count("services", filter=published)).filter(n__gt=0))


def agencies_with_services() -> list[Agency]:
    published = Q(services__is_published=True, services__kind=Service.Kind.SERVICE)
    return list(Agency.objects.filter(is_active=True).annotate(n=Count("services", filter=published)).filter(n__gt=0))


def filter_services(
    qs: QuerySet[Service], *, agency: Agency | None = None, category: ServiceCategory | None = None,
    life_event: LifeEvent | None = None,
) -> QuerySet[Service]:
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category is not None:
        qs = qs.filter(categories=category)
    if life_event is not None:
        qs = qs.filter(life_events=life_event)
    return qs.select_related("agency")


def published_service(code: str) -> Service | None:
    return published_services().select_related("agency", "unit").filter(code=code).first()


def active_agency(slug: str) -> Agency | None:
    return Agency.objects.filter(slug=slug, is_active=True).first()


def agency_services(agency: Agency) -> list[Service]:
    return list(published_services().filter(agency=agency).order_by("name_id"))


def contact_agencies() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).exclude(phone="", email="", address="").order_by("short_name"))
