"""Reads of community participation (docs/regulations.md §12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.agencies.models import Agency, Region
from balai.memo import Memo
from balai.participation import tally
from balai.participation.models import (
    LEVEL_ORDER,
    Ballot,
    BallotChoice,
    BallotKind,
    Channel,
    Comment,
    CommentState,
    Draft,
    DraftSection,
    Forum,
    ForumItem,
    Gender,
    MusrenbangState,
    Phase,
    Process,
    ProcessKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Stance,
    Support,
)
from balai.people.permissions import agencies_for, has_permission
from balai.transparency.figures import MIN_CELL

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from balai.people.models import User

PUBLIC_PAGE_SIZE = 20


def citizens_took_part(*, process: Process | None = None, draft: Draft | None = None) -> bool:
    """Whether citizens took part in `process` (a proposal, a vote, a forum, a comment on its draft) or
    commented on `draft`: then it is the record of that participation, which nobody deletes by hand
    (ADR 0015; a process that ends is unpublished, not deleted)."""
    if draft is not None:
        return Comment.objects.filter(draft=draft).exists()
    if process is None:
        return False
    return (process.proposals.exists() or process.ballots.exists() or process.forums.exists()
            or Comment.objects.filter(draft__process=process).exists())


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

# A vote reads the process's phases and projects each time; they change a few times per process. Kept for
# 5 s per worker process, forgotten at once when this process saves a phase or a proposal (balai/memo.py).
_VOTE_MEMO = Memo("participation-vote", watch=("participation.Phase", "participation.Proposal",
                                                "participation.Process"))


def voting_open(process: Process, *, today: date | None = None) -> bool:
    """Is the voting phase open today? (The same rule as `open_phase`, on the remembered phases.)"""
    today = today or timezone.localdate()
    phases = _VOTE_MEMO.get(("phases", process.pk), lambda: list(
        Phase.objects.filter(process=process, kind="voting").values_list("starts_on", "ends_on")))
    return any(start <= today <= end for start, end in phases)


def ballot_projects(process: Process) -> tuple[dict[str, int], dict[str, int]]:
    """`vote_costs`, remembered for a few seconds: the hot path of every vote."""
    return _VOTE_MEMO.get(("costs", process.pk), lambda: vote_costs(process))


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


def place_choices(process: Process, *, limit: int = 400) -> list:
    """Places a proposal of this process can be about: the villages inside its region, or its districts
    when there are too many villages for one list (a whole province)."""
    inside = Region.objects.filter(code__startswith=process.region.code + ".")
    villages = list(inside.filter(level=Region.Level.VILLAGE).order_by("code")[:limit + 1])
    if villages and len(villages) <= limit:
        return villages
    return list(inside.filter(level__in=[Region.Level.DISTRICT, Region.Level.REGENCY]).order_by("code")[:limit]) \
        or [process.region]


def place_in_process(process: Process, code: str) -> Region | None:
    return next((r for r in place_choices(process) if r.code == code), None)


# --- consultations --------------------------------------------------------------------------------------

def draft_of(process: Process) -> Draft | None:
    return Draft.objects.filter(process=process).first()


@dataclass(frozen=True)
class SectionView:
    section: DraftSection | None  # None: the whole draft
    comments: list[Comment]  # published and hidden (hidden ones show only their reason)
    agree: int
    disagree: int
    neutral: int


def draft_sections(draft: Draft) -> list[SectionView]:
    """Each section (and the whole draft first) with its moderated comments and the agree/disagree
    counts of its published comments. Comments waiting for moderation are not included."""
    comments = list(Comment.objects.filter(draft=draft).exclude(state=CommentState.PENDING)
                    .order_by("created_at", "id"))
    by_section: dict[int | None, list[Comment]] = {}
    for c in comments:
        by_section.setdefault(c.section_id, []).append(c)
    views = []
    for section in [None, *draft.sections.all()]:
        rows = by_section.get(section.pk if section else None, [])
        shown = [c for c in rows if c.state == CommentState.PUBLISHED]
        views.append(SectionView(section=section, comments=rows,
                                 agree=sum(c.stance == Stance.AGREE for c in shown),
                                 disagree=sum(c.stance == Stance.DISAGREE for c in shown),
                                 neutral=sum(c.stance == Stance.NEUTRAL for c in shown)))
    return views


def draft_section(draft: Draft, number: int) -> DraftSection | None:
    return draft.sections.filter(number=number).first()


def pending_comments(draft: Draft) -> list[Comment]:
    return list(Comment.objects.filter(draft=draft, state=CommentState.PENDING).select_related("section"))


def comment_of(draft: Draft, pk: int) -> Comment | None:
    return Comment.objects.filter(draft=draft, pk=pk).first()


# --- Musrenbang -----------------------------------------------------------------------------------------

def forums_of(process: Process) -> list[Forum]:
    order: dict[str, int] = {level: i for i, level in enumerate(LEVEL_ORDER)}
    forums = list(Forum.objects.filter(process=process).select_related("region"))
    return sorted(forums, key=lambda f: (order[f.level], f.region.code))


def forum_of(process: Process, pk: int) -> Forum | None:
    return Forum.objects.filter(process=process, pk=pk).select_related("region", "process").first()


def forum_items(forum: Forum) -> list[ForumItem]:
    return list(forum.items.select_related("proposal", "proposal__region", "proposal__responsible_agency"))


def forum_agreed_rows(forum: Forum) -> list[dict]:
    """The forum's agreed list in the columns national planning systems take (docs/regulations.md §12)."""
    rows = []
    for item in forum_items(forum):
        if item.decision != MusrenbangState.AGREED:
            continue
        p = item.proposal
        rows.append({"priority": item.priority or "", "code": p.code, "title": p.title,
                     "location": ", ".join(x for x in (p.location, p.region.name) if x), "region_code": p.region.code,
                     "volume": p.volume,
                     "responsible_agency": p.responsible_agency.name_id if p.responsible_agency else "",
                     "estimated_cost": p.cost or "", "contribution": p.contribution})
    return sorted(rows, key=lambda r: (r["priority"] == "", r["priority"] or 0, r["code"]))


