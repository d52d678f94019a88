"""Fixtures for the REST API tests: two agencies with staff, a service with a form, client keys, tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from balai.agencies.models import Region, Unit
from balai.api.auth import staff_token_create
from balai.people.services import client_application_create
from tests.factories import (
    AgencyFactory,
    ComplaintCategoryFactory,
    GovernmentFactory,
    MembershipFactory,
    RegionFactory,
    ServiceFactory,
    StaffFactory,
    UnitFactory,
)

FORM = [
    {"name": "jumlah", "type": "number", "label": {"id": "Jumlah", "en": "Number"}, "required": True,
     "min": 1, "max": 10},
    {"name": "keperluan", "type": "text", "label": {"id": "Keperluan", "en": "Purpose"}, "required": False},
]
ALL_SCOPES = ("catalog:read", "cases:submit", "cases:read", "stats:read")


@dataclass
class ApiWorld:
    agency: Any
    unit: Any
    other_agency: Any
    service: Any
    category: Any
    operator: Any  # operator in the responsible unit
    head: Any
    outsider: Any  # operator of another agency
    region: Any


def member(role: str, unit: Any) -> Any:
    user = StaffFactory(full_name=f"Petugas {role} {unit.slug}")
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


@pytest.fixture
def api_world(db) -> ApiWorld:
    gov = GovernmentFactory()
    regency = RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.CITY,
                            parent=Region.objects.get(code="64"))
    agency = AgencyFactory(government=gov, short_name="Dinkes", slug="dinkes")
    unit = UnitFactory(agency=agency, slug="pelayanan", kind=Unit.Kind.DESK)
    UnitFactory(agency=agency, slug="ppid-dinkes", kind=Unit.Kind.PPID)
    other_agency = AgencyFactory(government=gov, short_name="Dishub", slug="dishub")
    other_unit = UnitFactory(agency=other_agency, slug="layanan-dishub", kind=Unit.Kind.DESK)
    service = ServiceFactory(agency=agency, unit=unit, code="surat-sehat", form_definition=FORM)
    category = ComplaintCategoryFactory(agency=agency, unit=unit, slug="kesehatan", completion_working_days=60)
    return ApiWorld(agency, unit, other_agency, service, category, member("operator", unit),
                    member("head", unit), member("operator", other_unit), regency)


@pytest.fixture
def client_key(db) -> tuple[Any, str]:
    return client_application_create(name="Aplikasi Uji", scopes=ALL_SCOPES, rate_limit_per_minute=1000)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_client(api: APIClient, key: str) -> APIClient:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def staff_key(user: Any) -> str:
    return staff_token_create(user=user, name="skrip")[1]


def submission(world: ApiWorld, **overrides: Any) -> dict:
    body = {"kind": "service_request", "title": "Surat keterangan sehat", "service": world.service.code,
            "answers": {"jumlah": 2}, "contact_name": "Siti Aminah", "contact_phone": "081250000001"}
    body.update(overrides)
    return body
