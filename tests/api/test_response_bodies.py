"""A submission's answers are written without output serializers (balai/api/presenters.py): the bodies must
stay what `CaseCreatedSerializer` and `QueuedSubmissionSerializer` (the OpenAPI schema) give."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from balai.api import serializers as s
from balai.api.presenters import created_case, queued_submission, status_url
from balai.cases import workflows
from balai.cases.models import Case, ClockState, QueuedSubmission
from balai.cases.selectors import case_promise
from balai.people.services import client_application_create
from tests.api.conftest import ALL_SCOPES, as_client, submission

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def absolute(path: str) -> str:
    return HOST + path


def serialized(serializer_class, body: dict) -> dict:
    """What the serializer's data renders to (the JSON a client receives)."""
    return json.loads(JSONRenderer().render(serializer_class(body).data))


def created_by_serializer(case: Case) -> dict:
    """The 201 body as the view built it with `CaseCreatedSerializer`."""
    return serialized(s.CaseCreatedSerializer, {
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "status": case.status,
        "status_label": str(workflows.status_label(case.kind, case.status)),
        "submitted_at": case.submitted_at,
        "due_at": case.due_at,
        "agency": case.agency.slug,
        "status_url": absolute(status_url(case.tracking_code)),
        "promise": case_promise(case).as_dict(),
    })


def queued_by_serializer(row: QueuedSubmission) -> dict:
    code = row.case.tracking_code if row.case_id else None
    body = queued_submission(row, absolute=absolute)
    return serialized(s.QueuedSubmissionSerializer, body | {"accepted_at": row.accepted_at,
                                                            "tracking_code": code, "errors": row.errors or {}})


def rendered(body: dict) -> dict:
    return json.loads(JSONRenderer().render(body))


def test_the_201_body_is_what_the_serializer_gave(api, api_world, client_key):
    r = as_client(api, client_key[1]).post("/api/v1/cases/", submission(api_world), format="json",
                                           HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 201, r.content
    case = Case.objects.select_related("agency").get(tracking_code=r.json()["tracking_code"])
    with translation.override("en"):
        expected = created_by_serializer(case)
    body = r.json()
    expected["promise"]["working_days_left"] = body["promise"]["working_days_left"]  # counted at answer time
    # The promise writes expected_at with the offset of the value it was given (the engine's, local; the
    # row read again here, UTC): the same moment.
    assert datetime.fromisoformat(body["promise"]["expected_at"]) == datetime.fromisoformat(
        expected["promise"].pop("expected_at"))
    expected["promise"]["expected_at"] = body["promise"]["expected_at"]
    assert body == expected and list(body) == list(expected) and list(body["promise"]) == list(expected["promise"])
    assert r["Location"] == body["status_url"] == f"{HOST}/api/v1/cases/{case.tracking_code}/"
    assert r["Content-Type"] == "application/json" and r["Content-Language"] == "en"


@pytest.mark.parametrize("zone", ["UTC", "Asia/Makassar", "America/Sao_Paulo"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_created_case_matches_the_serializer_in_every_state(api, api_world, client_key, zone, lang):
    """Running, overdue, paused, no deadline, answered (closure window) and closed; both languages; time
    zones with and without an offset (DRF writes UTC as "Z")."""
    r = as_client(api, client_key[1]).post("/api/v1/cases/", submission(
        api_world, kind="complaint", service="", complaint_category=api_world.category.slug, answers={}),
        format="json")
    assert r.status_code == 201, r.content
    case = Case.objects.select_related("agency", "complaint_category").get(tracking_code=r.json()["tracking_code"])
    now = timezone.now()
    states = [
        {},
        {"due_at": now - timedelta(days=3)},
        {"clock_state": ClockState.PAUSED},
        {"due_at": None, "clock_state": ClockState.NOT_STARTED},
        {"status": "answered", "auto_close_at": now + timedelta(days=14)},
        {"status": "closed", "is_open": False, "closed_at": now.replace(microsecond=0)},
        {"submitted_at": now.replace(microsecond=0)},
    ]
    with timezone.override(zone), translation.override(lang):
        for changes in states:
            for name, value in changes.items():
                setattr(case, name, value)
            assert rendered(created_case(case, absolute=absolute)) == created_by_serializer(case), changes


@pytest.mark.parametrize("zone", ["UTC", "Asia/Makassar"])
def test_queued_bodies_match_the_serializer(api, api_world, zone):
    _client, key = client_application_create(name="Sistem Kabupaten", scopes=ALL_SCOPES, rate_limit_per_minute=1000,
                                             queued_intake=True)
    r = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 202, r.content
    row = QueuedSubmission.objects.get()
    assert r.json() == queued_by_serializer(row) and r["Location"] == r.json()["status_url"]
    with timezone.override(zone):
        assert rendered(queued_submission(row, absolute=absolute)) == queued_by_serializer(row)
        row.status, row.errors = QueuedSubmission.Status.FAILED, {"service": ["Tidak ada."], "answers.x": ["a", "b"]}
        assert rendered(queued_submission(row, absolute=absolute)) == queued_by_serializer(row)
    status = as_client(api, key).get(r.json()["status_url"])
    assert status.json() == queued_by_serializer(QueuedSubmission.objects.get()) and status["Cache-Control"] == "no-store"
