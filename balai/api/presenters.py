"""Turn a `CaseView` (what `balai.cases.visibility.case_view` allows this viewer) into API data.

Only fields of the CaseView are used for what the viewer may or may not see; the case row itself gives
only non-personal facts (deadline, version, open/closed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from balai.cases import workflows
from balai.cases.selectors import case_promise
from balai.cases.visibility import CaseView


def _ref(obj: Any) -> dict | None:
    if obj is None:
        return None
    code = getattr(obj, "code", None) or getattr(obj, "slug", "")
    name = getattr(obj, "name", "")
    return {"code": str(code), "name": str(name)}


def _timeline(view: CaseView, *, staff: bool) -> list[dict]:
    rows = []
    for entry in view.timeline:
        row = {
            "at": entry.at,
            "kind": entry.kind,
            "action": entry.action,
            "from_status": entry.from_status or "",
            "to_status": entry.to_status or "",
            "is_public": entry.is_public,
            "body": entry.body or "",
            "actor_label": entry.actor_label or "",
        }
        if staff:
            row["data"] = dict(entry.data or {})
        rows.append(row)
    return rows


def public_case(view: CaseView) -> dict:
    case = view.case
    return {
        "tracking_code": view.tracking_code,
        "kind": view.kind,
        "status": view.status,
        "status_label": str(workflows.status_label(view.kind, view.status)),
        "is_open": case.is_open,
        "submitted_at": view.submitted_at,
        "due_at": case.due_at if case.is_open else None,
        "title": view.title,
        "category": _ref(view.category),
        "region": _ref(view.region),
        "public_answer": view.public_answer,
        "promise": case_promise(case).as_dict(),
        "timeline": _timeline(view, staff=False),
    }


def staff_case(view: CaseView, *, actions: list) -> dict:
    case = view.case
    data = public_case(view)
    contact = None
    if view.can_see_identity and view.contact:
        contact = {k: str(view.contact.get(k) or "") for k in ("name", "phone", "email", "address", "channel",
                                                               "language")}
    location = None
    if view.location:
        location = {
            "latitude": None if view.location.get("latitude") is None else str(view.location["latitude"]),
            "longitude": None if view.location.get("longitude") is None else str(view.location["longitude"]),
            "text": str(view.location.get("text") or ""),
        }
    data |= dict(
        version=case.version,
        viewer_kind=view.viewer_kind,
        confidentiality=view.confidentiality,
        channel=case.channel,
        agency=case.agency.slug,
        unit=case.unit.slug if case.unit_id else None,
        assignee=case.assignee_id if view.can_see_internal else None,
        description=view.description,
        answers=view.answers,
        location=location,
        contact=contact,
        identity_sealed=view.identity_sealed,
        timeline=_timeline(view, staff=True),
        actions=[{"name": a.name, "label": str(a.label), "requires": sorted(a.requires)} for a in actions],
    )
    return data


def status_url(code: str) -> str:
    return reverse("api:case-status", kwargs={"code": code})


# One unbound DRF field, made once: its representation reads the current time zone on every call.
_DATETIME = serializers.DateTimeField()


def api_datetime(value: datetime | None) -> str | None:
    """A date-time as the API writes it: DRF's DateTimeField (ISO 8601 in the current time zone, "Z" for UTC)."""
    return _DATETIME.to_representation(value) if value else None


# The bodies a submission answers with are written here as the response's JSON values, without an output
# serializer: a submission is the API's busiest write, and building a serializer's fields for each answer
# cost more than the rest of the answer. `CaseCreatedSerializer` and `QueuedSubmissionSerializer` still
# describe them in the OpenAPI schema; tests/api/test_response_bodies.py holds both to the same output.


def created_case(case: Any, *, absolute) -> dict:
    """The 201 answer to a submission (`CaseCreatedSerializer`; `absolute`: path → URL)."""
    return {
        "tracking_code": str(case.tracking_code),
        "kind": str(case.kind),
        "status": str(case.status),
        "status_label": str(workflows.status_label(case.kind, case.status)),
        "submitted_at": api_datetime(case.submitted_at),
        "due_at": api_datetime(case.due_at),
        "agency": str(case.agency.slug),
        "status_url": absolute(status_url(case.tracking_code)),
        "promise": case_promise(case).as_dict(),
    }


def queued_submission(row, *, absolute) -> dict:
    """A queued-intake submission as the submissions/{token}/ endpoint shows it (`QueuedSubmissionSerializer`;
    `absolute`: path → URL)."""
    code = row.case.tracking_code if row.case_id else None
    return {
        "token": str(row.token),
        "status": str(row.status),
        "accepted_at": api_datetime(row.accepted_at),
        "tracking_code": code,
        "status_url": absolute(reverse("api:submission-status", kwargs={"token": row.token})),
        "case_url": absolute(status_url(code)) if code else None,
        "errors": {str(field): None if messages is None else [None if m is None else str(m) for m in messages]
                   for field, messages in (row.errors or {}).items()},
    }
