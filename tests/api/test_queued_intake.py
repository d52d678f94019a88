"""Queued intake (ADR 0014): a client application that sends in bulk gets a token at once; the worker
registers the very same case moments later; bad input is still refused at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.audit.models import AuditRecord
from balai.cases.intake import forget_registered, register_queued
from balai.cases.models import Case, Event, QueuedSubmission
from balai.notify.models import Message
from balai.people.services import client_application_create
from tests.api.conftest import ALL_SCOPES, as_client, submission
from tests.api.open311.conftest import validate
from tests.api.open311.test_server import BASE, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk_key(db):
    return client_application_create(name="Sistem Kabupaten", scopes=ALL_SCOPES, rate_limit_per_minute=1000,
                                     queued_intake=True)


def test_rest_answers_202_with_a_token_then_the_worker_registers_the_same_case(api, api_world, bulk_key):
    client, key = bulk_key
    with CaptureQueriesContext(connection) as queries:
        r = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["status"] == "queued" and body["tracking_code"] is None and body["errors"] == {}
    assert r["Location"] == body["status_url"] and body["status_url"].endswith(f"/submissions/{body['token']}/")
    assert not Case.objects.exists()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
              and "balai_cache" not in q["sql"]]  # the rate limiter's counter (Redis in production)
    assert len(writes) == 1 and "cases_queuedsubmission" in writes[0]  # accepting is one INSERT

    assert as_client(api, key).get(body["status_url"]).json()["status"] == "queued"
    assert register_queued() == {"registered": 1, "failed": 0}
    case = Case.objects.get()
    row = QueuedSubmission.objects.get()
    # the same case a synchronous submission makes: routed, timed from acceptance, audited, acknowledged
    assert (case.channel, case.client_id, case.service, case.unit) == ("api", client.pk, api_world.service,
                                                                       api_world.unit)
    assert case.submitted_at == row.accepted_at and case.answers == {"jumlah": 2}
    assert Event.objects.filter(case=case, action="submit").count() == 1
    assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).count() == 1
    assert Message.objects.filter(case=case, event="received").count() == 1
    status = as_client(api, key).get(body["status_url"]).json()
    assert status["status"] == "registered" and status["tracking_code"] == case.tracking_code
    assert status["case_url"].endswith(f"/api/v1/cases/{case.tracking_code}/")
    assert register_queued() == {"registered": 0, "failed": 0}  # never twice


def test_bad_input_is_refused_at_once_with_field_errors(api, api_world, bulk_key):
    _client, key = bulk_key
    r = as_client(api, key).post("/api/v1/cases/", submission(api_world, answers={"jumlah": 99}), format="json")
    assert r.status_code == 400
    assert "answers.jumlah" in str(r.json())
    assert not QueuedSubmission.objects.exists()


def test_a_submission_the_engine_refuses_later_is_marked_failed(api, api_world, bulk_key):
    _client, key = bulk_key
    r = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    api_world.service.is_published = False  # withdrawn between acceptance and registration
    api_world.service.save()
    assert register_queued() == {"registered": 0, "failed": 1}
    status = as_client(api, key).get(r.json()["status_url"]).json()
    assert status["status"] == "failed" and status["errors"]["service"] and status["tracking_code"] is None
    assert not Case.objects.exists()


def test_only_the_sending_client_reads_the_submission(api, api_world, bulk_key, client_key):
    _client, key = bulk_key
    url = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json").json()["status_url"]
    assert as_client(api, client_key[1]).get(url).status_code == 404
    assert as_client(api, key).get("/api/v1/submissions/nope/").status_code == 404


def test_a_synchronous_client_still_gets_201_and_its_case(api, api_world, client_key):
    r = as_client(api, client_key[1]).post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 201 and Case.objects.filter(tracking_code=r.json()["tracking_code"]).exists()


def test_open311_answers_with_a_token_that_resolves_once_registered(client, api_world, bulk_key):
    _app, key = bulk_key
    response = post(client, key)
    assert response.status_code == 201, response.content
    body = response.json()
    validate("post-response.json", body)
    assert body[0]["service_request_id"] is None and body[0]["token"] and body[0]["service_notice"]
    token = body[0]["token"]
    pending = client.get(f"{BASE}tokens/{token}.json").json()
    validate("tokens.json", pending)
    assert pending == [{"service_request_id": None, "token": token}]
    assert client.get(f"{BASE}tokens/{token}.xml").status_code == 200
    register_queued()
    code = Case.objects.get().tracking_code
    assert client.get(f"{BASE}tokens/{token}.json").json() == [{"service_request_id": code, "token": token}]
    assert client.get(f"{BASE}requests/{code}.json").json()[0]["service_request_id"] == code


def test_open311_token_of_a_refused_submission_says_why(client, api_world, bulk_key):
    token = post(client, bulk_key[1]).json()[0]["token"]
    api_world.service.is_published = False
    api_world.service.save()
    register_queued()
    response = client.get(f"{BASE}tokens/{token}.json")
    assert response.status_code == 400
    validate("errors.json", response.json())


def test_old_rows_are_forgotten_but_queued_ones_kept(api, api_world, bulk_key):
    from datetime import timedelta

    from django.utils import timezone

    _client, key = bulk_key
    for _ in range(2):
        as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    register_queued(limit=1)
    QueuedSubmission.objects.update(accepted_at=timezone.now() - timedelta(days=31))
    assert forget_registered() == 1
    assert QueuedSubmission.objects.get().status == "queued"


def test_the_worker_job_is_registered(settings):
    from balai.cases.tasks import register_queued_submissions

    assert settings.BALAI_PERIODIC_TASKS["balai.cases.tasks.register_queued_submissions"] <= 10
    assert register_queued_submissions.module_path == "balai.cases.tasks.register_queued_submissions"
