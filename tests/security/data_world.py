"""Shared data for the tests of personal data at rest, forwarding and the staff API (tests/security).

A module of fixtures rather than a conftest, so these tests share nothing by accident with other
security tests in the same folder: each test module imports what it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from balai.agencies.models import Unit
from balai.cases.submission import Submission
from tests.factories import (
    AgencyFactory,
    ComplaintCategoryFactory,
    GovernmentFactory,
    MembershipFactory,
    RegionFactory,
    ServiceFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

# A valid NIK (Samarinda, a woman born 15-08-1990, serial 0001); its digits must never reach a table.
NIK = "6472015508900001"
NIK_TYPED = "6472 0155 0890 0001"
# The field's name says nothing about a NIK: sealing goes by the field's TYPE.
NIK_FORM = [
    {"name": "nomor_induk", "type": "nik", "label": {"id": "Nomor induk", "en": "ID number"}, "required": True},
    {"name": "keperluan", "type": "text", "label": {"id": "Keperluan", "en": "Purpose"}, "required": False},
]


@dataclass
class DataWorld:
    government: Any
    agency: Any
    unit: Any
    other_agency: Any
    other_unit: Any
    foreign_agency: Any  # an agency of another government
    service: Any
    category: Any
    operator: Any
    head: Any
    outsider: Any  # operator of another agency of the same government
    inspector: Any
    citizen: Any


def _member(role: str, unit: Any) -> Any:
    user = StaffFactory(full_name=f"Petugas {role} {unit.slug}")
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture(name="data_world")
def data_world_fixture(db) -> DataWorld:
    gov = GovernmentFactory()
    agency = AgencyFactory(government=gov, short_name="Disdukcapil", slug="disdukcapil")
    unit = UnitFactory(agency=agency, slug="loket-dukcapil", kind=Unit.Kind.DESK)
    other_agency = AgencyFactory(government=gov, short_name="Dishub", slug="dishub-uji")
    other_unit = UnitFactory(agency=other_agency, slug="loket-dishub", kind=Unit.Kind.DESK)
    inspectorate = AgencyFactory(government=gov, short_name="Inspektorat", slug="inspektorat-uji",
                                 kind="inspektorat")
    insp_unit = UnitFactory(agency=inspectorate, slug="irban-uji", kind=Unit.Kind.DIVISION)
    regency = RegionFactory(code="64.02", name="Kutai Kartanegara", level="regency")
    foreign_gov = GovernmentFactory(region=regency, name="Pemerintah Kabupaten Kutai Kartanegara",
                                    short_name="Pemkab Kukar")
    foreign_agency = AgencyFactory(government=foreign_gov, short_name="Dishub Kukar", slug="dishub-kukar")
    UnitFactory(agency=foreign_agency, slug="loket-kukar", kind=Unit.Kind.DESK)
    service = ServiceFactory(agency=agency, unit=unit, code="surat-keterangan-uji", form_definition=NIK_FORM,
                             channels=["web", "counter", "api"], name_id="Surat keterangan uji",
                             name_en="Test certificate")
    category = ComplaintCategoryFactory(agency=agency, unit=unit, slug="pelayanan-uji", completion_working_days=60)
    return DataWorld(
        government=gov, agency=agency, unit=unit, other_agency=other_agency, other_unit=other_unit,
        foreign_agency=foreign_agency, service=service, category=category,
        operator=_member("operator", unit), head=_member("head", unit), outsider=_member("operator", other_unit),
        inspector=_member("inspector", insp_unit),
        citizen=UserFactory(full_name="Siti Rahmawati", phone="+6281234567890", email="siti@contoh.id"),
    )


def submit_with_nik(world: DataWorld, **overrides: Any):
    from balai.cases.services import case_submit

    kwargs: dict[str, Any] = {
        "kind": "service_request", "channel": "web", "title": "Surat keterangan", "service": world.service,
        "answers": {"nomor_induk": NIK_TYPED, "keperluan": "Melamar kerja"}, "contact_name": "Siti Rahmawati",
        "contact_phone": "0812-3456-7890",
    }
    kwargs.update(overrides)
    return case_submit(Submission(**kwargs))


def raw_rows(table: str) -> str:
    """Every row of `table` as the database holds it, as one string (what a dump would show)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return "\n".join(repr(row) for row in cursor.fetchall())
