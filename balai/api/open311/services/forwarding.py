"""Forwarding a case to another government's Open311 endpoint and polling its status back (ADR 0013, 0020).

Used when a case belongs to another government (e.g. a regency running its own Balai): the agency sends
it on with `forward_case`; the periodic task `balai.api.open311.tasks.poll_forwarded` reads the remote
status and writes each change into the case's timeline. Only what the citizen submitted for the remote
service goes out (description, location, contact, form answers), as the remote government needs it to act;
for an anonymous case never the citizen's identity (name, phone, e-mail, NIK, identifying patterns in the
text), exactly what the case's own system view leaves out (`balai.cases.visibility`). Every attempt is in
the audit chain. What comes back is someone else's text on our public timeline: tags, control characters
and excess length are removed before it is stored.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from balai.api.open311.client import ForbiddenTargetError, Open311Client, Open311Error
from balai.api.open311.codes import code_for_case
from balai.api.open311.models import ForwardedCase, RemoteEndpoint
from balai.audit.services import audit_record
from balai.cases.models import Confidentiality, Event
from balai.cases.services import case_record_event
from balai.cases.visibility import SYSTEM, case_view, redact_for_case
from balai.people.permissions import has_permission

POLL_EVERY = timedelta(minutes=15)
MAX_NOTES = 500
MAX_REMOTE_ID = 100
_SPACES = re.compile(r"\s+")


def clean_remote_text(value: Any, *, limit: int) -> str:
    """A remote endpoint's text made safe to store and show: no markup (also none hidden in entities),
    no control or invisible formatting characters (e.g. right-to-left overrides), one line, at most
    `limit` characters."""
    text = str(value or "")
    for _round in range(3):  # "&lt;b&gt;" is markup once unescaped: strip until nothing changes
        cleaned = html.unescape(strip_tags(text))
        if cleaned == text:
            break
        text = cleaned
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text
                   if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn"))
    text = _SPACES.sub(" ", strip_tags(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _client(endpoint: RemoteEndpoint) -> Open311Client:
    return Open311Client(endpoint.base_url, api_key=endpoint.api_key, jurisdiction_id=endpoint.jurisdiction_id)


def _remote_code(endpoint: RemoteEndpoint, case: Any) -> str:
    ours = code_for_case(case)
    mapping = endpoint.service_codes or {}
    code = mapping.get(ours) or mapping.get("*") or ""
    if not code:
        raise ValidationError({"endpoint": [_("This endpoint has no service code for %(code)s.") % {"code": ours}]})
    return code


def _outgoing(case: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(GeoReport fields, attributes) of `case` as they leave Balai: the system's view of the case, which
    for an anonymous case holds no identity (no contact, no NIK, identifying answers left out)."""
    view = case_view(case=case, viewer=SYSTEM)
    anonymous = case.confidentiality == Confidentiality.ANONYMOUS
    description = case.description or case.title
    fields: dict[str, Any] = {
        "description": redact_for_case(description, case=case) if anonymous else description,
        "lat": case.latitude, "long": case.longitude,
        "address_string": case.location_text or (case.region.name if case.region_id else ""),
        "lang": case.language,
    }
    contact = view.contact if not anonymous else None
    if contact:
        fields |= {"email": contact["email"], "phone": contact["phone"], "first_name": contact["name"]}
    # File answers point at our attachments, which the remote cannot fetch; they are not sent.
    attributes = {k: v for k, v in (view.answers or {}).items() if not isinstance(v, dict)}
    return fields, attributes


def _audit_attempt(*, action: str, actor: Any, case: Any, endpoint: RemoteEndpoint, data: dict) -> None:
    with transaction.atomic():
        audit_record(action=action, actor=actor, target=case,
                     data={"endpoint": endpoint.pk, "host": urlsplit(endpoint.base_url).hostname or "", **data})


