"""Each figure against hand-computed small cases, created through the engine with explicit timestamps.

June 2026: 1 June (Pancasila) and 16 June are holidays; 2–15 June are working days Monday–Friday.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.survey.elements import ELEMENT_KEYS
from balai.survey.ikm import compute_ikm
from balai.survey.models import SurveyResponse
from balai.survey.services import quick_rating, survey_submit
from balai.transparency import selectors
from balai.transparency.figures import median, merge, percentile
from balai.transparency.rollup import update
from tests.cases.conftest import wita

JUNE = date(2026, 6, 1)


def _service_case(world, submit, *, closed_on: int | None, month: int = 6, **kw):
    case = submit(submitted_at=wita(2026, month, 2, 9), **kw)
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"],
                           at=wita(2026, month, 2, 10)))
    if closed_on is not None:
        case = case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"],
                               at=wita(2026, month, closed_on, 10)))
    return case


@pytest.fixture
def june(world, submit):
    """Service requests (deadline 5 working days) submitted Tue 2 June 2026 09:00."""
    cases = [_service_case(world, submit, closed_on=day) for day in (3, 5, 9, 11)]  # 1, 3, 5, 7 working days
    cases.append(_service_case(world, submit, closed_on=None))
    update()
    return cases


def test_median_and_p90_from_histograms():
    assert median({1: 1, 3: 1, 5: 1, 7: 1}) == Decimal("4.0")
    assert median({2: 3}) == Decimal("2")
    assert median({}) is None
    assert percentile({1: 1, 3: 1, 5: 1, 7: 1}, 90) == 7  # rank ceil(3.6) = 4
    assert percentile({d: 1 for d in range(1, 11)}, 90) == 9  # rank 9 of 10
    # merging two cells' histograms gives the same as one histogram of all cases
    _, hist = merge([({}, {"1": 1, "3": 1}), ({}, {"5": 1, "7": 1})])
    assert hist == {1: 1, 3: 1, 5: 1, 7: 1}


@pytest.mark.django_db
def test_volumes_time_to_close_and_deadline_share(world, june):
    assert [c.elapsed_working_days for c in june[:4]] == [1, 3, 5, 7]
    fig = selectors.overview(government=world.government)
    assert fig.received == 5
    assert fig.closed == 4
    assert fig.open == 1
    assert fig.median_days == Decimal("4.0")
    assert fig.p90_days == 7
    assert fig.mean_days == Decimal("4.0")
    assert fig.closed_on_time_pct == Decimal("75.0")  # the 7-day case missed the 5-day deadline
    assert fig.close_histogram == {1: 1, 3: 1, 5: 1, 7: 1}
    same = selectors.agency_figures(agency=world.agency)
    assert (same.received, same.median_days) == (5, Decimal("4.0"))
    assert selectors.service_figures(service=world.service).received == 5
    assert selectors.unit_figures(unit=world.unit).closed == 4
    assert selectors.overview(government=world.government, kind="complaint").received == 0


@pytest.mark.django_db
def test_backlog_by_age(world, submit):
    for month in (1, 5, 6):
        submit(submitted_at=wita(2026, month, 5, 9))
    update()
    report = selectors.backlog(government=world.government, today=date(2026, 6, 20))
    assert report.total == 3
    assert report.by_age == {"0-1": 1, "1-3": 1, "3-6": 1, "6-12": 0, "12+": 0}
    assert report.oldest_month == date(2026, 1, 1)


@pytest.mark.django_db
def test_complaint_verification_and_follow_up(world, submit):
    verifier, operator = world.staff["verifier"], world.staff["operator"]
    # A: verified Thu 4 June (2 working days: on time), answered Mon 8 June (due 11 June: on time).
    a = submit("complaint", submitted_at=wita(2026, 6, 2, 9))
    a = case_transition(a, CaseCommand(action="verify", actor=verifier, at=wita(2026, 6, 4, 9)))
    case_transition(a, CaseCommand(action="answer", actor=operator, body="Sudah", at=wita(2026, 6, 8, 9)))
    # B: verified Mon 8 June (4 working days: late), answered Fri 19 June (due 15 June: late).
    b = submit("complaint", submitted_at=wita(2026, 6, 2, 9))
    b = case_transition(b, CaseCommand(action="verify", actor=verifier, at=wita(2026, 6, 8, 9)))
    case_transition(b, CaseCommand(action="answer", actor=operator, body="Sudah", at=wita(2026, 6, 19, 9)))
    # C: not verified yet.
    submit("complaint", submitted_at=wita(2026, 6, 2, 9))
    update()
    fig = selectors.overview(government=world.government, kind="complaint")
    assert fig.complaints == 3
    assert fig.complaints_verified_3_pct == Decimal("33.3")  # 1 of 3 received
    assert fig.complaints_followed_up_5_pct == Decimal("50.0")  # 1 of 2 verified
    assert fig.closed == 0  # answered complaints stay open until accepted or the 10-day window ends


@pytest.mark.django_db
def test_information_requests(world, submit):
    ppid = world.staff["ppid"]
    # on time: answered Fri 12 June (8 working days after 2 June)
    a = submit("information_request", submitted_at=wita(2026, 6, 2, 9))
    case_transition(a, CaseCommand(action="answer", actor=ppid, body="Data", at=wita(2026, 6, 12, 9)))
    # extended (+7 → due 26 June), answered Tue 23 June: on time
    b = submit("information_request", submitted_at=wita(2026, 6, 2, 9))
    b = case_transition(b, CaseCommand(action="extend", actor=ppid, reason="Data banyak", at=wita(2026, 6, 10, 9)))
    case_transition(b, CaseCommand(action="answer", actor=ppid, body="Data", at=wita(2026, 6, 23, 9)))
    # late: answered Thu 18 June (11 working days, no extension); the requester objects
    c = submit("information_request", submitted_at=wita(2026, 6, 2, 9))
    c = case_transition(c, CaseCommand(action="answer", actor=ppid, body="Data", at=wita(2026, 6, 18, 9)))
    case_transition(c, CaseCommand(action="object", actor=None, channel="web", reason="Terlambat",
                    at=wita(2026, 6, 19, 9)))
    update()
    fig = selectors.overview(government=world.government, kind="information_request")
    assert fig.info_requests == 3
    assert fig.info_answered_on_time_pct == Decimal("66.7")
    assert fig.info_extended == 1
    assert fig.objections == 1


@pytest.mark.django_db
def test_closure_counts_in_month_closed(world, submit):
    _service_case(world, submit, closed_on=None, month=6)
    case = submit(submitted_at=wita(2026, 6, 29, 9))
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 29, 10)))
    case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"], at=wita(2026, 7, 2, 10)))
    update()
    points = selectors.trends(government=world.government)
    assert [p.month for p in points] == [date(2026, 6, 1), date(2026, 7, 1)]
    assert (points[0].figures.received, points[0].figures.closed) == (2, 0)
    assert (points[1].figures.received, points[1].figures.closed) == (0, 1)
    assert points[1].figures.median_days == Decimal("3")  # 30 June, 1 and 2 July


@pytest.mark.django_db
def test_trends_fill_empty_months(world, submit):
    submit(submitted_at=wita(2026, 3, 10, 9))
    submit(submitted_at=wita(2026, 6, 10, 9))
    update()
    points = selectors.trends(government=world.government)
    assert [p.month.month for p in points] == [3, 4, 5, 6]
    assert [p.figures.received for p in points] == [1, 0, 0, 1]
    window = selectors.trends(government=world.government, start=date(2026, 5, 1), end=date(2026, 7, 31))
    assert [p.figures.received for p in window] == [0, 1, 0]
    assert selectors.available_months(government=world.government) == [date(2026, 3, 1), date(2026, 6, 1)]


@pytest.mark.django_db
def test_ikm_per_service_unit_agency(world, june):
    survey_submit(case=june[0], scores=dict.fromkeys(ELEMENT_KEYS, 4), channel="web", submitted_at=wita(2026, 6, 20, 9))
    survey_submit(case=june[1], scores=dict.fromkeys(ELEMENT_KEYS, 3) | {"biaya": None}, channel="web",
                  submitted_at=wita(2026, 6, 20, 9))
    quick_rating(case=june[2], score=2, channel="sms", submitted_at=wita(2026, 6, 20, 9))
    update()
    expected = compute_ikm(SurveyResponse.objects.all(), population=4)
    # biaya: only 4 → NRR 4; other elements (4+3)/2 = 3.5 → IKM = (8 × 3.5 + 4)/9 = 32/9 → 88.89 → A
    assert expected.converted == Decimal("88.89") and expected.grade == "A"
    # The public figures count the quick SMS rating (2) as that score on each element (docs/regulations.md §1):
    # biaya (4 + 2)/2 = 3, the others (4 + 3 + 2)/3 = 3 → IKM 3 → 75.00 → C, three respondents.
    for fig in (selectors.overview(government=world.government), selectors.agency_figures(agency=world.agency),
                selectors.unit_figures(unit=world.unit), selectors.service_figures(service=world.service)):
        assert fig.ikm.converted == Decimal("75.00")
        assert fig.ikm.respondents == 3 and fig.ikm.quick_count == 1 and fig.ikm.quick_included
        assert fig.ikm.recommended_sample == 4 and fig.ikm.below_sample  # 4 closed → 4 needed
        assert fig.quick_rating_average == Decimal("2.00")
        assert fig.ikm_grade == "C"


@pytest.mark.django_db
def test_category_figures(world, submit):
    submit("complaint", submitted_at=wita(2026, 6, 2, 9))
    update()
    assert selectors.category_figures(category=world.category).complaints == 1


@pytest.mark.django_db
def test_overview_sums_across_kinds_and_months(world, submit):
    submit(submitted_at=wita(2026, 5, 5, 9))
    submit("complaint", submitted_at=wita(2026, 6, 2, 9))
    _service_case(world, submit, closed_on=3)
    update()
    fig = selectors.overview(government=world.government)
    assert (fig.received, fig.closed, fig.open, fig.complaints) == (3, 1, 2, 1)
    assert selectors.overview(government=world.government, start=JUNE).received == 2
    assert selectors.overview(government=world.government, end=date(2026, 5, 31)).received == 1
    assert selectors.agency_figures(agency=world.agency, kind="complaint").received == 1
