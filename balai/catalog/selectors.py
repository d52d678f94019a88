"""Reads of the service catalog and complaint routing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from balai.agencies.models import Agency, Region, Unit
from balai.catalog.models import (
    Channel,
    ComplaintCategory,
    ComplaintRoute,
    ExternalRequest,
    ExternalService,
    LifeEvent,
    Service,
    ServiceCategory,
)
from balai.memo import Memo
from balai.people.permissions import agencies_for

if TYPE_CHECKING:
    from balai.people.models import User

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


# --- which services can be requested: one rule for the catalog, search, REST, Open311 and the engine ----


def published_services() -> QuerySet[Service]:
    """Services that can be requested: published, of an active agency (any kind)."""
    return (Service.objects.filter(is_published=True, agency__is_active=True)
            .select_related("agency", "unit"))


def public_services(*, kind: str | None = Service.Kind.SERVICE) -> QuerySet[Service]:
    """Requestable services of one kind (citizen services by default; "ict" for the agencies' desk; None:
    both)."""
    return published_services().filter(kind=kind) if kind is not None else published_services()


def offered_to_the_public(prefix: str = "") -> Q:
    """What the portal offers: every citizen service, and the ICT services of Diskominfo's desk whose desk
    profile says they serve the public too (`ict.ServiceProfile.public`, e.g. reporting a cyber incident to
    the CSIRT; ADR 0037). `prefix` reaches the service through a relation ("services__")."""
    return (Q(**{f"{prefix}kind": Service.Kind.SERVICE})
            | Q(**{f"{prefix}kind": Service.Kind.ICT, f"{prefix}ict_profile__public": True}))


def portal_services() -> QuerySet[Service]:
    """Requestable services the portal lists and takes applications for (`offered_to_the_public`). A case
    keeps the kind of its service: a public ICT service's case is an ICT request, in the ICT agents' queue."""
    return published_services().filter(offered_to_the_public())


def portal_service(code: str) -> Service | None:
    """The service `code` as the portal shows it (`portal_services`), or None."""
    return portal_services().filter(code=code).first() if code else None


def public_service(code: str, *, kind: str | None = Service.Kind.SERVICE) -> Service | None:
    """The requestable service `code` of `kind` (as the public catalog shows it; None: either kind), or None."""
    return public_services(kind=kind).filter(code=code).first() if code else None


def public_services_with_categories() -> list[Service]:
    """Requestable citizen services by code, with their categories (the Open311 service list)."""
    return list(public_services().prefetch_related("categories").order_by("code"))


def public_services_listed(*, kind: str) -> list[Service]:
    """Requestable services of `kind` by agency and name (the counter's list)."""
    return list(public_services(kind=kind).order_by("agency__short_name", "name_id"))


def public_service_by_pk(pk: int | str, *, kind: str) -> Service | None:
    """The requestable service with id `pk` of `kind`, or None (ids typed into a form)."""
    return public_services(kind=kind).filter(pk=pk).first() if str(pk).isdigit() else None


def is_requestable(service: Service, *, kind: str) -> bool:
    """Whether `service` (an instance already loaded) may be requested as `kind`: the same rule as
    `published_services` for the engine's validation of a submission."""
    return service.kind == kind and service.is_published and service.agency.is_active


def offered_on(service: Service, channel: str) -> bool:
    """Whether `service` takes requests through `channel` (`Service.channels`; empty = every channel).

    A client application (REST, Open311) is an online form run by someone else: it is offered where the
    web is. The counter always takes a request: a public service must be accepted in person as well as
    online (docs/regulations.md §2), the officer registers it for the citizen."""
    if not service.channels or channel == Channel.COUNTER:
        return True
    return (Channel.WEB if channel == Channel.API else channel) in service.channels


def services_managed_by(user: User) -> list[Service]:
    """Every service (any state) of the agencies `user` works for (all for a superuser), by name: the
    workspace's queue filter."""
    qs = Service.objects.all() if user.is_superuser else Service.objects.filter(agency__in=agencies_for(user))
    return list(qs.order_by("name_id"))


def service_by_code(code: str) -> Service | None:
    """The service `code` whatever its state (open-data statistics keep the history of withdrawn ones)."""
    return Service.objects.filter(code=code).select_related("agency").first() if code else None


def all_services_of(agency: Agency) -> list[Service]:
    """Every service of `agency`, published or not, by name (its open-data page)."""
    return list(Service.objects.filter(agency=agency).order_by("name_id").only("code", "name_id", "name_en"))


def popular_services(*, limit: int = 6) -> list[Service]:
    """The most requested citizen services, for the portal's home page."""
    return list(public_services().order_by("-popularity", "name_id")[:limit])


def catalog_services(*, agency: Agency | None = None, category: ServiceCategory | None = None,
                     life_event: LifeEvent | None = None) -> QuerySet[Service]:
    """The public catalog's services, narrowed to an agency, a category and a life event when given."""
    qs = portal_services()
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category is not None:
        qs = qs.filter(categories=category)
    if life_event is not None:
        qs = qs.filter(life_events=life_event)
    return qs


def services_for_agency(agency: Agency) -> list[Service]:
    """The public catalog's services of `agency`, by name (its page on the portal)."""
    return list(catalog_services(agency=agency).order_by("name_id"))


def _has_public_services() -> Q:
    return Q(services__is_published=True) & offered_to_the_public("services__")


def categories_in_use() -> list[ServiceCategory]:
    """Service categories with at least one published citizen service (the catalog's filter)."""
    return list(ServiceCategory.objects.annotate(n=Count("services", filter=_has_public_services()))
                .filter(n__gt=0))


def life_events_in_use() -> list[LifeEvent]:
    """Life events with at least one published citizen service (the home page and the catalog's filter)."""
    return list(LifeEvent.objects.annotate(n=Count("services", filter=_has_public_services())).filter(n__gt=0))


def agencies_with_services() -> list[Agency]:
    """Active agencies with at least one published citizen service (the catalog's filter)."""
    return list(Agency.objects.filter(is_active=True).annotate(n=Count("services", filter=_has_public_services()))
                .filter(n__gt=0))


def service_category_by_slug(slug: str) -> ServiceCategory | None:
    return ServiceCategory.objects.filter(slug=slug).first() if slug else None


def life_event_by_slug(slug: str) -> LifeEvent | None:
    return LifeEvent.objects.filter(slug=slug).first() if slug else None


def active_complaint_categories(*, order_by: tuple[str, ...] = ("order", "name_id")) -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True).select_related("agency", "unit").order_by(*order_by)


