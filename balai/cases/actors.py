"""Every case reaches someone who can act: who can take each step of a workflow in a unit.

A route (a complaint category, a regional complaint route, a service, an agency's information intake)
points a new case at a unit. The route is valid only when, for every staff step that carries a case of
its kind from submission to closure (`workflows.CLOSURE_STEPS`), some active staff member passes THE
permission function (`balai.people.permissions.has_permission`) for that step on a case in that unit.
Superusers do not count: they are not part of any agency's work. Checked when a route is saved (model
`clean()`), when a membership is revoked or moved to another unit (`membership_guard`), when a staff
account is deactivated (`account_guard`; both registered with the people services), when a unit is
deactivated (`balai.cases.units`) and by `unroutable()` over the whole catalog (tests over the demo data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from balai.cases import workflows
from balai.cases.models import CaseKind


@dataclass(frozen=True)
class _InUnit:
    """A stand-in for a case in `unit`, for the permission function."""

    government_id: int
    agency_id: int
    unit_id: int

    def permission_scope(self) -> tuple[int, int, int]:
        return (self.government_id, self.agency_id, self.unit_id)


@dataclass(frozen=True)
class Route:
    """Where new cases of `kind` go: `label` says which catalog entry sends them there."""

    kind: str
    label: str
    agency: Any
    unit: Any


def staff_of(government_id: int) -> list[Any]:
    """Fresh user objects of the active staff with an active membership in the government (their
    permission memo is empty, so it reflects the memberships as they are now)."""
    from balai.people.models import User

    return list(User.objects.filter(
        is_active=True, is_superuser=False, memberships__is_active=True, memberships__unit__is_active=True,
        memberships__unit__agency__government_id=government_id).distinct().order_by("pk"))


def actors_for_step(*, kind: str, step: str, unit: Any, users: list[Any] | None = None) -> list[Any]:
    """The staff members who may take `step` of a `kind` case in `unit`."""
    from balai.people.permissions import has_permission

    target = _InUnit(unit.agency.government_id, unit.agency_id, unit.pk)
    found = []
    for user in users if users is not None else staff_of(unit.agency.government_id):
        if has_permission(user, f"case.{kind}.{step}", target):
            found.append(user)
    return found


def missing_steps(*, kind: str, unit: Any, users: list[Any] | None = None) -> list[workflows.Transition]:
    """The steps from submission to closure that nobody can take for a `kind` case in `unit`."""
    wf = workflows.workflow_for(kind)
    people = users if users is not None else staff_of(unit.agency.government_id)
    steps = [t for t in (wf.transition(step) for step in workflows.CLOSURE_STEPS[kind]) if t is not None]
    return [t for t in steps if not actors_for_step(kind=kind, step=t.name, unit=unit, users=people)]


def _kind_label(kind: str) -> str:
    return str(CaseKind(kind).label)


def route_message(*, kind: str, unit: Any, missing: list[workflows.Transition]) -> str:
    roles = sorted({role for t in missing for role in t.roles} - {workflows.CITIZEN, workflows.SYSTEM})
    from balai.people.models import Role

    return _(
        "Nobody in %(unit)s can take these steps of a %(kind)s: %(steps)s. Give someone there one of the "
        "roles %(roles)s first (Agencies → members), or choose another unit."
    ) % {
        "unit": unit.name, "kind": _kind_label(kind).lower(),
        "steps": ", ".join(f"“{t.label}”" for t in missing),
        "roles": ", ".join(str(Role(r).label) for r in roles),
    }


def check_route(*, kind: str, agency: Any, unit: Any = None, field: str = "unit") -> None:
    """Raise `ValidationError({field: ...})` when a case of `kind` sent to `agency`/`unit` would find
    nobody to act on it. `unit` None means the agency's intake queue."""
    if agency is None:
        return
    if unit is None:
        from balai.agencies.selectors import intake_unit

        unit = intake_unit(agency, information=kind == CaseKind.INFORMATION_REQUEST)
        if unit is None:
            raise ValidationError({field: [_("This agency has no active unit to receive cases.")]})
    missing = missing_steps(kind=kind, unit=unit)
    if missing:
        raise ValidationError({field: [route_message(kind=kind, unit=unit, missing=missing)]})


