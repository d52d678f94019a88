"""Inspectorate: escalated cases across agencies, with their history, filtered by agency."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.cases.services import case_add_note
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db
URL = reverse("office:inspectorate")


def test_escalated_cases_of_every_agency_with_history(client, world, submit):
    dinkes = submit("complaint")
    case_add_note(case=dinkes, actor=world.staff["operator"], body="Menunggu laporan lapangan")
    force_state(dinkes, "in_progress", escalation_level=2, escalated_at=timezone.now())
    ict = force_state(submit("ict_request"), "in_progress", escalation_level=2, escalated_at=timezone.now())
    not_escalated = submit("complaint")
    head_only = force_state(submit("complaint"), "verified", escalation_level=1)
    office_login(client, world.staff["inspector"])
    html = client.get(URL).content.decode()
    assert dinkes.tracking_code in html and ict.tracking_code in html
    assert not_escalated.tracking_code not in html and head_only.tracking_code not in html
    assert "Menunggu laporan lapangan" in html  # the timeline is shown
    filtered = client.get(f"{URL}?instansi={world.diskominfo.pk}").content.decode()
    assert ict.tracking_code in filtered and dinkes.tracking_code not in filtered


def test_unknown_agency_filter_is_explained_not_500(client, world, submit):
    office_login(client, world.staff["inspector"])
    response = client.get(f"{URL}?instansi=abc")
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_heads_are_not_inspectors(client, world):
    office_login(client, world.staff["head"])
    assert client.get(URL).status_code == 403
