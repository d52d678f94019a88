"""Counting a participatory budget: pure functions, no database (docs/regulations.md §12).

A ballot is a set of project codes. Two ballot kinds (the process says which):
- **knapsack**: the voter picks projects whose estimated costs add up to at most the budget;
- **approval**: the voter picks at most `max_choices` projects, whatever they cost.

The result is the same for both: every project's vote count, exactly, and the projects funded by going
down the list from the most votes, taking each project that still fits in what is left of the budget
and passing over one that does not (the next, cheaper one may still fit). Ties are broken by the lower
cost, then by the code, so the same ballots always give the same result; a tie that decided whether a
project was funded is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KNAPSACK = "knapsack"
APPROVAL = "approval"
BALLOT_ERRORS = ("empty", "unknown", "too_many", "over_budget")


def ballot_error(kind: str, codes: Iterable[str], *, costs: Mapping[str, int], budget: int | None,
                 max_choices: int | None) -> tuple[str, list[str]]:
    """("", []) for a valid ballot, else (error, the codes concerned). Repeated codes count once."""
    chosen = list(dict.fromkeys(codes))
    if not chosen:
        return "empty", []
    unknown = [c for c in chosen if c not in costs]
    if unknown:
        return "unknown", unknown
    if kind == APPROVAL and max_choices and len(chosen) > max_choices:
        return "too_many", chosen
    if kind == KNAPSACK and budget is not None and sum(costs[c] for c in chosen) > budget:
        return "over_budget", chosen
    return "", []


def count(ballots: Iterable[Iterable[str]]) -> Counter[str]:
    """Votes per project code; a code repeated on one ballot counts once."""
    votes: Counter[str] = Counter()
    for ballot in ballots:
        votes.update(set(ballot))
    return votes


@dataclass(frozen=True)
class Row:
    code: str
    votes: int
    cost: int
    rank: int
    funded: bool
    remaining_after: int  # budget left after this row was considered


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    budget: int
    spent: int
    ballots: int
    ties: list[tuple[str, str]] = field(default_factory=list)  # pairs tied on votes across the funding cut

    @property
    def funded(self) -> list[str]:
        return [r.code for r in self.rows if r.funded]


def allocate(votes: Mapping[str, int], *, costs: Mapping[str, int], budget: int, ballots: int = 0) -> Result:
    """Fund projects greedily by votes within `budget` (see the module docstring). Projects without a
    vote are listed with 0 and funded only if they fit after all voted ones."""
    order = sorted(costs, key=lambda c: (-votes.get(c, 0), costs[c], c))
    left = budget
    rows: list[Row] = []
    for rank, code in enumerate(order, start=1):
        funded = votes.get(code, 0) > 0 and costs[code] <= left
        if funded:
            left -= costs[code]
        rows.append(Row(code=code, votes=votes.get(code, 0), cost=costs[code], rank=rank, funded=funded,
                        remaining_after=left))
    ties = [(a.code, b.code) for a, b in zip(rows, rows[1:], strict=False)
            if a.votes == b.votes and a.funded != b.funded and a.votes > 0]
    return Result(rows=rows, budget=budget, spent=budget - left, ballots=ballots, ties=ties)
