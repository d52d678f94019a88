"""Reads about the government structure."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from balai.agencies.models import Agency, Government, Region, Unit
from balai.memo import Memo

_regions = Memo("regions", watch=("agencies.Region",))


def default_government() -> Government:
    """The instance's own government (`settings.BALAI_GOVERNMENT_CODE`, the province 64 by default).

    Raises `Government.DoesNotExist` before the regions and the government are loaded (`load_demo`).
    """
    return Government.objects.select_related("region").get(region__code=settings.BALAI_GOVERNMENT_CODE)


def active_agencies(*, government: Government | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.filter(is_active=True).select_related("government")
    if government is not None:
        qs = qs.filter(government=government)
    return qs


def units_of(agency: Agency) -> QuerySet[Unit]:
    return agency.units.filter(is_active=True).select_related("parent", "region")


def region_ancestors(region: Region) -> list[Region]:
    """`region` and its ancestors, nearest first (village → district → regency → province).

    Derived from the dotted code rather than the parent chain, so it costs one query.
    """
    parts = region.code.split(".")
    codes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def regencies(*, province_code: str = "64") -> QuerySet[Region]:
    return Region.objects.filter(parent__code=province_code,
                                 level__in=[Region.Level.REGENCY, Region.Level.CITY])


def region_by_code(code: str) -> Region | None:
    """The region with Kemendagri code `code`, or None. Remembered for a few seconds (`balai.memo`):
    every submission with a location reads one."""
    return _regions.get(code, lambda: Region.objects.filter(code=code).first())
