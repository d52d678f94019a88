"""Fixtures for the ICT desk, registry and status tests: Diskominfo with an ICT agent, a requesting
agency with an officer and its head, and ICT services with their desk profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from balai.agencies.models import Agency, Unit
from balai.catalog.models import Service
from balai.ict.models import ServiceProfile
from tests.factories import AgencyFactory, MembershipFactory, ServiceFactory, StaffFactory, UnitFactory

WITA = ZoneInfo("Asia/Makassar")


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


@dataclass
class Desk:
    diskominfo: Any
    ict_unit: Any
    agency: Any
    agent: Any
    ict_head: Any
    officer: Any
    agency_head: Any
    other_head: Any
    incident: Any
    subdomain: Any
    security: Any
    proposal: Any


def _member(role: str, unit: Any, name: str) -> Any:
    user = StaffFactory(full_name=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def _service(code: str, unit: Any, ticket: str, *, approval: bool = False, days: int = 3) -> Any:
    service = ServiceFactory(code=code, kind=Service.Kind.ICT, agency=unit.agency, unit=unit,
                             deadline_working_days=days, channels=["web"])
    ServiceProfile.objects.create(service=service, ticket=ticket, needs_agency_head_approval=approval)
    return service


@pytest.fixture
def fresh_status_board(db):
    """The /status/ board is a cached fragment: every test starts without it."""
    from balai.ict.services import forget_status_board

    forget_status_board()
    yield
    forget_status_board()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ict(db) -> Desk:
    diskominfo = AgencyFactory(slug="diskominfo", short_name="Diskominfo", kind=Agency.Kind.DINAS)
    ict_unit = UnitFactory(agency=diskominfo, slug="aptika", kind=Unit.Kind.DIVISION)
    agency = AgencyFactory(slug="dinkes", short_name="Dinkes", government=diskominfo.government)
    office = UnitFactory(agency=agency, slug="sekretariat", kind=Unit.Kind.SECRETARIAT)
    other = AgencyFactory(slug="dishub", short_name="Dishub", government=diskominfo.government)
    return Desk(
        diskominfo=diskominfo, ict_unit=ict_unit, agency=agency,
        agent=_member("ict_agent", ict_unit, "Fajar Agen"),
        ict_head=_member("head", ict_unit, "Kepala Aptika"),
        officer=_member("operator", office, "Rina Petugas"),
        agency_head=_member("head", office, "Kepala Dinkes"),
        other_head=_member("head", UnitFactory(agency=other, slug="sekretariat-dishub"), "Kepala Dishub"),
        incident=_service("tik-gangguan", ict_unit, ServiceProfile.Ticket.INCIDENT, days=5),
        subdomain=_service("tik-subdomain", ict_unit, ServiceProfile.Ticket.REQUEST, approval=True),
        security=_service("tik-insiden-siber", ict_unit, ServiceProfile.Ticket.SECURITY, days=1),
        proposal=_service("tik-aplikasi-baru", ict_unit, ServiceProfile.Ticket.APPLICATION, approval=True, days=10),
    )
