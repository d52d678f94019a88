"""Writes of the catalog domain: a citizen's request for a service of another government, forwarded there by
Open311 (ADR 0045). The outbox row is written here; the api face's background job sends it
(`balai.api.open311.services.external`) and records the outcome through the functions below. Every step is
in the audit chain; what the citizen typed is erased once the provider has it (or Balai gave up)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.audit.services import audit_record
from balai.catalog.models import ExternalRequest, ExternalService

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