def complaint_category_by_pk(pk: int | str) -> ComplaintCategory | None:
    """The complaint category `pk` (active or not: the engine explains an inactive one), or None."""
    return ComplaintCategory.objects.filter(pk=pk).select_related("agency", "unit").first() \
        if str(pk).isdigit() else None


def active_complaint_category(slug: str) -> ComplaintCategory | None:
    """The active complaint category `slug`, or None (unknown or switched off). Remembered for a few
    seconds, like `complaint_category_by_slug` (Open311 reads it on every request)."""
    if not slug:
        return None
    return _categories.get(("active", slug), lambda: active_complaint_categories().filter(slug=slug).first())


def complaint_keywords() -> list[str]:
    """The SMS keywords of the active complaint categories, upper case, in the categories' order."""
    return [k.upper() for k in active_complaint_categories(order_by=("order", "keyword"))
            .values_list("keyword", flat=True)]


def fallback_complaint_category(wanted: str) -> ComplaintCategory | None:
    """The active category whose keyword (any case) or slug is `wanted`, else the first active one: where a
    message that names no category goes (inbound e-mail)."""
    categories = active_complaint_categories()
    return (categories.filter(keyword__iexact=wanted).first() or categories.filter(slug=wanted).first()
            or categories.order_by("order", "id").first())


def complaint_category_by_keyword(keyword: str) -> ComplaintCategory | None:
    """The category for an SMS keyword such as JALAN (case-insensitive)."""
    return active_complaint_categories().filter(keyword__iexact=(keyword or "").strip()).first()


# The channels through which a service application can actually be made: the web form, a counter officer,
# and a client application through the API. SMS, WhatsApp and e-mail carry complaints only (their keyword
# grammar has no application command), so a service page never offers them for applying.
APPLICATION_CHANNELS: tuple[str, ...] = ("web", "counter", "api")


def application_channels(service: Service) -> list[str]:
    """The service's channels that work for applying, in the service's order."""
    return [c for c in (service.channels or []) if c in APPLICATION_CHANNELS]


def external_services_matching(query: str, *, limit: int = 5) -> list[ExternalService]:
    """Published services of other governments whose name or search words contain every word of `query`
    (case-insensitive): shown above the catalog's results, found by search."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in (query or "").casefold()).split() if w]
    if not words:
        return []
    qs = ExternalService.objects.filter(is_published=True)
    for word in words[:6]:
        qs = qs.filter(Q(name_id__icontains=word) | Q(name_en__icontains=word) | Q(keywords__icontains=word))
    return list(qs.order_by("name_id")[:limit])


def external_service_by_code(code: str) -> ExternalService | None:
    return ExternalService.objects.filter(code=code, is_published=True).first()


def external_request_by_reference(reference: str) -> ExternalRequest | None:
    ref = (reference or "").strip().upper()
    return ExternalRequest.objects.select_related("service").filter(reference=ref).first()


def external_requests_due(*, now: datetime, limit: int = 50) -> QuerySet[ExternalRequest]:
    """Requests waiting to be sent whose (next) attempt is due, oldest first, locked for the sender (rows
    another worker holds are skipped: each request is sent by one worker at a time). Call inside a
    transaction."""
    return (ExternalRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("service")
            .filter(status=ExternalRequest.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit])


def external_requests_to_poll(*, since: datetime, limit: int = 200) -> QuerySet[ExternalRequest]:
    """Sent requests still open at the provider and not polled since `since`."""
    return (ExternalRequest.objects.select_related("service")
            .filter(status=ExternalRequest.Status.SENT, is_final=False)
            .exclude(last_polled_at__gt=since).order_by("last_polled_at", "pk")[:limit])