def forum_by_region(process: Process, *, level: str, region_code: str) -> Forum | None:
    return Forum.objects.filter(process=process, level=level, region__code=region_code).first()


# --- inclusion --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    label: str
    value: str  # the code of the group (channel, gender, region code…)
    count: int | None  # None: suppressed (fewer than MIN_CELL), as on /kinerja/


def _cells(counts: dict, labels: dict) -> list[Cell]:
    return [Cell(label=str(labels.get(k, k) or "—"), value=str(k), count=n if n >= MIN_CELL else None)
            for k, n in sorted(counts.items(), key=lambda kv: str(kv[0]))]


def _regency_counts(qs: QuerySet[Proposal] | QuerySet[Ballot], field: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code, n in qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"):
        regency = ".".join((code or "").split(".")[:2])
        counts[regency] = counts.get(regency, 0) + n
    return counts


def inclusion_figures(*, process: Process | None = None) -> dict[str, list[Cell]]:
    """Who takes part, by region, channel, gender and disability: counts of proposals, ballots and
    forum attendance, each cell with fewer than MIN_CELL people suppressed (the same rule as /kinerja/).
    Gender and disability of proposers and voters are what they chose to tell (optional). Only published
    processes count: a process in preparation or withdrawn is not the public's to read, not even as counts."""
    proposals = Proposal.objects.filter(process__is_published=True)
    ballots = Ballot.objects.filter(process__is_published=True)
    forums = Forum.objects.filter(held_on__isnull=False, process__is_published=True)
    supports = Support.objects.filter(proposal__process__is_published=True)
    if process is not None:
        proposals, ballots = proposals.filter(process=process), ballots.filter(process=process)
        forums, supports = forums.filter(process=process), supports.filter(proposal__process=process)
    channel_labels = dict(Channel.choices)
    gender_labels = dict(Gender.choices)
    disability_labels = {"True": _("Person with a disability"), "False": _("No disability"),
                         "None": _("Not said")}
    region_codes = set(_regency_counts(proposals, "region__code")) | set(_regency_counts(ballots, "region__code"))
    region_labels = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))

    def by(qs: QuerySet[Proposal] | QuerySet[Ballot] | QuerySet[Support], field: str) -> dict[object, int]:
        return dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"))

    attendance = forums.aggregate(women=Sum("attendance_women"), men=Sum("attendance_men"),
                                  disability=Sum("attendance_disability"))
    return {
        "proposals_channel": _cells(by(proposals, "channel"), channel_labels),
        "proposals_gender": _cells(by(proposals, "gender"), gender_labels),
        "proposals_disability": _cells({str(k): v for k, v in by(proposals, "disability").items()},
                                       disability_labels),
        "proposals_region": _cells(_regency_counts(proposals, "region__code"), region_labels),
        "supports_channel": _cells(by(supports, "channel"), channel_labels),
        "ballots_channel": _cells(by(ballots, "channel"), channel_labels),
        "ballots_gender": _cells(by(ballots, "gender"), gender_labels),
        "ballots_disability": _cells({str(k): v for k, v in by(ballots, "disability").items()}, disability_labels),
        "ballots_region": _cells(_regency_counts(ballots, "region__code"), region_labels),
        "attendance": _cells({k: v or 0 for k, v in attendance.items()},
                             {"women": _("Women"), "men": _("Men"), "disability": _("People with disabilities")}),
    }


def processes_with_results() -> list[Process]:
    return list(Process.objects.filter(is_published=True, kind=ProcessKind.BUDGET, results_published_at__isnull=False)
                .select_related("region").order_by("id"))


def sms_proposal_process(*, today: date | None = None) -> Process | None:
    """Where a proposal sent by SMS (`USUL <text>`) goes: the newest published proposals process whose
    proposals phase is open (one at a time is the rule for SMS; the web lets people choose)."""
    today = today or timezone.localdate()
    return (Process.objects.filter(is_published=True, kind=ProcessKind.PROPOSALS, phases__kind="proposals",
                                   phases__starts_on__lte=today, phases__ends_on__gte=today)
            .select_related("region").order_by("-created_at", "-id").first())


