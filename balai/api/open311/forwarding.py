"""Forwarding a case to another government's Open311 endpoint and polling its status back (ADR 0013).

Used when a case belongs to another government (e.g. a regency running its own Balai): the agency sends
it on with `forward_case`; the periodic task `balai.api.open311.tasks.poll_forwarded` reads the remote
status and writes each change into the case's timeline. Only what the citizen submitted for the remote
service goes out (description, location, contact, form answers), as the remote government needs it to act.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.api.open311.client import Open311Client, Open311Error
from balai.api.open311.codes import code_for_case
from balai.api.open311.models import ForwardedCase, RemoteEndpoint
from balai.cases.models import Event

POLL_EVERY = timedelta(minutes=15)


def _client(endpoint: RemoteEndpoint) -> Open311Client:
    return Open311Client(endpoint.base_url, api_key=endpoint.api_key, jurisdiction_id=endpoint.jurisdiction_id)


def _remote_code(endpoint: RemoteEndpoint, case: Any) -> str:
    ours = code_for_case(case)
    mapping = endpoint.service_codes or {}
    code = mapping.get(ours) or mapping.get("*") or ""
    if not code:
        raise ValidationError({"endpoint": [_("This endpoint has no service code for %(code)s.") % {"code": ours}]})
    return code


def forward_case(*, case: Any, endpoint: RemoteEndpoint, actor: Any) -> ForwardedCase:
    """POST `case` to `endpoint` (GeoReport v2 POST requests.json); record the remote id or token.

    Raises PermissionDenied unless `actor` may dispose the case (forwarding hands it to another
    government), ValidationError when the endpoint is inactive, has no matching service code or refuses.
    """
    from balai.audit.services import audit_record
    from balai.people.permissions import has_permission

    if actor is not None and not has_permission(actor, "case.dispose", case):
        raise PermissionDenied(_("You may not forward this case."))
    if not endpoint.is_active:
        raise ValidationError({"endpoint": [_("This endpoint is not active.")]})
    remote_code = _remote_code(endpoint, case)
    fields = {
        "service_code": remote_code,
        "description": case.description or case.title,
        "lat": case.latitude, "long": case.longitude,
        "address_string": case.location_text or (case.region.name if case.region_id else ""),
        "email": case.contact_email, "phone": case.contact_phone,
        "first_name": case.contact_name, "lang": case.language,
    }
    if not (fields["lat"] is not None or fields["address_string"]):
        fields["address_string"] = str(case.government.name)
    try:
        answer = _client(endpoint).post_request(fields, attributes=case.answers or {})
    except Open311Error as exc:
        raise ValidationError({"endpoint": [_("The remote endpoint refused the case: %(error)s")
                                            % {"error": str(exc)[:200]}]}) from exc
    with transaction.atomic():
        forward = ForwardedCase.objects.create(
            case=case, endpoint=endpoint, remote_service_code=remote_code,
            remote_id=answer.get("service_request_id") or "", remote_token=answer.get("token") or "",
            remote_status="open", forwarded_by=actor,
        )
        Event.objects.create(
            case=case, kind=Event.Kind.FORWARDING, action="open311_forward", from_status=case.status,
            to_status=case.status, actor=actor, actor_label=getattr(actor, "full_name", "") or "",
            is_public=True, at=timezone.now(),
            body=_("Forwarded to %(name)s (request %(id)s).") % {"name": endpoint.name,
                                                                  "id": forward.remote_id or forward.remote_token},
            data={"endpoint": endpoint.pk, "remote_id": forward.remote_id, "remote_token": forward.remote_token},
        )
        audit_record(action="case.open311_forward", actor=actor, target=case,
                     data={"endpoint": endpoint.pk, "remote_id": forward.remote_id})
    return forward


def poll_forward(forward: ForwardedCase, *, now=None) -> bool:
    """Read the remote status of one forwarded case; write an Event when it changed. True if changed."""
    now = now or timezone.now()
    client = _client(forward.endpoint)
    try:
        if not forward.remote_id and forward.remote_token:
            forward.remote_id = client.token(forward.remote_token).get("service_request_id") or ""
        if not forward.remote_id:
            forward.last_polled_at = now
            forward.save(update_fields=["last_polled_at"])
            return False
        row = client.request(forward.remote_id)
    except Open311Error as exc:
        forward.last_error = str(exc)[:300]
        forward.last_polled_at = now
        forward.save(update_fields=["last_error", "last_polled_at", "remote_id"])
        return False
    status, notes = row.get("status") or "", row.get("status_notes") or ""
    changed = (status, notes) != (forward.remote_status, forward.remote_status_notes)
    with transaction.atomic():
        if changed:
            case = forward.case
            Event.objects.create(
                case=case, kind=Event.Kind.FORWARDING, action="open311_status", from_status=case.status,
                to_status=case.status, is_public=True, at=now,
                body=_("%(name)s: %(status)s. %(notes)s") % {
                    "name": forward.endpoint.name, "status": _("open") if status == "open" else _("closed"),
                    "notes": notes},
                data={"endpoint": forward.endpoint_id, "remote_id": forward.remote_id, "status": status,
                      "status_notes": notes, "updated": row.get("updated_datetime") or ""},
            )
        forward.remote_status, forward.remote_status_notes = status, notes
        forward.remote_updated = (row.get("updated_datetime") or "")[:40]
        forward.is_final = status == "closed"
        forward.last_polled_at, forward.last_error = now, ""
        forward.save()
    return changed


def poll_due(*, now=None, limit: int = 200) -> int:
    """Poll forwarded cases not closed remotely and not polled in the last POLL_EVERY; returns changes."""
    now = now or timezone.now()
    due = (ForwardedCase.objects.select_related("endpoint", "case")
           .filter(is_final=False, endpoint__is_active=True)
           .exclude(last_polled_at__gt=now - POLL_EVERY).order_by("last_polled_at", "id")[:limit])
    return sum(poll_forward(f, now=now) for f in due)
