"""Reads of the PPID app (ADR 0030: faces call these, never a queryset of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from balai.agencies.models import Agency
from balai.people.permissions import agencies_for, has_permission
from balai.ppid import rules
from balai.ppid.models import Category, ConsequenceTest, InformationItem, ItemStatus, StaffWarning

PUBLIC_FIELDS = ("id", "number", "title", "summary", "holder", "responsible", "made_when", "made_where", "format",
                 "retention", "category", "year", "document_url", "where_to_get", "content_updated_at",
                 "agency_id", "announcement")


# --- the public register (DIP) ---------------------------------------------------------------------------

def public_items(*, agency: Any = None, category: str = "", year: int | None = None,
                 q: str = "") -> QuerySet[InformationItem]:
    """The published register: approved items only, newest update first, filtered."""
    qs = (InformationItem.objects.filter(status=ItemStatus.APPROVED)
          .select_related("agency").only(*PUBLIC_FIELDS, "agency__short_name", "agency__slug", "agency__name_id",
                                         "agency__name_en"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category in Category.values:
        qs = qs.filter(category=category)
    if year:
        qs = qs.filter(year=year)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(number__iexact=q))
    return qs.order_by("-content_updated_at", "-id")


def public_item(pk: int) -> InformationItem | None:
    return public_items().filter(pk=pk).first()


def register_years() -> list[int]:
    return sorted(set(InformationItem.objects.filter(status=ItemStatus.APPROVED)
                      .values_list("year", flat=True).distinct()), reverse=True)


def public_items_rows() -> QuerySet[InformationItem]:
    """The open-data rows of the register (every approved item, stable order)."""
    return public_items().order_by("agency__slug", "number")


def current_announcements(*, now: Any) -> QuerySet[InformationItem]:
    """Serta-merta notices on the home page now."""
    return (public_items(category=Category.IMMEDIATE).filter(on_home_until__gt=now)
            .exclude(announcement="").order_by("-content_updated_at")[:3])


# --- staff -----------------------------------------------------------------------------------------------

def agencies_proposing(user: Any) -> QuerySet:
    """Agencies whose register this user may propose items for."""
    if user.is_superuser:
        return Agency.objects.filter(is_active=True).order_by("short_name")
    main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
    return (Agency.objects.filter(Q(pk__in=agencies_for(user, roles=("ppid",)).values("pk"))
                                  | Q(government__in=main_govs), is_active=True).order_by("short_name"))


def staff_items(*, user: Any, status: str = "") -> QuerySet[InformationItem]:
    """Items of the agencies the officer works for; every item of the government for the main PPID."""
    qs = InformationItem.objects.select_related("agency", "proposed_by")
    if not user.is_superuser:
        own = Q(agency__in=agencies_for(user, roles=("ppid",)))
        main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
        qs = qs.filter(own | Q(government__in=main_govs))
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "agency__short_name", "number")


def staff_item(*, user: Any, pk: int) -> InformationItem | None:
    item = InformationItem.objects.select_related("agency", "proposed_by").filter(pk=pk).first()
    if item is None:
        return None
    if has_permission(user, rules.PROPOSE, item) or has_permission(user, rules.APPROVE, item):
        return item
    return None


def may_approve(user: Any, item: InformationItem | None = None) -> bool:
    return has_permission(user, rules.APPROVE, item)


def open_warnings(*, user: Any) -> QuerySet[StaffWarning]:
    qs = StaffWarning.objects.filter(done_at__isnull=True).select_related("item", "test", "agency")
    if not user.is_superuser:
        qs = qs.filter(Q(recipient=user) | Q(agency__in=agencies_for(user, roles=("ppid", "ppid_main"))))
    return qs.order_by("-at")[:50]


# --- consequence tests -----------------------------------------------------------------------------------

def consequence_test_by_number(*, agency_id: int, number: str) -> ConsequenceTest | None:
    return ConsequenceTest.objects.filter(agency_id=agency_id, number=number).first()


def staff_tests(*, user: Any) -> QuerySet[ConsequenceTest]:
    qs = ConsequenceTest.objects.select_related("agency", "item")
    if not user.is_superuser:
        own = Q(agency__in=agencies_for(user, roles=("ppid",)))
        main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
        qs = qs.filter(own | Q(government__in=main_govs))
    return qs.order_by("-decided_at", "number")


def staff_test(*, user: Any, pk: int) -> ConsequenceTest | None:
    test = ConsequenceTest.objects.select_related("agency", "item", "decided_by").filter(pk=pk).first()
    return test if test is not None and has_permission(user, rules.TEST, test) else None


def public_test_of(item: InformationItem) -> ConsequenceTest | None:
    """The consequence test of an exempt item, shown with it in the register (the decree is public)."""
    return item.consequence_tests.order_by("-decided_at").first()


@dataclass(frozen=True)
class StaleItem:
    item: InformationItem
    since: date


def public_test(pk: int) -> ConsequenceTest | None:
    """A consequence test whose item is in the published register (its decree is public)."""
    return (ConsequenceTest.objects.select_related("agency")
            .filter(pk=pk, item__status=ItemStatus.APPROVED).first())
