"""Writes of the government structure: an agency's units (create, rename or move; deactivating one checks its cases: `balai.cases.units`), each with an
audit record and checked against "agency.manage_units" on the agency. Members are granted and revoked in
`balai.people.services`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Unit
from balai.agencies.selectors import administered_agency_scope
from balai.audit.services import audit_change, audit_record
from balai.people.permissions import has_permission

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

    from balai.people.models import User


# Checks run before a unit is switched off, wherever (on /kantor/ or in the admin): raising a ValidationError
# refuses it. Domain apps register theirs (the cases app: no open case left there, no route still sending new
# cases to it, ADR 0040); agencies cannot read cases itself.
UNIT_CLOSING_GUARDS: list[Callable[[Unit], None]] = []


def register_unit_closing_guard(guard: Callable[[Unit], None]) -> None:
    if guard not in UNIT_CLOSING_GUARDS:
        UNIT_CLOSING_GUARDS.append(guard)


def check_unit_may_close(unit: Unit) -> None:
    """Raise a ValidationError (in the user's language) when `unit` may not be switched off now."""
    for guard in UNIT_CLOSING_GUARDS:
        guard(unit)


def check_may_manage_units(actor: User | None, agency: Agency) -> None:
    if not has_permission(actor, "agency.manage_units", agency):
        raise PermissionDenied(_("You may not manage this agency."))


def _unique_slug(agency: Agency, name: str) -> str:
    base = slugify(name)[:50] or "unit"
    slug, n = base, 1
    while Unit.objects.filter(agency=agency, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _parent(agency: Agency, parent: Unit | None) -> Unit | None:
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError({"parent": _("The parent unit must belong to the same agency.")})
    return parent


@transaction.atomic
def unit_create(*, actor: User | None, agency: Agency, name_id: str, name_en: str = "", kind: str = Unit.Kind.DIVISION,
                parent: Unit | None = None) -> Unit:
    check_may_manage_units(actor, agency)
    if not name_id.strip():
        raise ValidationError({"name_id": _("Enter the unit's name.")})
    unit = Unit(agency=agency, parent=_parent(agency, parent), name_id=name_id.strip(), name_en=name_en.strip(),
                kind=kind, slug=_unique_slug(agency, name_id))
    unit.full_clean()
    unit.save()
    audit_record(action="unit.create", actor=actor, target=unit, data={"agency": agency.pk, "name": unit.name_id})
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, name_id: str, name_en: str = "", parent: Unit | None = None) -> Unit:
    check_may_manage_units(actor, unit.agency)
    if not name_id.strip():
        raise ValidationError({"name_id": _("Enter the unit's name.")})
    before = unit.name_id
    unit.name_id, unit.name_en = name_id.strip(), name_en.strip()
    unit.parent = _parent(unit.agency, parent)
    unit.full_clean()  # refuses a unit placed under itself
    unit.save()
    audit_record(action="unit.update", actor=actor, target=unit,
                 data={"from": before, "to": unit.name_id, "parent": unit.parent_id})
    return unit


# --- the admin's reference-data pages, scoped to the agencies one administers (ADR 0015) -----------------


def check_agency_scope(actor: User | None, agencies: Iterable[int | None], message: str | StrPromise = "") -> None:
    """Refuse (PermissionDenied) unless every one of `agencies` is one `actor` administers: the rule of
    `administered_agency_scope`, for whichever admin page or service writes. A command (actor None) and a
    superuser pass; an object of no agency (None) is a superuser's only."""
    scope = None if actor is None else administered_agency_scope(actor)
    if scope is not None and not set(agencies) <= scope:
        raise PermissionDenied(message or _("You may edit only the agencies you administer and their units."))


@transaction.atomic
def agency_admin_save(*, actor: User | None, agency: Agency, via: str = "") -> Agency:
    """Save an agency edited by `actor`: only one they administer (a new one: a superuser's), never moved to
    another government; switching it off or on (it stops or starts taking cases) is in the audit chain."""
    stored = Agency.objects.filter(pk=agency.pk).first() if agency.pk else None
    check_agency_scope(actor, [stored.pk if stored else None])
    if stored is not None and stored.government_id != agency.government_id:
        check_agency_scope(actor, [None])  # the government is a superuser's to change (ADR 0015)
    agency.save()
    if stored is not None and stored.is_active != agency.is_active:
        audit_change(action="agency.activate" if agency.is_active else "agency.deactivate", actor=actor, via=via,
                     target=agency, data={"agency": agency.pk})
    return agency


@transaction.atomic
def unit_admin_save(*, actor: User | None, unit: Unit, via: str = "") -> Unit:
    """Save a unit edited by `actor` in the admin: only a unit of an agency they administer, kept there
    (moving a unit is a superuser's); switching it off or on is in the audit chain like on `/kantor/`."""
    stored = Unit.objects.filter(pk=unit.pk).first() if unit.pk else None
    check_agency_scope(actor, {unit.agency_id} | ({stored.agency_id} if stored else set()))
    if stored is not None and stored.agency_id != unit.agency_id:
        check_agency_scope(actor, [None])
    if stored is not None and stored.is_active and not unit.is_active:
        check_unit_may_close(unit)
    unit.save()
    if stored is None:
        audit_change(action="unit.create", actor=actor, via=via, target=unit,
                     data={"agency": unit.agency_id, "name": unit.name_id})
    elif stored.is_active != unit.is_active:
        audit_change(action="unit.activate" if unit.is_active else "unit.deactivate", actor=actor, via=via,
                     target=unit, data={"agency": unit.agency_id})
    return unit


@transaction.atomic
def admin_delete(*, actor: User | None, obj: Model, agencies: Iterable[int | None], via: str = "") -> None:
    """Delete a unit, an agency, a catalog entry or a participation process `obj` belonging to `agencies`
    (reference data every agency shares: `{None}`, a superuser's): scope-checked, and recorded in the audit
    chain as "<app>.<model>.delete" with what it was (Django's own admin log can be edited and is not
    evidence, ADR 0005)."""
    owners = set(agencies)
    check_agency_scope(actor, owners)
    audit_change(action=f"{obj._meta.app_label}.{obj._meta.model_name}.delete", actor=actor, via=via, target=obj,
                 data={"name": str(obj)[:200], "agencies": sorted(a for a in owners if a is not None)})
    obj.delete()


# --- reference data of no agency, shared by every agency: a superuser's (ADR 0015) ---------------------------


def _field_changes(stored: Model | None, entry: Model, secret_fields: Collection[str]) -> dict[str, dict]:
    """The fields of `entry` that differ from `stored` (every field of a new entry), as {"before": {...},
    "after": {...}}; a secret field (an API key) only as whether it is set. Timestamps the database keeps
    itself are left out."""
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for field in entry._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        old = None if stored is None else getattr(stored, field.attname)
        new = getattr(entry, field.attname)
        if stored is not None and old == new:
            continue
        if field.name in secret_fields:
            old, new = (None if stored is None else bool(old)), bool(new)
        before[field.name], after[field.name] = old, new
    return {"before": before if stored is not None else {}, "after": after}


@transaction.atomic
def shared_entry_save(*, actor: User | None, entry: Model, via: str = "", secret_fields: Collection[str] = ()) -> bool:
    """Save reference data that belongs to no agency and that every agency shares (service categories, life
    events, regions, the working-day calendar, message templates, services of other governments, a
    government's settings) as edited by `actor`: a superuser's (or a command's), since one agency's staff
    would change it for all. A new entry and every changed field go into the audit chain as
    "<app>.<model>.save" with the values before and after (`secret_fields` only as whether they are set).
    Deleting one is `admin_delete` with no agency. Returns whether anything changed."""
    check_agency_scope(actor, [None], _("Only a superuser may change reference data shared by every agency."))
    stored = type(entry)._default_manager.filter(pk=entry.pk).first() if entry.pk else None
    entry.save()
    changes = _field_changes(stored, entry, secret_fields)
    if stored is not None and not changes["after"]:
        return False
    audit_change(action=f"{entry._meta.app_label}.{entry._meta.model_name}.save", actor=actor, via=via,
                 target=entry, data={"name": str(entry)[:200], "created": stored is None, **changes})
    return True
