"""Test data for the portal's tracking, account, respond, survey and public-list tests (portal flows B)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from balai.agencies.models import Region, Unit
from balai.cases.commands import CaseCommand
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
)


def build_world() -> dict[str, Any]:
    """One agency with a service unit (operator, verifier, head), a PPID unit, a service and a category,
    and two regencies (Samarinda with a district, Balikpapan)."""
    cache.clear()  # rate limits and one-time codes live in the cache
    province = RegionFactory()
    samarinda = RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.CITY, parent=province)
    district = RegionFactory(code="64.72.01", name="Palaran", level=Region.Level.DISTRICT, parent=samarinda)
    balikpapan = RegionFactory(code="64.71", name="Kota Balikpapan", level=Region.Level.CITY, parent=province)
    gov = GovernmentFactory(region=province)
    agency = AgencyFactory(government=gov, short_name="Dinkes", slug="dinkes")
    other_agency = AgencyFactory(government=gov, short_name="PUPR", slug="pupr")
    unit = UnitFactory(agency=agency, slug="pelayanan", kind=Unit.Kind.DESK)
    ppid = UnitFactory(agency=agency, slug="ppid", kind=Unit.Kind.PPID)
    other_unit = UnitFactory(agency=other_agency, slug="jalan", kind=Unit.Kind.DESK)
    service = ServiceFactory(agency=agency, unit=unit, deadline_working_days=5, name_id="Surat sehat",
                             name_en="Health certificate")
    category = ComplaintCategoryFactory(agency=agency, unit=unit, slug="kesehatan", name_id="Kesehatan",
                                        name_en="Health", completion_working_days=20)
    road = ComplaintCategoryFactory(agency=other_agency, unit=other_unit, slug="jalan-rusak",
                                    name_id="Jalan rusak", name_en="Damaged roads", completion_working_days=20)
    staff = {}
    for role in ("operator", "verifier", "head"):
        user = StaffFactory(full_name=f"Petugas {role}")
        MembershipFactory(user=user, unit=unit, role=role)
        staff[role] = user
    staff["ppid"] = StaffFactory(full_name="Petugas PPID")
    MembershipFactory(user=staff["ppid"], unit=ppid, role="ppid")
    staff["road_head"] = StaffFactory(full_name="Kepala jalan")
    MembershipFactory(user=staff["road_head"], unit=other_unit, role="head")
    return {"gov": gov, "agency": agency, "other_agency": other_agency, "unit": unit, "service": service,
            "category": category, "road": road, "staff": staff, "samarinda": samarinda, "district": district,
            "balikpapan": balikpapan}


def submit(world: dict, kind: str = "service_request", **kw: Any):
    from balai.cases.services import case_submit

    defaults: dict[str, Any] = {"channel": "web", "title": "Permohonan uji", "description": "Isi permohonan",
                                "contact_name": "Siti Rahmawati", "contact_phone": "0812-3456-7890",
                                "contact_channel": "sms"}
    if kind == "service_request":
        defaults["service"] = world["service"]
    elif kind in ("complaint", "aspiration"):
        defaults["complaint_category"] = world["category"]
        defaults["region"] = world["district"]
    elif kind == "information_request":
        defaults["agency"] = world["agency"]
    defaults.update(kw)
    return case_submit(Submission(kind=kind, **defaults))


def act(world: dict, case, action: str, role: str = "operator", **kw: Any):
    from balai.cases.services import case_transition

    return case_transition(case, CaseCommand(action=action, actor=world["staff"][role], **kw))


def last_otp(recipient: str) -> str:
    """The one-time code last queued for `recipient` (read from the outbox row's rendered text)."""
    import re

    from balai.notify.models import Message

    message = Message.objects.filter(recipient=recipient, event="otp").order_by("-id").first()
    assert message is not None, f"no one-time code was queued for {recipient}"
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def prove(client, case, recipient: str = "+6281234567890") -> None:
    """Go through the one-time-code step for `case` with the Django test client."""
    client.post(f"/lacak/{case.tracking_code}/kode/")
    response = client.post(f"/lacak/{case.tracking_code}/verifikasi/", {"kode_otp": last_otp(recipient)})
    assert response.status_code == 302, response.content[:500]
