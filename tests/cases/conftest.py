"""Fixtures for the case-engine tests: one agency with a unit and its staff, services and a category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from balai.agencies.models import Agency, Unit
from balai.cases.submission import Submission
from balai.catalog.models import Service
from tests.factories import (
    AgencyFactory,
    ComplaintCategoryFactory,
    GovernmentFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

WITA = ZoneInfo("Asia/Makassar")


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


@dataclass
class World:
    government: Any
    agency: Any
    unit: Any
    other_unit: Any
    ppid_unit: Any
    diskominfo: Any
    ict_unit: Any
    inspectorate: Any
    service: Any
    ict_service: Any
    category: Any
    staff: dict[str, Any]  # role -> user in `unit` (ppid in ppid_unit, ict_agent in ict_unit)
    outsider: Any  # operator of another agency
    citizen: Any


def _member(role: str, unit: Any) -> Any:
    user = StaffFactory(full_name=f"Petugas {role} {unit.slug}")
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Staff fixtures get passwords; hashing them with PBKDF2 would dominate these tests' time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    gov = GovernmentFactory()
    agency = AgencyFactory(government=gov, short_name="Dinkes", slug="dinkes")
    unit = UnitFactory(agency=agency, slug="pelayanan", kind=Unit.Kind.DIVISION)
    other_unit = UnitFactory(agency=agency, slug="sdk", kind=Unit.Kind.DIVISION)
    ppid_unit = UnitFactory(agency=agency, slug="ppid", kind=Unit.Kind.PPID)
    diskominfo = AgencyFactory(government=gov, short_name="Diskominfo", slug="diskominfo")
    ict_unit = UnitFactory(agency=diskominfo, slug="layanan-tik", kind=Unit.Kind.DESK)
    inspectorate = AgencyFactory(government=gov, short_name="Inspektorat", slug="inspektorat",
                                 kind=Agency.Kind.INSPEKTORAT)
    insp_unit = UnitFactory(agency=inspectorate, slug="irban", kind=Unit.Kind.DIVISION)
    service = ServiceFactory(agency=agency, unit=unit, deadline_working_days=5)
    ict_service = ServiceFactory(agency=diskominfo, unit=ict_unit, deadline_working_days=3, kind=Service.Kind.ICT)
    category = ComplaintCategoryFactory(agency=agency, unit=unit, completion_working_days=60)
    staff = {role: _member(role, unit) for role in ("operator", "verifier", "head", "counter")}
    staff["ppid"] = _member("ppid", ppid_unit)
    staff["ppid_head"] = _member("head", ppid_unit)
    staff["ict_agent"] = _member("ict_agent", ict_unit)
    staff["ict_head"] = _member("head", ict_unit)
    staff["inspector"] = _member("inspector", insp_unit)
    staff["counter_ppid"] = _member("counter", ppid_unit)
    staff["counter_ict"] = _member("counter", ict_unit)
    outsider_agency = AgencyFactory(government=gov)
    outsider = _member("operator", UnitFactory(agency=outsider_agency))
    citizen = UserFactory(full_name="Siti Rahmawati", phone="+6281234567890")
    return World(gov, agency, unit, other_unit, ppid_unit, diskominfo, ict_unit, inspectorate, service,
                 ict_service, category, staff, outsider, citizen)


@pytest.fixture
def submit(world):
    """case_submit with sensible defaults for each kind."""
    from balai.cases.services import case_submit

    def _submit(kind: str = "service_request", **kw: Any):
        defaults: dict[str, Any] = {"channel": "web", "title": "Permohonan uji", "description": "Isi",
                                    "contact_name": "Siti", "contact_phone": "0812-3456-7890"}
        if kind == "service_request":
            defaults["service"] = world.service
        elif kind == "ict_request":
            defaults["service"] = world.ict_service
        elif kind in ("complaint", "aspiration"):
            defaults["complaint_category"] = world.category
        elif kind == "information_request":
            defaults["agency"] = world.agency
        defaults.update(kw)
        return case_submit(Submission(kind=kind, **defaults))

    return _submit


def force_state(case: Any, status: str, **fields: Any) -> Any:
    """Put a case in a state for a test (tests may write status; `balai/` may not, except services)."""
    from balai.cases.models import Case
    from balai.cases.workflows import workflow_for

    wf = workflow_for(case.kind)
    values: dict[str, Any] = {"status": status, "is_open": status not in wf.closed_states}
    values.update(fields)
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case
