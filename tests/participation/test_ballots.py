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


def _race(jobs) -> list:
    """Run each job (a callable) in its own thread and connection, all released at once."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(10)
            results[i] = jobs[i]()
        except BaseException as exc:  # surfaced to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_vote_per_person_holds_under_concurrent_votes_by_every_channel():
    """The database refuses the second vote: the same NIK (with different phones) and the same phone
    (with different NIKs) cast at the same moment by web, SMS and paper give exactly one ballot each."""
    from balai.participation.models import BallotChoice

    proc, _projects = budget_process(ballot_kind="approval", max_choices=2)
    staff = StaffFactory()

    def vote(nik: str, phone: str, channel: str):
        extra = {"recorded_by": staff, "location": "Balai Desa Rawa Makmur"} if channel == "paper" else {}
        return lambda: services.ballot_cast(process=proc, nik=nik, phone=phone, codes=["AAAAA", "CCCCC"],
                                            channel=channel, **extra)

    same_nik = [vote(NIKS[0], PHONES[i], channel) for i, channel in enumerate(["web", "sms", "paper", "web"])]
    same_phone = [vote(NIKS[4 + i], PHONES[7], channel) for i, channel in enumerate(["sms", "web", "paper", "sms"])]
    results = _race(same_nik + same_phone)
    assert sum(r.ok for r in results[:4]) == 1 and sum(r.ok for r in results[4:]) == 1
    refused = [r for r in results if not r.ok]
    assert {r.error for r in refused} == {"already_voted"}
    assert all("tidak dihitung" in r.message for r in refused)
    assert Ballot.objects.count() == 2
    # a refused vote left nothing behind: two choices per ballot, no orphan choice, no paper audit record
    # for a paper vote that was refused
    assert BallotChoice.objects.count() == 4
    paper_ok = sum(1 for r in results if r.ok and r.ballot.channel == "paper")
    assert AuditRecord.objects.filter(action="participation.paper_ballot").count() == paper_ok


@pytest.mark.postgres
def test_a_refused_vote_inside_a_transaction_leaves_it_usable():
    """A caller's transaction (a view, a batch of SMS) survives a refused vote: it ran in a savepoint."""
    from django.db import transaction

    proc, _projects = budget_process()
    with transaction.atomic():
        assert services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="sms").ok
        again = services.ballot_cast(process=proc, nik=NIKS[0], codes=["CCCCC"], channel="web")
        assert again.error == "already_voted" and again.previous_channel == "sms"
        assert services.ballot_cast(process=proc, nik=NIKS[1], codes=["CCCCC"], channel="web").ok
    assert Ballot.objects.count() == 2
