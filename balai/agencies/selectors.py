"""Reads about the government structure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.conf import settings
from django.db.models import QuerySet

from balai.agencies.models import Agency, Government, Region, Unit
from balai.memo import Memo
from balai.people.permissions import agencies_for, units_for

if TYPE_CHECKING:
    from balai.people.models import User


class _HasKind(Protocol):
    @property
    def kind(self) -> str: ...


_T = TypeVar("_T", bound=_HasKind)

_regions = Memo("regions", watch=("agencies.Region",))


def default_government() -> Government:
    """The instance's own government (`settings.BALAI_GOVERNMENT_CODE`, the province 64 by default).

    Raises `Government.DoesNotExist` before the regions and the government are loaded (`load_demo`).
    """
    return Government.objects.select_related("region").get(region__code=settings.BALAI_GOVERNMENT_CODE)


def government_ids() -> list[int]:
    """The ids of every government on this instance, in order."""
    return list(Government.objects.order_by("pk").values_list("pk", flat=True))


def active_agencies(*, government: Government | None = None, order_by: str = "name_id") -> QuerySet[Agency]:
    """The agencies that take cases, ordered by `order_by` (a field of Agency)."""
    qs = Agency.objects.filter(is_active=True).select_related("government").order_by(order_by)
    if government is not None:
        qs = qs.filter(government=government)
    return qs


def agencies_inspected_by(user: User) -> list[Agency]:
    """Active agencies of the governments where `user` is an inspector (all for a superuser)."""
    qs = Agency.objects.filter(is_active=True)
    if not getattr(user, "is_superuser", False):
        govs = set(units_for(user, roles=["inspector"]).values_list("agency__government_id", flat=True))
        qs = qs.filter(government_id__in=govs)
    return list(qs)


def forwarding_targets_of(user: User) -> tuple[list[Agency], list[Unit]]:
    """The active agencies (by short name) and their active units (by agency, then name) of the governments
    of `user`'s units: where the bulk page may forward cases (the engine checks each case again)."""
    govs = set(units_for(user).values_list("agency__government_id", flat=True))
    agencies = list(Agency.objects.filter(government__in=govs, is_active=True).order_by("short_name"))
    units = list(Unit.objects.filter(agency__government__in=govs, is_active=True)
                 .select_related("agency").order_by("agency__short_name", "name_id"))
    return agencies, units


def agencies_administered_by(user: User) -> list[Agency]:
    """The agencies where `user` holds the administrator role, by short name."""
    return list(agencies_for(user, roles=["admin"]).order_by("short_name"))


def administered_agency_scope(user: User | None) -> set[int] | None:
    """The agencies whose reference data `user` may edit in the admin (their units and the agencies
    themselves, catalog entries and the cases they route, participation processes): None (every agency) for
    an active superuser, otherwise the agencies where they hold the administrator role, the same rule as
    `/kantor/instansi/` (ADR 0015). One rule for every admin page and every service behind it."""
    if getattr(user, "is_active", False) and getattr(user, "is_superuser", False):
        return None
    return {agency.pk for agency in agencies_administered_by(user)} if user is not None else set()


def units_in_tree_order(agency: Agency) -> list[tuple[Unit, int]]:
    """Every unit of `agency` (active or not) in tree order with its depth: parents before children,
    siblings by name."""
    children: dict[int | None, list[Unit]] = {}
    for u in Unit.objects.filter(agency=agency).order_by("name_id"):
        children.setdefault(u.parent_id, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in children.get(parent, []):
            out.append((u, depth))
            walk(u.pk, depth + 1)

    walk(None, 0)
    return out


def active_agency(slug: str) -> Agency | None:
    return Agency.objects.filter(slug=slug, is_active=True).first() if slug else None


def agency_by_pk(pk: int | str) -> Agency | None:
    """The agency `pk`, active or not (the engine explains an inactive one), or None."""
    return Agency.objects.filter(pk=pk).first() if str(pk).isdigit() else None


def unit_by_pk(pk: int | str) -> Unit | None:
    """The unit `pk` with its agency, active or not (the engine explains an inactive one), or None."""
    return Unit.objects.select_related("agency").filter(pk=pk).first() if str(pk).isdigit() else None


def agency_by_slug(slug: str) -> Agency | None:
    """The agency `slug`, active or not (a catalog filter on an inactive agency simply finds nothing)."""
    return Agency.objects.filter(slug=slug).first() if slug else None


def agencies_with_contact() -> list[Agency]:
    """Active agencies with a phone number, an e-mail or an address to publish (the portal's contact page)."""
    return list(Agency.objects.filter(is_active=True).exclude(phone="", email="", address="")
                .order_by("short_name"))




def region_ancestors(region: Region) -> list[Region]:
    """`region` and its ancestors, nearest first (village → district → regency → province).

    Derived from the dotted code rather than the parent chain, so it costs one query.
    """
    parts = region.code.split(".")
    codes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def regencies(*, province_code: str | None = None) -> list[Region]:
    """Regencies and cities by name, of one province when `province_code` is given."""
    qs = Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY])
    if province_code:
        qs = qs.filter(code__startswith=province_code + ".")
    return list(qs.order_by("name"))


