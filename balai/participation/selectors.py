"""Reads of community participation (docs/regulations.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from balai.participation import tally
from balai.participation.models import (
    Ballot,
    BallotChoice,
    BallotKind,
    Phase,
    Process,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Support,
)

PUBLIC_PAGE_SIZE = 20


def published_processes() -> QuerySet[Process]:
    return (Process.objects.filter(is_published=True).select_related("agency", "region")
            .prefetch_related("phases").order_by("-created_at", "-id"))


def published_process(slug: str) -> Process | None:
    return published_processes().filter(slug=slug).first()


def process_by_slug(slug: str) -> Process | None:
    return Process.objects.select_related("agency", "region").filter(slug=slug).first()


def all_processes() -> QuerySet[Process]:
    return Process.objects.select_related("agency", "region").order_by("-created_at", "-id")


def open_phase(process: Process, kind: str, *, today: date | None = None) -> Phase | None:
    """The phase of `kind` that is open on `today` (local date), if any."""
    today = today or timezone.localdate()
    return Phase.objects.filter(process=process, kind=kind, starts_on__lte=today, ends_on__gte=today).first()


def current_phases(process: Process, *, today: date | None = None) -> list[Phase]:
    today = today or timezone.localdate()
    return [p for p in process.phases.all() if p.starts_on <= today <= p.ends_on]


def phases_of(process: Process) -> list[Phase]:
    return list(process.phases.all())


# --- proposals ------------------------------------------------------------------------------------------

def public_proposals(process: Process, *, status: str = "", offset: int = 0,
                     limit: int = PUBLIC_PAGE_SIZE) -> tuple[list[Proposal], bool]:
    """A page of a process's proposals, most supported first (merged ones are left out); and whether
    there is a next page. Follows the `proposal_list` index."""
    qs = Proposal.objects.filter(process=process).exclude(status=ProposalStatus.MERGED)
    if status:
        qs = qs.filter(status=status)
    rows = list(qs.select_related("region").order_by("-support_count", "-id")[offset:offset + limit + 1])
    return rows[:limit], len(rows) > limit


def proposal_by_code(code: str) -> Proposal | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return (Proposal.objects.select_related("process", "region", "merged_into", "responsible_agency")
            .filter(code=code).first())


def public_proposal(process: Process, code: str) -> Proposal | None:
    proposal = proposal_by_code(code)
    return proposal if proposal is not None and proposal.process_id == process.pk else None


def proposal_events(proposal: Proposal) -> list[ProposalEvent]:
    return list(proposal.events.all())


def proposals_for_staff(process: Process) -> QuerySet[Proposal]:
    return Proposal.objects.filter(process=process).select_related("region").order_by("-support_count", "-id")


def supports_by_date(process: Process) -> dict[int, int]:
    """Supports per proposal counted up to the end of the process's threshold date (local time)."""
    qs = Support.objects.filter(proposal__process=process)
    if process.threshold_date:
        end = timezone.make_aware(datetime.combine(process.threshold_date, time.max))
        qs = qs.filter(created_at__lte=end)
    return dict(qs.values_list("proposal").annotate(n=Count("id")).values_list("proposal", "n"))


def proposals_owed_answer(process: Process) -> list[Proposal]:
    """Proposals that reached the support threshold by the threshold date and still have no public
    answer: the owner must answer them publicly (docs/regulations.md §12)."""
    if not process.support_threshold:
        return []
    counts = supports_by_date(process)
    ids = [pk for pk, n in counts.items() if n >= process.support_threshold]
    return list(Proposal.objects.filter(pk__in=ids, answered_at__isnull=True)
                .exclude(status=ProposalStatus.MERGED).order_by("-support_count", "id"))


def proposal_counts(process: Process) -> dict[str, int]:
    return dict(Proposal.objects.filter(process=process).values_list("status").annotate(n=Count("id"))
                .values_list("status", "n"))


# --- participatory budget -------------------------------------------------------------------------------

def vote_projects(process: Process) -> list[Proposal]:
    """The projects on the ballot: feasible proposals with a cost estimate, cheapest first."""
    return list(Proposal.objects.filter(process=process, feasible=True, cost__isnull=False)
                .exclude(status__in=[ProposalStatus.MERGED, ProposalStatus.REJECTED]).order_by("cost", "code"))


def vote_costs(process: Process) -> tuple[dict[str, int], dict[str, int]]:
    """(code → cost, code → proposal id) of the projects on the ballot."""
    projects = vote_projects(process)
    return {p.code: int(p.cost or 0) for p in projects}, {p.code: p.pk for p in projects}


def vote_counts(process: Process) -> dict[int, int]:
    """Votes per project id, counted in the database (one GROUP BY)."""
    return dict(BallotChoice.objects.filter(ballot__process=process).values_list("proposal")
                .annotate(n=Count("id")).values_list("proposal", "n"))


@dataclass(frozen=True)
class BudgetResults:
    result: tally.Result
    projects: dict[str, Proposal]
    by_channel: dict[str, int]
    kind: str


def budget_results(process: Process) -> BudgetResults:
    """The exact count of a participatory budget: every project's votes and what is funded."""
    projects = {p.code: p for p in vote_projects(process)}
    counts = vote_counts(process)
    votes = {code: counts.get(p.pk, 0) for code, p in projects.items()}
    by_channel = dict(Ballot.objects.filter(process=process).values_list("channel")
                      .annotate(n=Count("id")).values_list("channel", "n"))
    result = tally.allocate(votes, costs={c: int(p.cost or 0) for c, p in projects.items()},
                            budget=int(process.budget or 0), ballots=sum(by_channel.values()))
    return BudgetResults(result=result, projects=projects, by_channel=by_channel,
                         kind=process.ballot_kind or BallotKind.APPROVAL)


def paper_subtotals(process: Process) -> list[dict]:
    """Ballots and votes per project for each place where paper ballots were recorded (for recounts)."""
    rows = (BallotChoice.objects.filter(ballot__process=process, ballot__recorded_by__isnull=False)
            .values("ballot__location", "proposal__code").annotate(n=Count("id"))
            .order_by("ballot__location", "proposal__code"))
    ballots = dict(Ballot.objects.filter(process=process, recorded_by__isnull=False).values_list("location")
                   .annotate(n=Count("id")).values_list("location", "n"))
    places: dict[str, dict] = {}
    for row in rows:
        place = places.setdefault(row["ballot__location"], {"location": row["ballot__location"],
                                                            "ballots": ballots.get(row["ballot__location"], 0),
                                                            "votes": {}})
        place["votes"][row["proposal__code"]] = row["n"]
    return list(places.values())


def has_voted(process: Process, *, keys: list[str]) -> bool:
    return Ballot.objects.filter(process=process).filter(Q(nik_key__in=keys) | Q(phone_key__in=keys)).exists()