def routes(*, government: Any = None) -> list[Route]:
    """Every route new cases can take: active complaint categories (as complaint and aspiration) and their
    regional routes, published services, and each active agency's information intake."""
    from balai.agencies.models import Agency
    from balai.agencies.selectors import intake_unit
    from balai.catalog.models import ComplaintCategory, ComplaintRoute, Service
    from balai.catalog.selectors import published_services

    found: list[Route] = []
    categories = ComplaintCategory.objects.filter(is_active=True).select_related("agency", "unit")
    for category in categories:
        for kind in (CaseKind.COMPLAINT, CaseKind.ASPIRATION):
            found.append(Route(kind, f"category {category.slug}", category.agency,
                               category.unit or intake_unit(category.agency)))
    for route in ComplaintRoute.objects.filter(category__is_active=True).select_related("agency", "unit",
                                                                                          "category", "region"):
        for kind in (CaseKind.COMPLAINT, CaseKind.ASPIRATION):
            found.append(Route(kind, f"route {route.category.slug} {route.region.code}", route.agency,
                               route.unit or intake_unit(route.agency)))
    for service in published_services():  # the catalog's one rule of what can be requested
        kind = CaseKind.ICT_REQUEST if service.kind == Service.Kind.ICT else CaseKind.SERVICE_REQUEST
        found.append(Route(kind, f"service {service.code}", service.agency,
                           service.unit or intake_unit(service.agency)))
    for agency in Agency.objects.filter(is_active=True):
        found.append(Route(CaseKind.INFORMATION_REQUEST, f"information {agency.slug}", agency,
                           intake_unit(agency, information=True)))
    if government is not None:
        found = [r for r in found if r.agency.government_id == government.pk]
    return [r for r in found if r.agency.is_active]


def unroutable(*, government: Any = None) -> list[tuple[Route, list[workflows.Transition]]]:
    """The routes with a step nobody can take (empty when every case reaches someone who can act)."""
    out = []
    people: dict[int, list[Any]] = {}
    for route in routes(government=government):
        if route.unit is None:
            out.append((route, list(workflows.workflow_for(route.kind).transitions)))
            continue
        gov = route.agency.government_id
        if gov not in people:
            people[gov] = staff_of(gov)
        missing = missing_steps(kind=route.kind, unit=route.unit, users=people[gov])
        if missing:
            out.append((route, missing))
    return out


def _new_gaps(*, agency_ids: set[int], governments: set[int],
              restore: Any) -> list[tuple[Route, list[workflows.Transition]]]:
    """The routes of `agency_ids` that reach nobody who can act now but did before the change that
    `restore()` undoes (run inside a savepoint rolled back at once). A route that already reached nobody
    before the change does not count: the change did not cause it."""
    from django.db import transaction

    from balai.agencies.models import Government

    new: list[tuple[Route, list[workflows.Transition]]] = []
    for government in Government.objects.filter(pk__in=governments).order_by("pk"):
        after = [(r, m) for r, m in unroutable(government=government)
                 if r.unit is not None and r.agency.pk in agency_ids]
        if not after:
            continue
        with transaction.atomic():  # how it was before: the change undone, then rolled back
            restore()
            before = {(r.kind, r.label) for r, _m in unroutable(government=government)}
            transaction.set_rollback(True)
        new += [(r, m) for r, m in after if (r.kind, r.label) not in before]
    return new


def _refuse(prefix: str, gaps: list[tuple[Route, list[workflows.Transition]]]) -> None:
    if gaps:
        route, missing = gaps[0]
        raise ValidationError(prefix % {"message": route_message(kind=route.kind, unit=route.unit, missing=missing)})


def membership_guard(membership: Any, *, action: str = "revoke") -> None:
    """Refuse to end `membership` (revoked, or moved to another unit: `action` "move") when a route of its
    agency would then reach nobody who can act.

    Called by `balai.people.services` after the membership was deactivated, inside its transaction:
    raising rolls the change back."""
    from balai.people.models import Membership

    agency = membership.unit.agency
    gaps = _new_gaps(agency_ids={agency.pk}, governments={agency.government_id},
                     restore=lambda: Membership.objects.filter(pk=membership.pk).update(is_active=True))
    _refuse(_("This member cannot be moved yet: %(message)s") if action == "move"
            else _("This role cannot be taken away yet: %(message)s"), gaps)


def account_guard(user: Any) -> None:
    """Refuse to deactivate the account `user` (`is_active` False) when a route of an agency where it holds
    a role would then reach nobody who can act. Called by `balai.people.services.user_set_access` after
    the account was switched off, inside its transaction: raising rolls it back."""
    from balai.people.models import Membership, User

    held = Membership.objects.filter(user_id=user.pk, is_active=True, unit__is_active=True)
    agencies = set(held.values_list("unit__agency_id", flat=True))
    governments = set(held.values_list("unit__agency__government_id", flat=True))
    if not agencies:
        return
    gaps = _new_gaps(agency_ids=agencies, governments=governments,
                     restore=lambda: User.objects.filter(pk=user.pk).update(is_active=True))
    _refuse(_("This account cannot be deactivated yet: %(message)s"), gaps)
