"""Deactivating a unit of an agency: only when no open case sits there and no route still sends new cases
to it (every case must reach someone who can act). A domain service because it reads cases and routes; the
rest of the unit administration is `balai.agencies.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balai.agencies.models import Unit
from balai.agencies.services import check_may_manage_units, check_unit_may_close
from balai.audit.services import audit_record
from balai.cases.selectors import routes_into

if TYPE_CHECKING:
    from balai.people.models import User


def unit_closing_guard(unit: Unit) -> None:
    """A unit is switched off only when no open case sits there and no route still sends new cases to it:
    every case must reach someone who can act (ADR 0040). Registered with the agencies app, so the admin's
    switch checks it too."""
    if unit.cases.filter(is_open=True).exists():  # `cases` is the reverse relation
        raise ValidationError(_("This unit still has open cases. Forward them to another unit first."))
    sending = routes_into(unit)
    if sending:
        raise ValidationError(_("New cases are still sent to this unit (%(routes)s). Point them at "
                                "another unit first.") % {"routes": ", ".join(sending[:5])})


@transaction.atomic
def unit_set_active(*, actor: User | None, unit: Unit, active: bool) -> Unit:
    """Deactivate (or re-activate) a unit; kept for the record, its memberships stop granting anything."""
    check_may_manage_units(actor, unit.agency)
    if active is False:
        check_unit_may_close(unit)
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    audit_record(action="unit.activate" if active else "unit.deactivate", actor=actor, target=unit)
    return unit
