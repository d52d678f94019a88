"""The demo client key (README) works in demo mode only."""

from __future__ import annotations

import pytest

from balai.ops.demo import api as demo_api
from balai.people.models import ClientApplication
from balai.people.services import client_application_for_key
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_demo_key_works_and_step_is_idempotent(settings, api):
    settings.DEMO_MODE = True
    StaffFactory(email=demo_api.DEMO_STAFF_EMAIL)
    demo_api.load(log=lambda _m: None)
    demo_api.load(log=lambda _m: None)
    assert ClientApplication.objects.count() == 2
    assert not client_application_for_key(demo_api.DEMO_CLIENT_KEY).queued_intake
    assert client_application_for_key(demo_api.DEMO_QUEUED_KEY).queued_intake  # README: try queued intake
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {demo_api.DEMO_STAFF_TOKEN}")
    assert api.get("/api/v1/staff/queue/").status_code == 200


def test_no_demo_key_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    demo_api.load(log=lambda _m: None)
    assert not ClientApplication.objects.exists()
