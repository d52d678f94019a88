"""Bulk assign/forward: each case through the engine separately, with a result per case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from balai.audit.models import AuditRecord
from balai.cases.bulk import bulk_apply
from balai.cases.models import Case, Event
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db
URL = reverse("office:bulk")


def test_assign_several_each_with_its_own_event_and_audit(client, world, submit):
    cases = [submit("complaint") for _ in range(3)]
    office_login(client, world.staff["head"])
    response = client.post(URL, {"cases": [c.tracking_code for c in cases], "action": "assign",
                                 "assignee": world.staff["operator"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3" in html and "tag--green" in html
    for case in cases:
        case.refresh_from_db()
        assert case.assignee == world.staff["operator"]
        assert Event.objects.filter(case=case, action="assign", actor=world.staff["head"]).count() == 1
        assert AuditRecord.objects.filter(target_id=str(case.pk), action__contains="assign").exists()


def test_some_fail_and_the_others_go_through(world, submit):
    ok = submit("complaint")
    closed = force_state(submit("complaint"), "closed")
    foreign = submit("complaint")
    Case.objects.filter(pk=foreign.pk).update(unit=world.ict_unit, agency=world.diskominfo)
    results = bulk_apply(user=world.staff["head"], codes=[ok.tracking_code, closed.tracking_code,
                                                        foreign.tracking_code, "KT-XXXX-XXXX"],
                         action="assign", assignee=world.staff["operator"])
    by_code = {r.code: r for r in results}
    assert by_code[ok.tracking_code].ok
    assert not by_code[closed.tracking_code].ok and by_code[closed.tracking_code].message
    assert not by_code[foreign.tracking_code].ok  # not in the head's units
    assert not by_code["KT-XXXX-XXXX"].ok
    assert Case.objects.get(pk=ok.pk).assignee == world.staff["operator"]
    assert Case.objects.get(pk=closed.pk).assignee is None


def test_a_stale_version_is_a_per_case_conflict(world, submit, monkeypatch):
    from balai.cases import services

    case = submit("complaint")
    real = services.case_transition

    def racing(case, command):
        Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # someone else
        return real(case, command)

    monkeypatch.setattr(services, "case_transition", racing)
    results = bulk_apply(user=world.staff["head"], codes=[case.tracking_code], action="assign",
                         assignee=world.staff["operator"])
    assert not results[0].ok and results[0].message


def test_forward_needs_a_reason_and_a_target(client, world, submit):
    case = submit("complaint")
    office_login(client, world.staff["head"])
    response = client.post(URL, {"cases": [case.tracking_code], "action": "dispose"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    response = client.post(URL, {"cases": [case.tracking_code], "action": "dispose",
                                 "target": f"u:{world.other_unit.pk}", "reason": "Bukan wewenang kami"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.unit == world.other_unit
    event = Event.objects.get(case=case, action="dispose")
    assert event.data.get("reason") == "Bukan wewenang kami" or "Bukan wewenang kami" in (event.body or "")


def test_nothing_chosen_is_a_clear_error(client, world, submit):
    submit("complaint")
    office_login(client, world.staff["head"])
    response = client.post(URL, {"action": "assign", "assignee": world.staff["operator"].pk})
    assert response.status_code == 400
    assert "id_cases" in response.content.decode()
