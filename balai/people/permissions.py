"""THE permission function: may this user do this action to this object?

Actions are declared once, as data (docs/architecture.md, permissions): each app registers ``{"case.verify": Rule(...)}`` at
start-up (``AppConfig.ready()``). A rule names the roles that may act and the scope in which their
membership must lie relative to the object:

- ``unit``: a membership in the object's unit or in an ancestor of it (the head of a bidang covers its
  seksi);
- ``agency``: a membership in any unit of the object's agency;
- ``government``: a membership anywhere in the object's government (e.g. inspectors of the Inspektorat,
  who oversee every agency: PP 12/2017 on supervision of regional government);
- ``any``: a membership anywhere.

Fail closed: unknown actions, anonymous or inactive users, inactive memberships (and memberships in
inactive units or agencies) grant nothing; an object whose scope cannot be told grants nothing for
the scoped rules. Superusers pass every *registered* action (an unknown action is a programming error
and is refused for them too, so a typo cannot hide behind a superuser test account).

Cost: a user's memberships and the unit trees of their agencies are loaded once (two queries) and
memoised on the user object, which Django builds afresh for every request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from balai.agencies.models import Agency, Government, Unit
from balai.people.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from balai.people.models import User

# Whoever asks: a user, the anonymous visitor of a request, or nobody (the citizen proven by a face).
UserLike: TypeAlias = "User | AnonymousUser | None"

logger = logging.getLogger(__name__)

SCOPES = frozenset({"unit", "agency", "government", "any"})
_CACHE_ATTR = "_balai_permission_cache"


@dataclass(frozen=True)
class Rule:
    """Who may act: one of ``roles`` holding a membership within ``scope`` of the object."""

    roles: frozenset[str]
    scope: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))
        unknown = self.roles - set(Role.values)
        if unknown:
            raise ImproperlyConfigured(f"Unknown role(s) in permission rule: {sorted(unknown)}")
        if not self.roles:
            raise ImproperlyConfigured("A permission rule needs at least one role.")
        if self.scope not in SCOPES:
            raise ImproperlyConfigured(
                f"Unknown permission scope {self.scope!r}; use one of {sorted(SCOPES)}."
            )


_RULES: dict[str, tuple[Rule, ...]] = {}


def register_rules(rules: Mapping[str, Rule | Iterable[Rule]]) -> None:
    """Register actions. A value may be one Rule or several (any one of them grants).

    Registering the same action again with the same rules is harmless (``ready()`` may run twice);
    with different rules it is a conflict and raises ImproperlyConfigured.
    """
    for action, value in rules.items():
        normalized = (value,) if isinstance(value, Rule) else tuple(value)
        if not normalized or not all(isinstance(rule, Rule) for rule in normalized):
            raise ImproperlyConfigured(f"Permission {action!r}: give a Rule or a list of Rules.")
        existing = _RULES.get(action)
        if existing is not None and set(existing) != set(normalized):
            raise ImproperlyConfigured(f"Permission {action!r} is already registered with other rules.")
        _RULES[action] = normalized


def registered_rules() -> dict[str, tuple[Rule, ...]]:
    """A copy of every registered action and its rules (for documentation and tests)."""
    return dict(_RULES)


def unregister_rules(actions: Iterable[str]) -> None:
    """Remove actions (tests only)."""
    for action in actions:
        _RULES.pop(action, None)


# Base actions of this layer: an agency's administrator manages its units and their members.
register_rules(
    {
        "agency.manage_units": Rule(frozenset({Role.ADMIN}), "agency"),
        "agency.manage_members": Rule(frozenset({Role.ADMIN}), "agency"),
    }
)


# --- the user's memberships, loaded once ------------------------------------------------------------


@dataclass
class _Grants:
    """Per role: the units covered (membership units and their descendants), agencies and governments."""

    units: dict[str, set[int]] = field(default_factory=dict)
    direct_units: dict[str, set[int]] = field(default_factory=dict)
    agencies: dict[str, set[int]] = field(default_factory=dict)
    governments: dict[str, set[int]] = field(default_factory=dict)

    def roles(self) -> set[str]:
        return set(self.direct_units)


@dataclass(frozen=True)
class _UnitRow:
    pk: int
    kind: str


# Roles that also cover their agency's intake queue (`balai.agencies.selectors.intake_unit`), and
# whether that is the information intake (PPID) rather than the complaint/service intake.
INTAKE_ROLES: dict[str, bool] = {Role.VERIFIER: False, Role.HEAD: False, Role.PPID: True}
INTAKE_KINDS = frozenset({Unit.Kind.DESK, Unit.Kind.SECRETARIAT, Unit.Kind.PPID})


def _is_active_user(user: UserLike) -> TypeGuard[User]:
    """Signed in and active (the anonymous visitor never is)."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def _grants(user: User) -> _Grants:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = _Grants()
    rows = list(
        Membership.objects.filter(
            user_id=user.pk, is_active=True, unit__is_active=True, unit__agency__is_active=True
        ).values_list("role", "unit_id", "unit__agency_id", "unit__agency__government_id")
    )
    if rows:
        from balai.agencies.selectors import pick_intake_unit

        children: dict[int, list[int]] = {}
        by_agency: dict[int, list[_UnitRow]] = {}
        for unit_id, parent_id, agency_id, kind, is_active in (
            Unit.objects.filter(agency_id__in={row[2] for row in rows})
            .order_by("id").values_list("id", "parent_id", "agency_id", "kind", "is_active")
        ):
            if parent_id is not None:
                children.setdefault(parent_id, []).append(unit_id)
            if is_active:
                by_agency.setdefault(agency_id, []).append(_UnitRow(unit_id, kind))
        for role, unit_id, agency_id, government_id in rows:
            grants.direct_units.setdefault(role, set()).add(unit_id)
            grants.agencies.setdefault(role, set()).add(agency_id)
            grants.governments.setdefault(role, set()).add(government_id)
            covered = grants.units.setdefault(role, set())
            stack = [unit_id]
            # The agency's intake queue: every verifier and head of the agency sees it and acts in it,
            # every PPID officer of the agency its information intake (issue: every case reaches someone).
            intake_roles = INTAKE_ROLES.get(role)
            if intake_roles is not None:
                intake = pick_intake_unit(by_agency.get(agency_id, []), information=intake_roles)
                if intake is not None and intake.kind in INTAKE_KINDS:  # not a bidang standing in for one
                    stack.append(intake.pk)
            while stack:  # the unit and its descendants; `covered` also guards against a cycle
                node = stack.pop()
                if node in covered:
                    continue
                covered.add(node)
                stack.extend(children.get(node, ()))
    setattr(user, _CACHE_ATTR, grants)
    return grants


