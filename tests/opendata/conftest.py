"""Test data for the open-data face: a world of cases with known personal data (tests/portal flows B world)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.portal.flows_b_data import act, build_world, submit

NAME = "Zulkarnain Wibisono"
PHONE_RAW = "0813-5566-7788"
PHONE_VARIANTS = ("+6281355667788", "081355667788", "0813-5566-7788", "81355667788", "0813 5566 7788")
EMAIL = "zul.wibisono@contoh.id"
NIK = "6472015001900003"
ADDRESS = "Jalan Mawar Nomor 77"
SECRET_TEXT = "rahasia-kebocoran-pipa"
ANON_LAT, ANON_LON = Decimal("-0.502345"), Decimal("117.153812")
PUBLIC_LAT, PUBLIC_LON = Decimal("-0.498761"), Decimal("117.143219")


def personal_values() -> list[str]:
    """Every personal value the tests planted (what must never appear in a public page or download)."""
    return [NAME, *PHONE_VARIANTS, EMAIL, NIK, ADDRESS, SECRET_TEXT, str(ANON_LAT), str(ANON_LON),
            str(PUBLIC_LAT), str(PUBLIC_LON), "-0.5023", "117.1538"]


def build_opendata_world() -> dict[str, Any]:
    from balai.transparency import rollup

    world = build_world()
    contact = {"contact_name": NAME, "contact_phone": PHONE_RAW, "contact_email": EMAIL,
               "contact_address": ADDRESS}
    public = []
    for i in range(12):
        case = submit(world, "complaint", title=f"Lampu jalan mati {i}",
                      description=f"Tolong hubungi {PHONE_RAW} atau {EMAIL}, NIK {NIK}.",
                      latitude=PUBLIC_LAT, longitude=PUBLIC_LON, **contact)
        public.append(case)
    for case in public[:4]:
        act(world, case, "verify", role="verifier")
    submit(world, "complaint", title="Laporan rahasia", description=f"{SECRET_TEXT} oleh {NAME}",
           confidentiality="confidential", **contact)
    submit(world, "complaint", title=f"{SECRET_TEXT} anonim", description=f"{SECRET_TEXT} {NIK}",
           confidentiality="anonymous", latitude=ANON_LAT, longitude=ANON_LON, **contact)
    submit(world, "service_request", **contact)
    rollup.update()
    world["public_cases"] = public
    return world


@pytest.fixture
def od_world(db) -> dict[str, Any]:
    return build_opendata_world()