def regencies_by_code() -> list[Region]:
    """Regencies and cities by Kemendagri code (the level officers filter their queue by)."""
    return list(Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY]).order_by("code"))


def child_regions(parent_code: str) -> list[Region]:
    """The regions one level below `parent_code` (a regency's districts, a district's villages), by name."""
    depth = parent_code.count(".") + 1
    return [r for r in Region.objects.filter(code__startswith=parent_code + ".").order_by("name")
            if r.code.count(".") == depth]


def regions_named(words: Iterable[str], *, within: str, limit: int = 200) -> list[Region]:
    """Regions under `within` (a dotted code) whose name contains every one of `words`, by code."""
    qs = Region.objects.filter(code__startswith=within + ".")
    for word in words:
        qs = qs.filter(name__icontains=word)
    return list(qs.order_by("code")[:limit])


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """{code: name} of the regions with these codes (unknown codes are left out)."""
    wanted = set(codes)
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}


def regions(*, level: str | None = None, parent_code: str | None = None) -> QuerySet[Region]:
    """Regions, of one level and/or under one parent (by code) when given (the API's region list)."""
    qs = Region.objects.select_related("parent")
    if level is not None:
        qs = qs.filter(level=level)
    if parent_code is not None:
        qs = qs.filter(parent__code=parent_code)
    return qs


def region_by_code(code: str) -> Region | None:
    """The region with Kemendagri code `code`, or None. Remembered for a few seconds (`balai.memo`):
    every submission with a location reads one."""
    return _regions.get(code, lambda: Region.objects.filter(code=code).first())


def intake_unit(agency: Agency | int, *, information: bool = False) -> Unit | None:
    """The agency's intake queue: the unit that receives what is sent to the agency as a whole.

    Its PPID for an information request (UU 14/2008 art. 13), else its service desk, else its secretariat,
    else its first unit. The verifiers and the head of every unit of the agency see and act in it
    (`balai.people.permissions`), so a case sent there always has someone who can take it.
    """
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    units = list(Unit.objects.filter(agency_id=agency_id, is_active=True).order_by("id"))
    return pick_intake_unit(units, information=information)


def pick_intake_unit(units: Sequence[_T], *, information: bool = False) -> _T | None:
    """`intake_unit` over already loaded units (objects with `kind`, ordered by id)."""
    order = [Unit.Kind.DESK, Unit.Kind.SECRETARIAT]
    if information:
        order.insert(0, Unit.Kind.PPID)
    for wanted in order:
        for unit in units:
            if unit.kind == wanted:
                return unit
    return units[0] if units else None


_region_names = Memo("region-names", watch=("agencies.Region",))
_NAME_PREFIXES = ("kabupaten ", "kab. ", "kota ", "kecamatan ", "kec. ", "desa ", "kelurahan ", "kel. ")


def _plain_name(name: str) -> str:
    name = " ".join(name.casefold().split())
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def region_mentioned(text: str, *, within: str = "") -> Region | None:
    """The most specific region (village before district before regency) whose name appears as whole
    words in `text` ("... di Sungai Kunjang", "desa loa janan ilir"), under `within` when given; None
    when no name or an ambiguous one (two villages of that name) appears."""
    words = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split()) + " "
    if len(words) < 4:
        return None

    def load() -> list[tuple[str, str, int]]:
        qs = Region.objects.exclude(level=Region.Level.PROVINCE)
        if within:
            qs = qs.filter(code__startswith=within + ".")
        return [(_plain_name(name), code, code.count(".")) for name, code in qs.values_list("name", "code")]

    hits = [(depth, code) for name, code, depth in _region_names.get(within, load)
            if len(name) >= 3 and f" {name} " in words]
    if not hits:
        return None
    deepest = max(depth for depth, _code in hits)
    codes = [code for depth, code in hits if depth == deepest]
    return region_by_code(codes[0]) if len(codes) == 1 else None