def clear_permission_cache(user: UserLike) -> None:
    """Forget the memoised memberships (after granting or revoking one on this user object)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _target(obj: object) -> tuple[int | None, int | None, int | None] | None:
    """(government_id, agency_id, unit_id) of the object, or None if it cannot be told."""
    scope = getattr(obj, "permission_scope", None)
    if callable(scope):
        return tuple(scope())
    if isinstance(obj, Unit):
        return (obj.agency.government_id, obj.agency_id, obj.pk)
    if isinstance(obj, Agency):
        return (obj.government_id, obj.pk, None)
    if isinstance(obj, Government):
        return (obj.pk, None, None)
    return None


def _rule_grants(
    rule: Rule, grants: _Grants, target: tuple[int | None, int | None, int | None] | None
) -> bool:
    roles = rule.roles & grants.roles()
    if not roles:
        return False
    if target is None:
        # No object: "may the user do this anywhere?" (menus, queues). Acting on an object needs the object.
        return True
    if rule.scope == "any":
        return True
    government_id, agency_id, unit_id = target
    if rule.scope == "unit":
        return unit_id is not None and any(unit_id in grants.units[role] for role in roles)
    if rule.scope == "agency":
        return agency_id is not None and any(agency_id in grants.agencies[role] for role in roles)
    if rule.scope == "government":
        return government_id is not None and any(government_id in grants.governments[role] for role in roles)
    return False


def has_permission(user: UserLike, action: str, obj: object = None) -> bool:
    """May ``user`` do ``action`` to ``obj``?

    ``obj`` is anything with ``permission_scope() -> (government_id, agency_id, unit_id)``, or a Unit,
    Agency or Government. With ``obj=None`` the question is "anywhere?" (to show a menu or a queue);
    a view acting on an object must ask again with the object. An object of an unknown kind is
    refused.
    """
    rules = _RULES.get(action)
    if rules is None:
        logger.warning("Permission check for unregistered action %r refused.", action)
        return False
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    target = None
    if obj is not None:
        target = _target(obj)
        if target is None:
            return False
    grants = _grants(user)
    return any(_rule_grants(rule, grants, target) for rule in rules)


def _roles_filter(roles: Iterable[str] | None, grants: _Grants) -> set[str]:
    return grants.roles() if roles is None else grants.roles() & set(roles)


def units_for(user: UserLike, *, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Units the user works in with one of ``roles`` (any role if None), including child units.

    Superusers: all units. Anonymous/inactive users: none.
    """
    if not _is_active_user(user):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    grants = _grants(user)
    ids: set[int] = set()
    for role in _roles_filter(roles, grants):
        ids |= grants.units[role]
    return Unit.objects.filter(pk__in=ids)


def agencies_for(user: UserLike, *, roles: Iterable[str] | None = None) -> QuerySet[Agency]:
    """Agencies in which the user holds one of ``roles`` (any role if None). Superusers: all."""
    if not _is_active_user(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    grants = _grants(user)
    ids: set[int] = set()
    for role in _roles_filter(roles, grants):
        ids |= grants.agencies[role]
    return Agency.objects.filter(pk__in=ids)


def roles_in(user: UserLike, unit: Unit) -> set[str]:
    """The roles the user holds in ``unit`` directly or through an ancestor unit (active only)."""
    if not _is_active_user(user) or unit is None:
        return set()
    grants = _grants(user)
    return {role for role, units in grants.units.items() if unit.pk in units}
