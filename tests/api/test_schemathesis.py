"""schemathesis against /api/schema/: for every operation, generated requests must never
cause a server error, and every response must match the schema (status code, content type, body).

Public operations are called without a key (and POST /cases/ with a client key); staff operations with a
staff token. Bounded: at most 25 examples per operation, derandomized so a failure reproduces.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.wsgi import application
from tests.api.conftest import ALL_SCOPES, member, staff_key
from tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded at collection: generating the schema reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the test's database
    connection (and its transaction); Django's test client disconnects the same handler."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def keys(api_world, settings):
    """A client key, a staff token (operator of the responsible unit), some cases; no rate limits."""
    from balai.people.services import client_application_create

    settings.BALAI_API_ANON_RATE = 0
    settings.BALAI_API_STAFF_RATE = 0
    _client, client_key = client_application_create(name="Fuzz", scopes=ALL_SCOPES, rate_limit_per_minute=0)
    for confidentiality in ("public", "confidential", "anonymous"):
        case_submit(Submission(kind="complaint", channel="web", title="Jalan rusak", description="Hubungi 081250000009",
                    complaint_category=api_world.category, contact_name="Budi", contact_phone="081250000009",
                    confidentiality=confidentiality))
    other = member("operator", UnitFactory(agency=AgencyFactory()))
    return {"client": client_key, "staff": staff_key(api_world.operator), "other_staff": staff_key(other)}


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_schema(case, keys):
    path = case.operation.path
    headers = {"Accept-Encoding": "identity"}  # GZipMiddleware: the WSGI transport does not decompress
    if path.startswith("/api/v1/staff/"):
        headers["Authorization"] = f"Bearer {keys['staff']}"
    elif path == "/api/v1/cases/" and case.method.upper() == "POST":
        headers["Authorization"] = f"Bearer {keys['client']}"
    case.call_and_validate(headers=headers, checks=CHECKS)
