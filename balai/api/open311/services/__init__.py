"""Open311 POST requests → `case_submit(Submission(channel="api", client=...))` (GeoReport v2 "Create service request")."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from balai.agencies.selectors import region_by_code
from balai.api.open311.models import RequestToken
from balai.cases.intake import queue_submission, queued_by_token
from balai.cases.models import QueuedSubmission
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.catalog.models import ComplaintCategory
from balai.rows import insert_rows


@dataclass(frozen=True)
class Submitted:
    case: Any  # None when queued (the client application has queued intake)
    token: str
    due_at: Any


def attributes_from(data: Mapping[str, Any]) -> dict[str, Any]:
    """`attribute[code]=value` form keys → {code: value}; repeated keys (multivaluelist) → a list."""
    out: dict[str, Any] = {}
    getlist = getattr(data, "getlist", None)
    for key in data:
        if key.startswith("attribute[") and key.endswith("]"):
            values = getlist(key) if getlist else [data[key]]
            out[key[10:-1]] = values[0] if len(values) == 1 else values
    return out


def submit_request(*, client: Any, target: Any, data: Mapping[str, Any], lang: str) -> Submitted:
    """Register one Open311 request for `target` (a Service or ComplaintCategory) as `client`.

    Raises ValidationError (field → messages) from the engine or for a missing location (the spec asks for
    lat/long, address_string or address_id).
    """
    lat, lon = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or "").strip()
    if not ((lat and lon) or address or address_id):
        raise ValidationError({"location": [_("Give a location: lat and long, address_string or address_id.")]})
    if bool(lat) != bool(lon):
        raise ValidationError({"location": [_("Give both lat and long.")]})
    description = (data.get("description") or "").strip()
    name = " ".join(p for p in ((data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()) if p)
    email = (data.get("email") or "").strip()
    phone = (data.get("phone") or "").strip()
    extra = {"open311": {k: data.get(k) for k in ("media_url", "device_id", "account_id") if data.get(k)}}
    is_category = isinstance(target, ComplaintCategory)
    region = None
    if address_id:
        region = region_by_code(address_id)
        if region is None:
            raise ValidationError({"address_id": [_("There is no region with this code.")]})
    fields = dict(
        kind="complaint" if is_category else "service_request", channel="api",
        title=title_from_text(description, fallback=getattr(target, f"name_{lang}", "") or target.name_id), description=description,
        service=None if is_category else target, complaint_category=target if is_category else None,
        answers=attributes_from(data) if not is_category else None,
        contact_name=name[:150], contact_phone=phone, contact_email=email,
        contact_channel="email" if email else ("sms" if phone else "none"),
        language=lang, region=region, latitude=lat or None, longitude=lon or None,
        location_text=address[:255], extra=extra,
        # Publication only with consent (docs/regulations.md §4): the extension attribute publish=true.
        confidentiality="public" if str(data.get("publish") or "").strip().lower() in ("true", "1", "yes") else
        "confidential",
        # Accommodation needs (extension attribute, comma-separated Balai codes such as sign_language), so
        # that they count in the inclusion figures like on every other intake.
        accommodations=[a.strip() for a in str(data.get("accommodations") or "").split(",") if a.strip()],
    )
    if client is not None and client.queued_intake:  # the spec's token-only answer (ADR 0014)
        row, prepared = queue_submission(Submission(client=client, **fields))
        return Submitted(case=None, token=row.token, due_at=prepared.due_at)
    token = secrets.token_urlsafe(16)
    case = case_submit(Submission(client=client, **fields),
                       also=lambda case: _write_token(token=token, case=case, client=client))
    return Submitted(case=case, token=token, due_at=case.due_at)


def _write_token(*, token: str, case: Any, client: Any) -> None:
    """The request's `RequestToken` row, in the engine's transaction: one prepared INSERT (`balai.rows`,
    ADR 0048) rather than the ORM's create, which compiled its statement for every request; no signal
    receiver watches these rows."""
    insert_rows([RequestToken(token=token, case=case, client=client)])


def resolve_token(token: str) -> dict[str, Any] | None:
    """The tokens/{token} row: the case's id once there is a case (None while queued); None if unknown.

    A queued submission the engine refused in the end raises ValidationError with its messages.
    """
    found = RequestToken.objects.select_related("case").filter(token=token).first()
    if found is not None:
        return {"service_request_id": found.case.tracking_code, "token": found.token}
    row = queued_by_token(token)
    if row is None:
        return None
    if row.status == QueuedSubmission.Status.FAILED:
        raise ValidationError(row.errors or {"token": [_("This request could not be registered.")]})
    return {"service_request_id": row.case.tracking_code if row.case_id else None, "token": row.token}