def forward_case(*, case: Any, endpoint: RemoteEndpoint, actor: Any) -> ForwardedCase:
    """POST `case` to `endpoint` (GeoReport v2 POST requests.json); record the remote id or token.

    Raises PermissionDenied unless `actor` may dispose the case (forwarding hands it to another
    government), ValidationError when the endpoint is inactive, has no matching service code, may not be
    reached (not a public address and not in BALAI_FORWARD_ALLOWED_HOSTS, or it redirects) or refuses.
    Every attempt that reaches the network is written to the audit chain, refused ones too.
    """
    if actor is not None and not has_permission(actor, "case.dispose", case):
        raise PermissionDenied(_("You may not forward this case."))
    if not endpoint.is_active:
        raise ValidationError({"endpoint": [_("This endpoint is not active.")]})
    remote_code = _remote_code(endpoint, case)
    fields, attributes = _outgoing(case)
    fields["service_code"] = remote_code
    if not (fields["lat"] is not None or fields["address_string"]):
        fields["address_string"] = str(case.government.name)
    sent = {"fields": sorted(k for k, v in fields.items() if v not in (None, "")), "attributes": sorted(attributes),
            "identity_sent": bool(fields.get("phone") or fields.get("email") or fields.get("first_name"))}
    try:
        answer = _client(endpoint).post_request(fields, attributes=attributes)
    except ForbiddenTargetError as exc:
        _audit_attempt(action="case.open311_forward_refused", actor=actor, case=case, endpoint=endpoint,
                       data={"reason": str(exc)[:200]})
        raise ValidationError({"endpoint": [
            _("Balai may not send cases to this endpoint's address (%(error)s). An operator can allow it in "
              "BALAI_FORWARD_ALLOWED_HOSTS.") % {"error": str(exc)[:200]}]}) from exc
    except Open311Error as exc:
        _audit_attempt(action="case.open311_forward_failed", actor=actor, case=case, endpoint=endpoint,
                       data={"error": str(exc)[:200], **sent})
        raise ValidationError({"endpoint": [_("The remote endpoint refused the case: %(error)s")
                                            % {"error": clean_remote_text(exc, limit=200)}]}) from exc
    if not isinstance(answer, dict):
        answer = {}
    remote_id = clean_remote_text(answer.get("service_request_id"), limit=MAX_REMOTE_ID)
    remote_token = clean_remote_text(answer.get("token"), limit=MAX_REMOTE_ID)
    with transaction.atomic():
        forward = ForwardedCase.objects.create(
            case=case, endpoint=endpoint, remote_service_code=remote_code,
            remote_id=remote_id, remote_token=remote_token, remote_status="open", forwarded_by=actor,
        )
        case_record_event(
            case=case, kind=Event.Kind.FORWARDING, action="open311_forward",
            actor=actor, actor_label=getattr(actor, "full_name", "") or "", at=timezone.now(),
            body=_("Forwarded to %(name)s (request %(id)s).") % {"name": endpoint.name,
                                                                  "id": forward.remote_id or forward.remote_token},
            data={"endpoint": endpoint.pk, "remote_id": forward.remote_id, "remote_token": forward.remote_token},
        )
        audit_record(action="case.open311_forward", actor=actor, target=case,
                     data={"endpoint": endpoint.pk, "host": urlsplit(endpoint.base_url).hostname or "",
                           "remote_id": forward.remote_id, **sent})
    return forward


def poll_forward(forward: ForwardedCase, *, now=None) -> bool:
    """Read the remote status of one forwarded case; write an Event when it changed. True if changed."""
    now = now or timezone.now()
    client = _client(forward.endpoint)
    try:
        if not forward.remote_id and forward.remote_token:
            resolved = client.token(forward.remote_token)
            forward.remote_id = clean_remote_text(resolved.get("service_request_id") if isinstance(resolved, dict)
                                                  else "", limit=MAX_REMOTE_ID)
        if not forward.remote_id:
            forward.last_polled_at = now
            forward.save(update_fields=["last_polled_at"])
            return False
        row = client.request(forward.remote_id)
    except Open311Error as exc:
        forward.last_error = clean_remote_text(exc, limit=300)
        forward.last_polled_at = now
        forward.save(update_fields=["last_error", "last_polled_at", "remote_id"])
        return False
    if not isinstance(row, dict):
        row = {}
    # Someone else's words on our public timeline: a known status, and plain short text.
    status = "closed" if row.get("status") == "closed" else "open"
    notes = clean_remote_text(row.get("status_notes"), limit=MAX_NOTES)
    changed = (status, notes) != (forward.remote_status, forward.remote_status_notes)
    with transaction.atomic():
        if changed:
            case = forward.case
            case_record_event(
                case=case, kind=Event.Kind.FORWARDING, action="open311_status", at=now,
                body=_("%(name)s: %(status)s. %(notes)s") % {
                    "name": forward.endpoint.name, "status": _("open") if status == "open" else _("closed"),
                    "notes": notes},
                data={"endpoint": forward.endpoint_id, "remote_id": forward.remote_id, "status": status,
                      "status_notes": notes, "updated": clean_remote_text(row.get("updated_datetime"), limit=40)},
            )
        forward.remote_status, forward.remote_status_notes = status, notes
        forward.remote_updated = clean_remote_text(row.get("updated_datetime"), limit=40)
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
