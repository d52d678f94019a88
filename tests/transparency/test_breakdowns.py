"""Inclusion gap (channel, city vs regency, regency, district, accommodation) and the agency ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from balai.agencies.models import Region
from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.transparency import selectors
from balai.transparency.rollup import update
from tests.cases.conftest import wita
from tests.factories import AgencyFactory, ServiceFactory, UnitFactory


@pytest.fixture
def regions(db):
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})[0]
    city = Region.objects.create(code="64.72", name="Kota Samarinda", level="city", parent=prov)
    regency = Region.objects.create(code="64.11", name="Kabupaten Mahakam Ulu", level="regency", parent=prov)
    district = Region.objects.create(code="64.11.01", name="Long Bagun", level="district", parent=regency)
    return {"city": city, "regency": regency, "district": district}


def _closed(world, submit, *, days_to: int, **kw):
    """A service request submitted Tue 2 June 2026, completed on `days_to` June (working days later)."""
    case = submit(submitted_at=wita(2026, 6, 2, 9), **kw)
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 2, 10)))
    return case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"],
                           at=wita(2026, 6, days_to, 10)))


@pytest.mark.django_db
def test_gap_by_channel_with_suppression(world, submit):
    for _ in range(10):
        _closed(world, submit, days_to=3, channel="web")  # 1 working day
    for _ in range(3):
        _closed(world, submit, days_to=11, channel="sms")  # 7 working days
    update()
    report = selectors.inclusion_gap(split="channel", government=world.government)
    # overall: 10 × 1 day, 3 × 7 days → median 1, p90 rank ceil(11.7) = 12 → 7
    assert report.overall.received == 13 and report.overall.median_days == Decimal("1")
    rows = {r.value: r for r in report.rows}
    web, sms = rows["web"], rows["sms"]
    assert not web.suppressed and web.figures.received == 10
    assert web.gap["median_days"] == Decimal("0")
    assert web.gap["p90_days"] == Decimal("-6")
    assert web.gap["closed_on_time_pct"] == Decimal("100.0") - Decimal("76.9")
    # fewer than 10 cases: flagged, and no number of it is returned
    assert sms.suppressed and sms.figures.received is None and sms.figures.median_days is None
    assert sms.gap == {}
    assert report.rows[-1] is sms  # suppressed rows last
    with translation.override("en"):
        assert selectors.describe_gap(sms) == "SMS: fewer than 10 cases, not shown."
        assert selectors.describe_gap(web, figure="p90_days") == "Web: 6 working days shorter than overall."


@pytest.mark.django_db
def test_gap_by_region_area_and_district(world, regions, submit):
    category = world.category
    for _ in range(10):
        submit("complaint", complaint_category=category, region=regions["city"], submitted_at=wita(2026, 6, 2, 9))
    for _ in range(10):
        case = submit("complaint", complaint_category=category, region=regions["district"],
                      submitted_at=wita(2026, 6, 2, 9))
        case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 3, 9)))
    submit("complaint", complaint_category=category, submitted_at=wita(2026, 6, 2, 9))  # no region
    update()
    area = {r.value: r for r in selectors.inclusion_gap(split="area", government=world.government).rows}
    assert area["city"].figures.complaints_verified_3_pct == Decimal("0.0")
    assert area["regency"].figures.complaints_verified_3_pct == Decimal("100.0")
    assert area["unknown"].suppressed
    overall = selectors.overview(government=world.government)
    assert overall.complaints_verified_3_pct == Decimal("47.6")  # 10 of 21
    assert area["regency"].gap["complaints_verified_3_pct"] == Decimal("52.4")
    regency = {r.value: r for r in selectors.inclusion_gap(split="regency", government=world.government).rows}
    assert regency["64.11"].label == "Kabupaten Mahakam Ulu"
    assert regency["64.72"].figures.received == 10
    district = {r.value: r for r in selectors.inclusion_gap(split="district", government=world.government).rows}
    assert set(district) == {"64.11.01"} and district["64.11.01"].label == "Long Bagun"
    with pytest.raises(ValueError):
        selectors.inclusion_gap(split="district", scope="agency", scope_id=world.agency.pk)
    with pytest.raises(ValueError):
        selectors.inclusion_gap(split="religion", government=world.government)
    by_agency = {r.value: r for r in selectors.inclusion_gap(split="area", scope="agency",
                                                              scope_id=world.agency.pk).rows}
    assert by_agency["city"].figures.received == 10


@pytest.mark.django_db
def test_gap_by_accommodation_counts_each_need(world, submit):
    for _ in range(10):
        _closed(world, submit, days_to=9, accommodations=["sign_language", "wheelchair"])  # 5 working days
    for _ in range(10):
        _closed(world, submit, days_to=3)
    update()
    report = selectors.inclusion_gap(split="accommodation", government=world.government)
    rows = {r.value: r for r in report.rows}
    assert set(rows) == {"sign_language", "wheelchair", "none"}
    assert rows["sign_language"].figures.received == 10 and rows["wheelchair"].figures.received == 10
    assert report.overall.median_days == Decimal("3.0")  # (1 + 5) / 2
    assert rows["sign_language"].gap["median_days"] == Decimal("2.0")
    assert rows["none"].gap["median_days"] == Decimal("-2.0")


@pytest.mark.django_db
def test_ranking_sortable_by_each_figure(world, submit):
    slow_agency = AgencyFactory(government=world.government, short_name="Zeta", slug="zeta")
    slow_unit = UnitFactory(agency=slow_agency)
    slow_service = ServiceFactory(agency=slow_agency, unit=slow_unit, deadline_working_days=5)
    from tests.factories import MembershipFactory, StaffFactory

    staff = {}
    for role in ("verifier", "operator"):
        staff[role] = StaffFactory()
        MembershipFactory(user=staff[role], unit=slow_unit, role=role)
    for _ in range(2):
        _closed(world, submit, days_to=3)
    for _ in range(3):
        case = submit(service=slow_service, submitted_at=wita(2026, 6, 2, 9))
        case = case_transition(case, CaseCommand(action="verify", actor=staff["verifier"], at=wita(2026, 6, 2, 10)))
        case_transition(case, CaseCommand(action="complete", actor=staff["operator"], at=wita(2026, 6, 11, 10)))
    submit(service=slow_service, submitted_at=wita(2026, 6, 2, 9))  # open
    empty = AgencyFactory(government=world.government, short_name="Alpha")
    update()
    by_received = selectors.agency_ranking(government=world.government, sort="received")
    assert [r.short_name for r in by_received] == ["Zeta", "Dinkes"]
    assert [r.rank for r in by_received] == [1, 2]
    assert by_received[0].backlog == 1
    fastest = selectors.agency_ranking(government=world.government, sort="median_days")
    assert [r.short_name for r in fastest] == ["Dinkes", "Zeta"]
    slowest = selectors.agency_ranking(government=world.government, sort="median_days", descending=True)
    assert [r.short_name for r in slowest] == ["Zeta", "Dinkes"]
    on_time = selectors.agency_ranking(government=world.government, sort="closed_on_time_pct")
    assert [(r.short_name, r.figures.closed_on_time_pct) for r in on_time] == [
        ("Dinkes", Decimal("100.0")), ("Zeta", Decimal("0.0"))]
    with_empty = selectors.agency_ranking(government=world.government, sort="ikm_converted", include_empty=True)
    assert {r.short_name for r in with_empty} >= {"Alpha", "Dinkes", "Zeta"}
    assert all(r.rank == 0 for r in with_empty)  # nobody has an IKM yet: no rank
    assert empty.pk in {r.agency_id for r in with_empty}
    for figure in selectors.RANK_FIGURES:
        assert len(selectors.agency_ranking(government=world.government, sort=figure)) == 2
    with pytest.raises(ValueError):
        selectors.agency_ranking(government=world.government, sort="title")


@pytest.mark.django_db
def test_aggregate_rows_for_open_data(world, submit):
    for _ in range(3):
        _closed(world, submit, days_to=3, channel="sms")
    update()
    rows = list(selectors.aggregate_rows(scope="government", government=world.government))
    assert len(rows) == 1 and rows[0].figures.received == 3 and rows[0].month.month == 6
    split = list(selectors.aggregate_rows(scope="government", split="channel", government=world.government))
    assert split[0].value == "sms" and split[0].figures.suppressed and split[0].figures.received is None
    from balai.transparency.figures import as_row

    flat = as_row(rows[0].figures)
    assert flat["received"] == 3 and flat["median_days"] == "1"
    assert as_row(split[0].figures)["received"] is None
    assert selectors.last_updated() is not None