def process_of_codes(codes: list[str]) -> Process | None:
    """The one budget process the project codes of an SMS vote belong to (None when none or several)."""
    ids = set(Proposal.objects.filter(code__in=codes).values_list("process_id", flat=True))
    if len(ids) != 1:
        return None
    return Process.objects.filter(pk=ids.pop(), kind=ProcessKind.BUDGET, is_published=True).first()


def processes_for_staff(user: User | AnonymousUser) -> list[Process]:
    """Processes whose pages an officer may open: their agencies' ones, and every process for counter
    officers and facilitators (they record paper entries for any agency of the government)."""
    qs = Process.objects.select_related("agency", "region").order_by("-created_at", "-id")
    if user.is_superuser or has_permission(user, "participation.record"):
        return list(qs[:200])
    return list(qs.filter(agency__in=agencies_for(user))[:200])


def staff_proposals(process: Process, *, limit: int = 100) -> list[Proposal]:
    return list(Proposal.objects.filter(process=process).exclude(status=ProposalStatus.MERGED)
                .select_related("region").order_by("-support_count", "-id")[:limit])


# --- the process editor (/kantor/partisipasi/baru/, …/ubah/) -------------------------------------------

EDITOR_REGION_LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY, Region.Level.DISTRICT)


def can_edit_process(user: User | AnonymousUser, process: Process) -> bool:
    return has_permission(user, "participation.edit", process.agency)


def editable_agencies(user: User | AnonymousUser) -> list[Agency]:
    """Active agencies in which `user` may create and edit processes (head or administrator there)."""
    candidates = Agency.objects.filter(is_active=True).select_related("government__region") \
        .order_by("short_name", "pk")
    if not user.is_superuser:
        candidates = candidates.filter(pk__in=agencies_for(user))
    return [a for a in candidates if has_permission(user, "participation.edit", a)]


def region_inside(region: Region, outer: Region) -> bool:
    """Is `region` the `outer` region or one inside it (dotted Kemendagri codes)?"""
    return region.code == outer.code or region.code.startswith(outer.code + ".")


def voters_region_of(process: Process) -> Region:
    """The region whose residents may vote (callers check `process.voters_region_id` first)."""
    return _VOTE_MEMO.get(("voters", process.pk), lambda: Region.objects.get(pk=process.voters_region_id or 0))


def voter_places(process: Process, *, limit: int = 400) -> list[Region]:
    """Where a voter of a region-limited budget can say they live: the villages of the voters' region, or
    its districts when there are too many villages for one list (then a district's code is enough)."""
    if not process.voters_region_id:
        return []
    voters = voters_region_of(process)
    inside = Region.objects.filter(code__startswith=voters.code + ".")
    villages = list(inside.filter(level__in=[Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE])
                    .order_by("code")[:limit + 1])
    if villages and len(villages) <= limit:
        return villages
    return list(inside.filter(level=Region.Level.DISTRICT).order_by("code")[:limit]) or [voters]


def voter_place(process: Process, code: str) -> Region | None:
    return next((r for r in voter_places(process) if r.code == code), None)


def region_within(region: Region, agency: Agency) -> bool:
    """Is `region` the owner agency's government's region or inside it?"""
    root = agency.government.region.code
    return region.code == root or region.code.startswith(root + ".")


def editor_regions(agencies: list[Agency], *, limit: int = 600) -> list[Region]:
    """Regions a process of one of `agencies` can concern: their governments' regions and what lies
    inside them, down to districts (a village's process is a Musrenbang forum, not a process)."""
    roots = sorted({a.government.region.code for a in agencies})
    if not roots:
        return []
    inside = Q()
    for code in roots:
        inside |= Q(code=code) | Q(code__startswith=code + ".")
    return list(Region.objects.filter(inside, level__in=EDITOR_REGION_LEVELS).order_by("code")[:limit])


def region_by_pk(pk: int | None) -> Region | None:
    return Region.objects.filter(pk=pk).first() if pk else None


def agency_by_pk(pk: int | None) -> Agency | None:
    return Agency.objects.select_related("government__region").filter(pk=pk).first() if pk else None


def process_phases_by_kind(process: Process) -> dict[str, Phase]:
    """The process's phases by kind (the first of a kind, in date order)."""
    found: dict[str, Phase] = {}
    for phase in Phase.objects.filter(process=process).order_by("starts_on", "id"):
        found.setdefault(phase.kind, phase)
    return found


def slug_taken(slug: str, *, exclude: int | None = None) -> bool:
    qs = Process.objects.filter(slug=slug)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def has_ballots(process: Process) -> bool:
    return Ballot.objects.filter(process=process).exists()


def sections_with_comments(draft: Draft) -> set[int]:
    return set(Comment.objects.filter(draft=draft, section__isnull=False).values_list("section_id", flat=True))


def sections_of(draft: Draft) -> list[DraftSection]:
    return list(DraftSection.objects.filter(draft=draft).order_by("number"))
