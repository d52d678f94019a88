"""The budget count against examples computed by hand."""

from __future__ import annotations

from balai.participation import tally

COSTS = {"A": 600, "B": 300, "C": 200, "D": 500}


def test_knapsack_example_by_hand():
    # Budget 1000. Ballots (each within the budget): {A,B}, {A,C}, {B,C,D}, {A}, {D,B}, {C}
    ballots = [["A", "B"], ["A", "C"], ["B", "C", "D"], ["A"], ["D", "B"], ["C"]]
    votes = tally.count(ballots)
    assert votes == {"A": 3, "B": 3, "C": 3, "D": 2}
    # Order: 3 votes each for A, B, C → cheaper first: C (200), B (300), A (600); then D (2 votes).
    # C: 1000-200 = 800; B: 800-300 = 500; A (600) does not fit; D (500) fits → 0 left.
    result = tally.allocate(votes, costs=COSTS, budget=1000, ballots=len(ballots))
    assert [r.code for r in result.rows] == ["C", "B", "A", "D"]
    assert result.funded == ["C", "B", "D"]
    assert result.spent == 1000
    assert [r.remaining_after for r in result.rows] == [800, 500, 500, 0]
    assert result.ballots == 6
    # A tied with C and B on 3 votes but was not funded: the tie across the cut is reported.
    assert ("B", "A") in result.ties


def test_approval_example_by_hand():
    # Up to 2 projects each; budget 800.
    ballots = [["A", "D"], ["A"], ["D", "C"], ["A", "C"], ["B", "C"], ["C", "A"], ["A", "A"]]  # last: A once
    votes = tally.count(ballots)
    assert votes == {"A": 5, "C": 4, "D": 2, "B": 1}
    result = tally.allocate(votes, costs=COSTS, budget=800)
    # A (600): 200 left; C (200): 0 left; D, B do not fit.
    assert result.funded == ["A", "C"]
    assert result.spent == 800
    assert not result.ties


def test_project_without_votes_is_never_funded():
    result = tally.allocate({"A": 1}, costs=COSTS, budget=10_000)
    assert result.funded == ["A"]
    assert [r.votes for r in result.rows] == [1, 0, 0, 0]


def test_ballot_errors():
    kw = {"costs": COSTS, "budget": 1000}
    assert tally.ballot_error("knapsack", [], max_choices=None, **kw) == ("empty", [])
    assert tally.ballot_error("knapsack", ["A", "Z"], max_choices=None, **kw) == ("unknown", ["Z"])
    assert tally.ballot_error("knapsack", ["A", "D"], max_choices=None, **kw)[0] == "over_budget"
    assert tally.ballot_error("knapsack", ["A", "B", "A"], max_choices=None, **kw) == ("", [])
    assert tally.ballot_error("approval", ["A", "B", "C"], max_choices=2, **kw)[0] == "too_many"
    assert tally.ballot_error("approval", ["A", "D"], max_choices=2, **kw) == ("", [])  # cost is no limit
