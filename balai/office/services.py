"""Writes of the workspace's own bookkeeping (ADR 0030 §2): canned answers, digest preferences and runs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balai.agencies.models import Agency
from balai.audit.services import audit_record
from balai.office.models import CannedAnswer
from balai.people.permissions import has_permission


def _check(actor: Any, agency: Agency) -> None:
    if not has_permission(actor, "agency.manage_units", agency):
        raise PermissionDenied(_("You may not manage this agency."))


@transaction.atomic
def canned_answer_save(*, actor: Any, agency: Agency, title: str, body_id: str, body_en: str = "",
                       is_active: bool = True, canned: CannedAnswer | None = None) -> CannedAnswer:
    _check(actor, agency)
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if not body_id.strip():
        errors["body_id"] = _("Enter the text in Indonesian.")
    if errors:
        raise ValidationError(errors)
    if canned is not None and canned.agency_id != agency.pk:
        raise PermissionDenied(_("You may not manage this agency."))
    canned = canned or CannedAnswer(agency=agency)
    canned.title, canned.body_id, canned.body_en, canned.is_active = (title.strip(), body_id.strip(),
                                                                      body_en.strip(), is_active)
    canned.save()
    audit_record(action="canned_answer.save", actor=actor, target=canned, data={"title": canned.title})
    return canned
