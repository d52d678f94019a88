"""Participatory budget: one vote per person across web, SMS and paper; exact results."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord
from balai.participation import selectors, services
from balai.participation.models import Ballot
from tests.factories import StaffFactory
from tests.participation.world import NIKS, PHONES, budget_process

pytestmark = pytest.mark.django_db


def test_web_then_paper_by_the_same_nik_is_refused_with_a_clear_message():
    proc, _projects = budget_process()
    first = services.ballot_cast(process=proc, nik=NIKS[0], phone=PHONES[0], codes=["AAAAA"], channel="web")
    assert first.ok
    second = services.ballot_cast(process=proc, nik=NIKS[0], codes=["CCCCC"], channel="paper",
                                  location="Kantor Kelurahan Rawa Makmur", recorded_by=StaffFactory())
    assert not second.ok and second.error == "already_voted"
    assert second.previous_channel == "web"
    assert "sudah tercatat (Web" in second.message and "tidak dihitung" in second.message
    assert Ballot.objects.count() == 1


def test_sms_then_web_by_the_same_phone_is_refused():
    proc, _projects = budget_process()
    assert services.ballot_cast(process=proc, nik=NIKS[0], phone=PHONES[0], codes=["CCCCC"], channel="sms").ok
    again = services.ballot_cast(process=proc, nik=NIKS[1], phone="+62" + PHONES[0][1:], codes=["DDDDD"],
                                 channel="web")
    assert again.error == "already_voted" and again.previous_channel == "sms"


def test_invalid_ballots_are_refused_with_reasons():
    proc, _projects = budget_process(budget=1000)
    over = services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA", "EEEEE"], channel="web")
    assert over.error == "over_budget" and "1.000" in over.message
    unknown = services.ballot_cast(process=proc, nik=NIKS[0], codes=["ZZZZZ"], channel="web")
    assert unknown.error == "unknown" and "ZZZZZ" in unknown.message
    bad_nik = services.ballot_cast(process=proc, nik="123", codes=["AAAAA"], channel="web")
    assert bad_nik.error == "nik" and services.ballot_error_message(bad_nik)
    assert not Ballot.objects.exists()


def test_voting_closed_outside_the_voting_phase():
    proc, _projects = budget_process()
    proc.phases.filter(kind="voting").update(starts_on="2020-01-01", ends_on="2020-01-31")
    assert services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="web").error == "phase_closed"


def test_knapsack_results_match_the_hand_count_and_paper_subtotals():
    # Same example as tests/participation/test_tally.py, through the services, mixing channels.
    proc, _projects = budget_process(budget=1000, costs={"AAAAA": 600, "CCCCC": 200, "DDDDD": 300,
                                                         "EEEEE": 500})
    staff = StaffFactory()
    ballots = [(["AAAAA", "DDDDD"], "web"), (["AAAAA", "CCCCC"], "sms"), (["DDDDD", "CCCCC", "EEEEE"], "paper"),
               (["AAAAA"], "paper"), (["EEEEE", "DDDDD"], "web"), (["CCCCC"], "paper")]
    for i, (codes, channel) in enumerate(ballots):
        extra = {"recorded_by": staff, "location": "Balai Desa Handil Bakti"} if channel == "paper" else {}
        assert services.ballot_cast(process=proc, nik=NIKS[i], codes=codes, channel=channel, **extra).ok
    results = selectors.budget_results(proc)
    assert {r.code: r.votes for r in results.result.rows} == {"AAAAA": 3, "CCCCC": 3, "DDDDD": 3, "EEEEE": 2}
    assert results.result.funded == ["CCCCC", "DDDDD", "EEEEE"]
    assert results.by_channel == {"web": 2, "sms": 1, "paper": 3}
    subtotals = selectors.paper_subtotals(proc)
    assert subtotals == [{"location": "Balai Desa Handil Bakti", "ballots": 3,
                          "votes": {"AAAAA": 1, "CCCCC": 2, "DDDDD": 1, "EEEEE": 1}}]
    assert AuditRecord.objects.filter(action="participation.paper_ballot").count() == 3


def test_approval_limits_the_number_of_projects():
    proc, _projects = budget_process(ballot_kind="approval", max_choices=2)
    result = services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA", "CCCCC", "DDDDD"], channel="web")
    assert result.error == "too_many" and "paling banyak 2" in result.message
    assert services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA", "EEEEE"], channel="web").ok
