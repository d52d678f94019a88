"""Sending citizens' requests for services of other governments to those governments' Open311 endpoints, and
reading their status back (ADR 0045). The rows are the catalog's outbox (`catalog.ExternalRequest`, written
by the portal); this job sends each one with the forwarding client of ADR 0013/0020 (public addresses only
unless allow-listed in BALAI_FORWARD_ALLOWED_HOSTS, no redirects), one worker per row (locked, skipped by
others), retried with growing waits, every attempt audited. What comes back is cleaned like any remote text.

Idempotent: a row is sent only while it waits (`pending`) and is marked sent in the same transaction that
holds its lock, so running the job twice, or on two workers, sends each request once. The request carries
Balai's reference as the attribute `balai_reference`, so a provider can recognise a resend after a crash
between its answer and our commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from balai.api.open311.client import ForbiddenTargetError, Open311Client, Open311Error
from balai.api.open311.services.forwarding import MAX_NOTES, MAX_REMOTE_ID, POLL_EVERY, clean_remote_text
from balai.catalog import selectors as catalog_selectors
from balai.catalog import services as catalog_services


def _client(service: Any) -> Open311Client:
    return Open311Client(service.open311_url, api_key=service.open311_api_key,
                         jurisdiction_id=service.open311_jurisdiction_id)


def _outgoing(request: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    fields: dict[str, Any] = {
        "service_code": request.service.open311_service_code, "description": request.description,
        "address_string": request.address or str(request.service.provider), "lang": request.language,
        "first_name": request.contact_name, "phone": request.contact_phone, "email": request.contact_email,
    }
    return {k: v for k, v in fields.items() if v}, {"balai_reference": request.reference}


def send_one(request: Any, *, now: datetime) -> bool:
    """POST one locked pending request; record the outcome. True when the provider accepted it."""
    host = urlsplit(request.service.open311_url).hostname or ""
    fields, attributes = _outgoing(request)
    sent: dict[str, object] = {"fields": sorted(fields), "identity_sent": bool(
        fields.get("phone") or fields.get("email") or fields.get("first_name"))}
    try:
        answer = _client(request.service).post_request(fields, attributes=attributes)
    except ForbiddenTargetError as exc:
        catalog_services.external_request_record_failure(request=request, error=str(exc), host=host, refused=True,
                                                         now=now)
        return False
    except Open311Error as exc:
        catalog_services.external_request_record_failure(request=request, error=clean_remote_text(exc, limit=300),
                                                         host=host, now=now)
        return False
    answer = answer if isinstance(answer, dict) else {}
    remote_id = clean_remote_text(answer.get("service_request_id"), limit=MAX_REMOTE_ID)
    remote_token = clean_remote_text(answer.get("token"), limit=MAX_REMOTE_ID)
    catalog_services.external_request_record_sent(request=request, remote_id=remote_id, remote_token=remote_token,
                                                  host=host, sent=sent, now=now)
    return True


def send_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Send every request whose attempt is due (each in its own transaction holding its row); returns how
    many the providers accepted."""
    now = now or timezone.now()
    accepted = 0
    for _n in range(limit):
        with transaction.atomic():
            row = catalog_selectors.external_requests_due(now=now, limit=1).first()
            if row is None:
                break
            accepted += send_one(row, now=now)
    return accepted


def poll_one(request: Any, *, now: datetime) -> bool:
    client = _client(request.service)
    try:
        remote_id = request.remote_id
        if not remote_id and request.remote_token:
            resolved = client.token(request.remote_token)
            remote_id = clean_remote_text(resolved.get("service_request_id") if isinstance(resolved, dict) else "",
                                          limit=MAX_REMOTE_ID)
        if not remote_id:
            catalog_services.external_request_record_poll_error(request=request, error="", now=now)
            return False
        row = client.request(remote_id)
    except Open311Error as exc:
        catalog_services.external_request_record_poll_error(request=request, error=clean_remote_text(exc, limit=300),
                                                            now=now)
        return False
    row = row if isinstance(row, dict) else {}
    return catalog_services.external_request_record_status(
        request=request, status="closed" if row.get("status") == "closed" else "open",
        notes=clean_remote_text(row.get("status_notes"), limit=MAX_NOTES),
        updated=clean_remote_text(row.get("updated_datetime"), limit=40), remote_id=remote_id, now=now)


def poll_due(*, now: datetime | None = None) -> int:
    """Read the status of sent requests still open at the provider, each at most every POLL_EVERY."""
    now = now or timezone.now()
    return sum(poll_one(r, now=now) for r in catalog_selectors.external_requests_to_poll(since=now - POLL_EVERY))
