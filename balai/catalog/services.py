"""Writes of the catalog domain: a citizen's request for a service of another government, forwarded there by
Open311 (ADR 0045). The outbox row is written here; the api face's background job sends it
(`balai.api.open311.services.external`) and records the outcome through the functions below. Every step is
in the audit chain; what the citizen typed is erased once the provider has it (or Balai gave up).

Also where staff edits send cases: a service's or complaint category's agency and unit, a regional complaint
route (`catalog_entry_save`, ADR 0015). A service of another government belongs to no agency: a superuser
edits it like the other reference data every agency shares (`balai.agencies.services.shared_entry_save`)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.agencies.services import check_agency_scope
from balai.audit.services import audit_change, audit_record
from balai.catalog.models import ComplaintCategory, ComplaintRoute, ExternalRequest, ExternalService, Service

if TYPE_CHECKING:
    from balai.people.models import User

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
# Waits before each retry (the outbox's pattern, ADR 0008); after the last one Balai gives up.
RETRY_WAITS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
               timedelta(hours=6), timedelta(hours=24))
MAX_ATTEMPTS = len(RETRY_WAITS) + 1


def _reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _n in range(10))
    return f"LR-{body[:5]}-{body[5:]}"


def _erase_personal(request: ExternalRequest) -> list[str]:
    request.description = request.address = request.contact_name = request.contact_phone = ""
    request.contact_email = ""
    return ["description", "address", "contact_name", "contact_phone", "contact_email"]


@transaction.atomic
def external_request_submit(*, service: ExternalService, description: str, address: str = "",
                            contact_name: str = "", contact_phone: str = "", contact_email: str = "",
                            language: str = "id") -> ExternalRequest:
    """Queue a citizen's request for `service` (which must forward by Open311); sent by the background job."""
    if not (service.is_published and service.forwards_by_open311):
        raise ValidationError(_("This service cannot be requested through Balai: apply at the provider."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what you need.")})
    if not (contact_phone or contact_email):
        raise ValidationError({"contact_phone": _("Give a phone number or an e-mail address, so that %(provider)s "
                                                  "can reach you.") % {"provider": service.provider}})
    request = ExternalRequest(service=service, description=description.strip(), address=address.strip(),
                              contact_name=contact_name.strip(), contact_phone=contact_phone.strip(),
                              contact_email=contact_email.strip(), language=language,
                              next_attempt_at=timezone.now())
    for _try in range(5):
        request.reference = _reference()
        if not ExternalRequest.objects.filter(reference=request.reference).exists():
            break
    request.save()
    audit_record(action="external_request.submit", actor=None, target=request,
                 data={"service": service.code, "provider": service.provider_id})
    return request


def external_request_record_sent(*, request: ExternalRequest, remote_id: str, remote_token: str,
                                 host: str, sent: dict[str, object], now: datetime | None = None) -> ExternalRequest:
    """The provider accepted the request: keep its tracking code (or token), erase what the citizen typed."""
    now = now or timezone.now()
    request.status, request.sent_at = ExternalRequest.Status.SENT, now
    request.remote_id, request.remote_token, request.remote_status = remote_id, remote_token, "open"
    request.attempts += 1
    request.last_error, request.next_attempt_at = "", None
    erased = _erase_personal(request)
    request.save(update_fields=["status", "sent_at", "remote_id", "remote_token", "remote_status", "attempts",
                                "last_error", "next_attempt_at", *erased])
    audit_record(action="external_request.forward", actor=None, target=request,
                 data={"service": request.service.code, "host": host, "remote_id": remote_id, **sent})
    return request


def external_request_record_failure(*, request: ExternalRequest, error: str, host: str, refused: bool = False,
                                    now: datetime | None = None) -> ExternalRequest:
    """The attempt failed (`refused`: the address may not be reached): retry later, or give up after
    MAX_ATTEMPTS (the citizen's page then says to apply at the provider; what they typed is erased)."""
    now = now or timezone.now()
    request.attempts += 1
    request.last_error = error[:300]
    fields = ["attempts", "last_error", "next_attempt_at", "status"]
    if request.attempts >= MAX_ATTEMPTS:
        request.status, request.next_attempt_at = ExternalRequest.Status.FAILED, None
        fields += _erase_personal(request)
    else:
        request.next_attempt_at = now + RETRY_WAITS[request.attempts - 1]
    request.save(update_fields=fields)
    audit_record(action="external_request.forward_refused" if refused else "external_request.forward_failed",
                 actor=None, target=request,
                 data={"service": request.service.code, "host": host, "error": error[:200],
                       "attempt": request.attempts, "gave_up": request.status == ExternalRequest.Status.FAILED})
    return request


def external_request_record_status(*, request: ExternalRequest, status: str, notes: str, updated: str,
                                   remote_id: str = "", now: datetime | None = None) -> bool:
    """What the provider says now (cleaned by the caller); True when it changed."""
    now = now or timezone.now()
    changed = (status, notes) != (request.remote_status, request.remote_status_notes)
    request.remote_id = remote_id or request.remote_id
    request.remote_status, request.remote_status_notes, request.remote_updated = status, notes, updated
    request.is_final, request.last_polled_at = status == "closed", now
    request.save(update_fields=["remote_id", "remote_status", "remote_status_notes", "remote_updated", "is_final",
                                "last_polled_at"])
    if changed:
        audit_record(action="external_request.status", actor=None, target=request,
                     data={"remote_id": request.remote_id, "status": status})
    return changed


def external_request_record_poll_error(*, request: ExternalRequest, error: str,
                                       now: datetime | None = None) -> None:
    request.last_error, request.last_polled_at = error[:300], now or timezone.now()
    request.save(update_fields=["last_error", "last_polled_at"])


# --- where cases and citizens' data go: catalog routing edited by staff (ADR 0015) ---------------------------

RoutedEntry = Service | ComplaintCategory | ComplaintRoute


def _routing(entry: RoutedEntry | None) -> dict[str, object] | None:
    """What decides where an entry's cases go, as audit data."""
    if entry is None:
        return None
    routing: dict[str, object] = {"agency": entry.agency_id, "unit": entry.unit_id}
    if isinstance(entry, ComplaintRoute):
        routing.update(category=entry.category_id, region=entry.region_id)
    return routing


def _check_scope(actor: User | None, entry: RoutedEntry, stored: RoutedEntry | None) -> None:
    """A superuser (or a command) routes anywhere. Anyone else edits only the entries of agencies they
    administer and routes them only there: re-pointing another agency's service at one's own unit would
    bring its future cases (and citizens' data) to them."""
    agencies = set()
    for version in (stored, entry):
        if isinstance(version, Service | ComplaintCategory | ComplaintRoute):
            agencies.add(version.agency_id)
            if version.unit is not None:
                agencies.add(version.unit.agency_id)
            if isinstance(version, ComplaintRoute):
                agencies.add(version.category.agency_id)
    check_agency_scope(actor, agencies, _("You may edit and route only the catalog entries of agencies you "
                                           "administer."))


@transaction.atomic
def catalog_entry_save(*, actor: User | None, entry: RoutedEntry, via: str = "") -> bool:
    """Save a service, complaint category or complaint route edited by `actor` (None: a command). Where it
    routes (agency, unit; a route's category and region) is checked against the actor's scope and, when new
    or changed, recorded in the audit chain as "catalog.<model>.route" with the before and after values.
    Returns whether the routing changed."""
    stored = type(entry).objects.filter(pk=entry.pk).first() if entry.pk else None
    _check_scope(actor, entry, stored)
    before = _routing(stored)
    entry.save()
    after = _routing(entry)
    if before == after:
        return False
    audit_change(action=f"catalog.{entry._meta.model_name}.route", actor=actor, via=via, target=entry,
                 data={"before": before, "after": after})
    return True


@transaction.atomic
def catalog_entry_delete(*, actor: User | None, entry: RoutedEntry, via: str = "") -> None:
    """Delete a service, a complaint category or a regional route (its complaints go to the category's
    agency again): scope-checked like an edit, and in the audit chain as "catalog.<model>.delete" with where
    it routed (Django's admin log is not evidence, ADR 0005)."""
    _check_scope(actor, entry, entry)
    audit_change(action=f"catalog.{entry._meta.model_name}.delete", actor=actor, via=via, target=entry,
                 data={"before": _routing(entry), "name": str(entry)[:200]})
    entry.delete()
