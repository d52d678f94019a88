"""The staff API forwards (disposes) a case only where the workspace's forward form would: an active agency
or unit of the case's own government (`balai.cases.selectors.disposal_agencies`, the same function)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from balai.api.auth import staff_token_create
from balai.cases.errors import MissingRequirement
from balai.cases.models import Case
from balai.cases.services import case_dispose
from balai.office.selectors import target_choices
from tests.security.data_world import data_world_fixture, submit_with_nik  # noqa: F401

pytestmark = pytest.mark.django_db


def _dispose(world, case, **target):
    _token, key = staff_token_create(user=world.head, name="uji")
    return APIClient().post(
        f"/api/v1/staff/cases/{case.tracking_code}/transitions/",
        {"action": "dispose", "expected_version": case.version, "reason": "Bukan kewenangan kami", **target},
        format="json", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_workspace_form_and_the_api_use_the_same_targets(data_world):
    from balai.cases.selectors import disposal_agencies

    case = submit_with_nik(data_world)
    offered = {value for _group, options in target_choices(case) for value, _label in options if value.startswith("a:")}
    assert offered == {f"a:{pk}" for pk in disposal_agencies(case).values_list("pk", flat=True)}
    assert f"a:{data_world.foreign_agency.pk}" not in offered


def test_api_refuses_an_agency_of_another_government(data_world):
    case = submit_with_nik(data_world)
    response = _dispose(data_world, case, target_agency=data_world.foreign_agency.slug)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "target_agency"
    case.refresh_from_db()
    assert case.agency_id == data_world.agency.pk and case.version == 1


def test_api_refuses_a_unit_of_another_government(data_world):
    case = submit_with_nik(data_world)
    foreign_unit = data_world.foreign_agency.units.get()
    response = _dispose(data_world, case, target_unit=foreign_unit.pk)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "target_unit"
    assert Case.objects.get(pk=case.pk).agency_id == data_world.agency.pk


def test_api_refuses_an_inactive_agency(data_world):
    case = submit_with_nik(data_world)
    data_world.other_agency.is_active = False
    data_world.other_agency.save(update_fields=["is_active"])
    assert _dispose(data_world, case, target_agency=data_world.other_agency.slug).status_code == 400


def test_api_forwards_to_an_agency_the_workspace_offers(data_world):
    case = submit_with_nik(data_world)
    response = _dispose(data_world, case, target_agency=data_world.other_agency.slug)
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).agency_id == data_world.other_agency.pk


def test_the_engine_itself_refuses_another_government_whatever_the_face(data_world):
    case = submit_with_nik(data_world)
    with pytest.raises(MissingRequirement) as info:
        case_dispose(case=case, actor=data_world.head, reason="Salah alamat", target_agency=data_world.foreign_agency)
    assert "target" in info.value.field_errors
    assert Case.objects.get(pk=case.pk).agency_id == data_world.agency.pk
