"""The typed values every face builds (ADR 0026): a `Submission` survives the queued intake's JSON, refuses
what cannot be queued, and reads payloads stored before it existed; `case_submit` takes nothing else."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from decimal import Decimal

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.services import case_submit, case_transition
from balai.cases.submission import RowCache, Submission
from tests.cases.conftest import submit, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _roundtrip(sub: Submission, **kw) -> Submission:
    return Submission.from_payload(json.loads(json.dumps(sub.to_payload())), **kw)


def test_a_queued_submission_round_trips_through_json(world):  # noqa: F811
    sub = Submission(kind="complaint", channel="api", title="Jalan berlubang", description="Di depan pasar",
                     complaint_category=world.category, contact_phone="081234567890", contact_channel="sms",
                     language="en", latitude=Decimal("-0.502106"), longitude="117.153709",
                     location_text="Jl. Juanda", confidentiality="confidential", accommodations=("sign_language",),
                     accommodation_note="Juru bahasa", extra={"source": {"id": 7}}, agency=world.agency)
    back = _roundtrip(sub, rows=RowCache())
    assert back == dataclasses.replace(sub, latitude="-0.502106", agency=world.agency)
    assert back.complaint_category == world.category and back.agency == world.agency


def test_a_round_trip_keeps_service_answers_and_the_client(world):  # noqa: F811
    from balai.people.services import client_application_create

    client, _key = client_application_create(name="Sistem Kabupaten", scopes=["cases:submit"],
                                             rate_limit_per_minute=0)
    at = datetime(2026, 3, 2, 9, 0).astimezone()
    sub = Submission(kind="service_request", channel="api", title="Surat", service=world.service,
                     answers={"jumlah": 3}, client=client)
    back = _roundtrip(sub, client=client, submitted_at=at)
    assert (back.service, back.answers, back.client, back.submitted_at) == (world.service, {"jumlah": 3}, client, at)
    assert back.but(submitted_at=None) == sub


@pytest.mark.parametrize("field", ["files", "citizen", "registered_by", "submitted_at"])
def test_what_a_client_cannot_send_is_not_queueable(world, field):  # noqa: F811
    value = {"files": [object()], "citizen": world.citizen, "registered_by": world.staff["operator"],
             "submitted_at": datetime(2026, 1, 5).astimezone()}[field]
    sub = Submission(kind="complaint", channel="api", title="x", complaint_category=world.category,
                     **{field: value})
    with pytest.raises(TypeError, match=field):
        sub.to_payload()


def test_a_payload_stored_before_the_typed_value_reads_back(world):  # noqa: F811
    """Rows queued by the keyword API stored only the keys given, and rows by primary key."""
    old = {"kind": "complaint", "channel": "api", "title": "Lampu mati", "contact_phone": "081234567890",
           "complaint_category": world.category.pk, "service": None, "region": None, "agency": None,
           "latitude": None, "longitude": None}
    sub = Submission.from_payload(old)
    assert sub.complaint_category == world.category and sub.contact_channel == "sms" and sub.answers == {}
    assert case_submit(sub).tracking_code


def test_case_submit_and_case_transition_take_only_the_typed_values(world, submit):  # noqa: F811
    with pytest.raises(TypeError):
        case_submit(kind="complaint", channel="web", title="x")  # type: ignore[call-arg]
    case = submit("complaint")
    with pytest.raises(TypeError):
        case_transition(case=case, action="verify", actor=world.staff["verifier"])  # type: ignore[call-arg]
    case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    assert case.status != "submitted"


def test_the_values_are_frozen():
    sub = Submission(kind="complaint", channel="web", title="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.title = "y"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CaseCommand(action="note").body = "y"  # type: ignore[misc]
