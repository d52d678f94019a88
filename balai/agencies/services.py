"""Writes of the government structure: an agency's units (create, rename or move; deactivating one checks its cases: `balai.cases.units`), each with an
audit record and checked against "agency.manage_units" on the agency. Members are granted and revoked in
`balai.people.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Unit
from balai.audit.services import audit_record
from balai.people.permissions import has_permission

if TYPE_CHECKING:
    from balai.people.models import User


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
