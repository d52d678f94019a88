"""Writes of community participation (docs/regulations.md §12). Keyword-only, typed, no HTTP objects.

Every act by staff (a paper ballot, a proposal recorded on someone's behalf, an answer, a merge, a
moderation decision, a forum decision) is written to the audit chain in the same transaction.
"""

from __future__ import annotations

import secrets
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.audit.services import audit_record
from balai.cases.attachments import JPEG, PNG, WEBP, check_upload, sniff, strip_image_metadata
from balai.cases.tracking import ALPHABET
from balai.participation import tally
from balai.participation.keys import nik_key, phone_key
from balai.participation.models import (
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
    Level,
    MusrenbangState,
    PhaseKind,
    Process,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Support,
)
from balai.participation.selectors import ballot_projects, open_phase, voting_open
from balai.participation.selectors import budget_results as selectors_budget_results

CODE_LENGTH = 5

# Public statuses a proposal may be moved to by its owner, in the order a proposal follows to the end.
FOLLOW_STATUSES = (ProposalStatus.ANSWERED, ProposalStatus.ACCEPTED, ProposalStatus.IN_PLAN,
                   ProposalStatus.FUNDED, ProposalStatus.BUILT, ProposalStatus.REJECTED)

MESSAGES = {
    "phase_closed": _("This step of the process is not open now."),
    "not_open": _("This proposal can no longer be supported."),
    "already": _("You already support this proposal. Each person supports a proposal once."),
    "already_voted": _("A vote from this person was already recorded (%(channel)s, %(date)s). Each person "
                       "votes once, whatever the channel: the second vote was not counted."),
    "empty": _("Choose at least one project."),
    "unknown": _("These codes are not projects of this vote: %(codes)s."),
    "too_many": _("Choose at most %(max)s projects."),
    "over_budget": _("The projects chosen cost more than the budget of %(budget)s rupiah."),
    "reason_needed": _("Give the reason: the proposer sees it."),
    "same_proposal": _("A proposal cannot be merged into itself."),
    "other_process": _("Both proposals must belong to the same process."),
}


def _stamp(value: date | None) -> str:
    return value.isoformat() if value else ""


def new_proposal_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


# --- processes ------------------------------------------------------------------------------------------

def process_publish(*, process: Process, actor) -> Process:
    with transaction.atomic():
        process.is_published = True
        process.save(update_fields=["is_published"])
        audit_record(action="participation.process_publish", actor=actor, target=process)
    return process


# --- proposals ------------------------------------------------------------------------------------------

def _event(proposal: Proposal, note: str = "") -> None:
    ProposalEvent.objects.create(proposal=proposal, status=proposal.status, note=note)


def proposal_submit(*, process: Process, title: str, description: str, region, category: str = "other",
                    channel: str = Channel.WEB, author=None, author_key: str = "", recorded_by=None,
                    gender: str = "", disability: bool | None = None, location: str = "", volume: str = "",
                    cost: int | None = None, responsible_agency=None, contribution: str = "",
                    level: str = "", photo=None, today: date | None = None) -> Proposal:
    """A citizen's proposal, on the web, by SMS or recorded by staff (audited). Only while the process's
    proposals phase is open (staff recording a Musrenbang proposal included)."""
    if open_phase(process, PhaseKind.PROPOSALS, today=today) is None:
        raise ValidationError(MESSAGES["phase_closed"], code="phase_closed")
    picture = proposal_photo(photo) if photo else None
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(
                        process=process, code=new_proposal_code(), title=title.strip()[:160],
                        description=description.strip(), region=region, category=category, channel=channel,
                        author=author, author_key=author_key, recorded_by=recorded_by, gender=gender,
                        disability=disability, location=location, volume=volume, cost=cost,
                        responsible_agency=responsible_agency, contribution=contribution, level=level,
                        level_state="waiting" if level else "")
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - 5 collisions in 6 million codes
            raise RuntimeError("no free proposal code")
        if picture is not None:
            kind, content = picture
            proposal.photo.save(f"{proposal.code}.{kind.extension}", ContentFile(content), save=False)
            proposal.save(update_fields=["photo"])
        _event(proposal)
        if recorded_by is not None:
            audit_record(action="participation.proposal_recorded", actor=recorded_by, target=proposal,
                         data={"process": process.pk, "channel": channel})
    return proposal


def proposal_photo(uploaded):
    """(kind, bytes) of a proposal's optional photo: JPEG, PNG or WebP within the upload limit, decoded
    and encoded again without metadata (no GPS position or camera serial: the photo is public)."""
    data, _name = check_upload(uploaded)
    kind = sniff(data)
    if kind not in (JPEG, PNG, WEBP):
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="photo_type")
    return kind, strip_image_metadata(data, kind)


@dataclass(frozen=True)
class SupportResult:
    ok: bool
    error: str = ""
    proposal: Proposal | None = None

    @property
    def message(self) -> str:
        return str(MESSAGES[self.error]) if self.error else ""


def proposal_support(*, proposal: Proposal, person_key: str, channel: str,
                     today: date | None = None) -> SupportResult:
    """One support per person (a verified phone or an account, by its key). Supporting a merged proposal
    supports the one it was merged into. Idempotent: a second support by the same person is refused."""
    while proposal.merged_into_id:
        proposal = proposal.merged_into
    if proposal.status != ProposalStatus.OPEN:
        return SupportResult(False, "not_open", proposal)
    process = proposal.process
    if open_phase(process, PhaseKind.PROPOSALS, today=today) is None:
        return SupportResult(False, "phase_closed", proposal)
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, person_key=person_key, channel=channel)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return SupportResult(False, "already", proposal)
    proposal.refresh_from_db(fields=["support_count"])
    return SupportResult(True, "", proposal)


def proposal_set_status(*, proposal: Proposal, status: str, note: str, actor) -> Proposal:
    """The owner moves a proposal along its public path (answered → accepted → in the plan → funded →
    built, or rejected with a reason). The note is public; a rejection needs one."""
    if status not in FOLLOW_STATUSES:
        raise ValidationError(_("Unknown status."), code="status")
    note = (note or "").strip()
    if status == ProposalStatus.REJECTED and not note:
        raise ValidationError(MESSAGES["reason_needed"], code="reason_needed")
    with transaction.atomic():
        proposal.status = status
        fields = ["status"]
        if note and not proposal.answered_at:
            proposal.answer, proposal.answered_at = note, timezone.now()
            fields += ["answer", "answered_at"]
        proposal.save(update_fields=fields)
        _event(proposal, note)
        audit_record(action="participation.proposal_status", actor=actor, target=proposal,
                     data={"status": status})
    return proposal


def proposal_merge(*, source: Proposal, target: Proposal, actor) -> Proposal:
    """Merge a duplicate into another proposal: its supports move over (a person who supported both
    counts once), it points to the target and says so publicly."""
    if source.pk == target.pk:
        raise ValidationError(MESSAGES["same_proposal"], code="same_proposal")
    if source.process_id != target.process_id:
        raise ValidationError(MESSAGES["other_process"], code="other_process")
    with transaction.atomic():
        locked = {p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
        source, target = locked[source.pk], locked[target.pk]
        already = Support.objects.filter(proposal=target).values("person_key")
        Support.objects.filter(proposal=source, person_key__in=already).delete()
        Support.objects.filter(proposal=source).update(proposal=target)
        target.support_count = Support.objects.filter(proposal=target).count()
        target.save(update_fields=["support_count"])
        source.status, source.merged_into, source.support_count = ProposalStatus.MERGED, target, 0
        source.save(update_fields=["status", "merged_into", "support_count"])
        _event(source, f"{target.code} · {target.title}")
        audit_record(action="participation.proposal_merge", actor=actor, target=source,
                     data={"into": target.pk})
    return target


# --- participatory budget -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BallotResult:
    ok: bool
    error: str = ""
    codes: list[str] = field(default_factory=list)
    previous_channel: str = ""
    previous_date: date | None = None
    ballot: Ballot | None = None
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        if not self.error:
            return ""
        params = dict(self.params)
        if self.error == "already_voted":
            params = {"channel": Channel(self.previous_channel).label if self.previous_channel else "",
                      "date": _stamp(self.previous_date)}
        elif self.error == "unknown":
            params = {"codes": ", ".join(self.codes)}
        text = str(MESSAGES.get(self.error, self.error))
        return text % params if params else text


def _already(process: Process, keys: list[str]) -> BallotResult | None:
    previous = (Ballot.objects.filter(process=process).filter(Q(nik_key__in=keys) | Q(phone_key__in=keys))
                .values_list("channel", "cast_at").first())
    if previous is None:
        return None
    return BallotResult(False, "already_voted", previous_channel=previous[0],
                        previous_date=timezone.localdate(previous[1]))


def ballot_cast(*, process: Process, nik: str, codes: list[str], channel: str, phone: str = "",
                verified_phone_key: str = "", location: str = "", recorded_by=None, region=None,
                gender: str = "", disability: bool | None = None, today: date | None = None) -> BallotResult:
    """Record one person's budget vote, from any channel.

    One vote per person per process, checked by the keyed digest of the NIK AND of the phone number
    (when there is one): a second vote by either, by any channel, is refused with the date and channel of
    the first. Unique constraints keep it so under concurrency. `verified_phone_key` is the key of a
    phone the person proved with a one-time code (the web), instead of the number. A paper ballot recorded by staff (their
    identity checked on paper, `location` = where it was cast) is written to the audit chain.
    """
    if not voting_open(process, today=today):
        return BallotResult(False, "phase_closed")
    try:
        key = nik_key(nik)
    except ValidationError as exc:
        return BallotResult(False, "nik", params={"message": " ".join(exc.messages)})
    phone_k = verified_phone_key or None
    if phone and not phone_k:
        try:
            phone_k = phone_key(phone)
        except ValidationError as exc:
            return BallotResult(False, "phone", params={"message": " ".join(exc.messages)})
    codes = [c.strip().upper() for c in codes if c.strip()]
    costs, ids = ballot_projects(process)
    error, concerned = tally.ballot_error(process.ballot_kind or BallotKind.APPROVAL, codes, costs=costs,
                                          budget=process.budget, max_choices=process.max_choices)
    if error:
        return BallotResult(False, error, codes=concerned,
                            params={"max": process.max_choices, "budget": f"{process.budget or 0:,}".replace(",", ".")})
    keys = [key] + ([phone_k] if phone_k else [])
    chosen = list(dict.fromkeys(codes))
    ballot = Ballot(process=process, nik_key=key, phone_key=phone_k, channel=channel, location=location[:120],
                    recorded_by=recorded_by, region=region, gender=gender, disability=disability)
    try:
        if recorded_by is None and _one_statement(ballot):
            _insert_in_one_statement(ballot, [ids[c] for c in chosen])
        else:
            with transaction.atomic():
                ballot.save(force_insert=True)
                BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, proposal_id=ids[c])
                                                  for c in chosen])
                if recorded_by is not None:
                    audit_record(action="participation.paper_ballot", actor=recorded_by, target=ballot,
                                 data={"process": process.pk, "location": location[:120], "choices": len(chosen)})
    except IntegrityError:  # this person (NIK or phone) already voted: the unique constraints say so
        return _already(process, keys) or BallotResult(False, "already_voted")
    return BallotResult(True, codes=chosen, ballot=ballot)


def _one_statement(ballot: Ballot) -> bool:
    """Can this ballot be written by `_insert_in_one_statement`? PostgreSQL only (SQLite has no
    data-modifying WITH): there a ballot and its choices are one transaction of two INSERTs."""
    return connections[router.db_for_write(Ballot)].vendor == "postgresql"


def _insert_in_one_statement(ballot: Ballot, proposal_ids: list[int]) -> None:
    """The ballot and its choices in ONE statement, hence one round trip and, in autocommit, its own
    transaction (ADR 0034, "The cost of a vote"): a data-modifying WITH inserts the ballot and the
    choices together, so either both are written or neither. The one-vote rule is the same unique
    constraints (`ballot_one_per_nik`, `ballot_one_per_phone`): a second vote raises IntegrityError.
    Inside a caller's transaction it runs in a savepoint, so a refused vote leaves that transaction usable.
    """
    using = router.db_for_write(Ballot)
    connection = connections[using]
    quote = connection.ops.quote_name
    ballots, choices = quote(Ballot._meta.db_table), quote(BallotChoice._meta.db_table)
    ballot.cast_at = timezone.now()
    sql = (f"WITH b AS (INSERT INTO {ballots} (process_id, nik_key, phone_key, channel, location, "  # noqa: S608 - table names from the models only
           "recorded_by_id, region_id, gender, disability, cast_at) "
           "VALUES (%s, %s, %s, %s, %s, NULL, %s, %s, %s, %s) RETURNING id), "
           f"c AS (INSERT INTO {choices} (ballot_id, proposal_id) "
           "SELECT b.id, p FROM b, unnest(%s::bigint[]) AS p) "
           "SELECT id FROM b")
    params = [ballot.process_id, ballot.nik_key, ballot.phone_key, ballot.channel, ballot.location,
              ballot.region_id, ballot.gender, ballot.disability, ballot.cast_at, proposal_ids]
    with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ballot.pk = cursor.fetchone()[0]
    ballot._state.adding, ballot._state.db = False, using


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def ballot_error_message(result: BallotResult) -> str:
    """The message for a refused ballot, NIK and phone errors included (their own translated text)."""
    if result.error in ("nik", "phone"):
        return str(result.params.get("message", ""))
    return result.message


# --- consultations on drafts ----------------------------------------------------------------------------

def draft_create(*, process: Process, title: str, sections: list[tuple[str, str]], introduction: str = "",
                 actor=None) -> Draft:
    """A draft split into numbered sections (1, 2, …) in the order given."""
    with transaction.atomic():
        draft = Draft.objects.create(process=process, title=title, introduction=introduction)
        DraftSection.objects.bulk_create([DraftSection(draft=draft, number=i, heading=h, text=t)
                                          for i, (h, t) in enumerate(sections, start=1)])
        if actor is not None:
            audit_record(action="participation.draft_create", actor=actor, target=draft)
    return draft


def comment_submit(*, draft: Draft, section: DraftSection | None, stance: str, text: str, person_key: str = "",
                   author_name: str = "", channel: str = Channel.WEB, today: date | None = None) -> Comment:
    """A comment on one section or (section None) on the whole draft. It waits for moderation: nothing
    is public before a moderator publishes it."""
    if open_phase(draft.process, PhaseKind.PROPOSALS, today=today) is None:
        raise ValidationError(MESSAGES["phase_closed"], code="phase_closed")
    if section is not None and section.draft_id != draft.pk:
        raise ValidationError(_("Unknown section."), code="section")
    return Comment.objects.create(draft=draft, section=section, stance=stance, text=text.strip(),
                                  person_key=person_key, author_name=author_name.strip()[:80], channel=channel)


def comment_moderate(*, comment: Comment, publish: bool, reason: str = "", actor) -> Comment:
    """Publish a comment, or hide it with a reason that is published in its place (insults, personal
    data, advertising, off topic…)."""
    reason = (reason or "").strip()
    if not publish and not reason:
        raise ValidationError(_("Give the reason for hiding: it is published."), code="reason_needed")
    with transaction.atomic():
        comment.state = CommentState.PUBLISHED if publish else CommentState.HIDDEN
        comment.hide_reason = "" if publish else reason[:200]
        comment.moderated_by = actor
        comment.save(update_fields=["state", "hide_reason", "moderated_by"])
        audit_record(action="participation.comment_moderate", actor=actor, target=comment,
                     data={"state": comment.state})
    return comment


def section_respond(*, section: DraftSection, response: str, actor) -> DraftSection:
    with transaction.atomic():
        section.response = response.strip()
        section.save(update_fields=["response"])
        audit_record(action="participation.section_response", actor=actor, target=section)
    return section


def report_publish(*, draft: Draft, introduction: str, actor) -> Draft:
    """Publish the response report: the owner's answer to each section's comments (page and PDF)."""
    with transaction.atomic():
        draft.report_intro = introduction.strip()
        draft.report_published_at = timezone.now()
        draft.save(update_fields=["report_intro", "report_published_at"])
        audit_record(action="participation.report_publish", actor=actor, target=draft)
    return draft


# --- Musrenbang -----------------------------------------------------------------------------------------

NEXT_LEVEL = {Level.VILLAGE: Level.DISTRICT, Level.DISTRICT: Level.REGENCY, Level.REGENCY: Level.PROVINCE}
REJECTION_REASONS = (_("Duplicate"), _("Wrong address"), _("Already proposed"), _("Wrong agency"))


def forum_for(*, process: Process, level: str, region) -> Forum:
    forum, _created = Forum.objects.get_or_create(process=process, level=level, region=region)
    return forum


def forum_add(*, forum: Forum, proposal: Proposal) -> ForumItem:
    """Put a proposal on a forum's agenda (a village proposal enters its village's forum)."""
    with transaction.atomic():
        item, _created = ForumItem.objects.get_or_create(forum=forum, proposal=proposal)
        if proposal.level != forum.level or proposal.level_state != MusrenbangState.WAITING:
            proposal.level, proposal.level_state, proposal.level_reason = forum.level, MusrenbangState.WAITING, ""
            proposal.save(update_fields=["level", "level_state", "level_reason"])
    return item


def forum_decide(*, item: ForumItem, decision: str, actor, priority: int | None = None, reason: str = "") -> ForumItem:
    """The forum's decision on one proposal: agreed (with a priority), carried over to next year or not
    agreed — the last two with a reason the proposer sees."""
    if decision not in MusrenbangState.values or decision == MusrenbangState.WAITING:
        raise ValidationError(_("Unknown decision."), code="decision")
    reason = (reason or "").strip()
    if decision != MusrenbangState.AGREED and not reason:
        raise ValidationError(MESSAGES["reason_needed"], code="reason_needed")
    if item.forum.closed_at:
        raise ValidationError(_("This forum is closed."), code="closed")
    with transaction.atomic():
        item.decision, item.priority, item.reason = decision, priority, reason
        item.save(update_fields=["decision", "priority", "reason"])
        audit_record(action="participation.forum_decide", actor=actor, target=item,
                     data={"decision": decision, "proposal": item.proposal_id})
    return item


def forum_merge(*, forum: Forum, source: Proposal, target: Proposal, actor) -> Proposal:
    """The facilitator merges two proposals on the agenda: the duplicate is decided "not agreed:
    merged" and leaves the agenda's count; its supports move to the other."""
    with transaction.atomic():
        proposal_merge(source=source, target=target, actor=actor)
        ForumItem.objects.filter(forum=forum, proposal=source).update(
            decision=MusrenbangState.REJECTED, reason=f"{_('Duplicate')}: {target.code}")
        Proposal.objects.filter(pk=source.pk).update(level_state=MusrenbangState.REJECTED,
                                                     level_reason=f"{_('Duplicate')}: {target.code}")
    return target


def forum_record(*, forum: Forum, held_on: date, place: str, chair: str, minutes: str, women: int, men: int,
                 disability: int, actor) -> Forum:
    """Record the meeting: date, place, chair, minutes (berita acara) and attendance by gender and
    disability (docs/regulations.md §12)."""
    if min(women, men, disability) < 0 or disability > women + men:
        raise ValidationError(_("Attendance figures do not add up."), code="attendance")
    with transaction.atomic():
        forum.held_on, forum.place, forum.chair, forum.minutes = held_on, place, chair, minutes
        forum.attendance_women, forum.attendance_men, forum.attendance_disability = women, men, disability
        forum.facilitator = actor
        forum.save()
        audit_record(action="participation.forum_record", actor=actor, target=forum)
    return forum


def forum_close(*, forum: Forum, actor) -> list[ForumItem]:
    """Close the forum and escalate: each agreed proposal goes onto the agenda of the next level's forum
    (the parent region); one carried over or not agreed keeps its reason, shown to the proposer. At the
    province, agreed proposals are in the plan. Every item must be decided and the meeting recorded."""
    items = list(forum.items.select_related("proposal"))
    if forum.closed_at:
        raise ValidationError(_("This forum is closed."), code="closed")
    if forum.held_on is None:
        raise ValidationError(_("Record the meeting (date, attendance, minutes) first."), code="not_recorded")
    if any(i.decision == MusrenbangState.WAITING for i in items):
        raise ValidationError(_("Decide every proposal on the agenda first."), code="undecided")
    next_level = NEXT_LEVEL.get(forum.level)
    with transaction.atomic():
        forum.closed_at = timezone.now()
        forum.save(update_fields=["closed_at"])
        upper = None
        if next_level and forum.region.parent_id:
            upper = forum_for(process=forum.process, level=next_level, region=forum.region.parent)
        for item in items:
            proposal = item.proposal
            if proposal.status == ProposalStatus.MERGED:
                continue
            if item.decision == MusrenbangState.AGREED:
                if upper is not None:
                    forum_add(forum=upper, proposal=proposal)
                    proposal.refresh_from_db()
                    _event(proposal, str(_("Agreed at the %(level)s Musrenbang, sent on to the %(next)s level.") % {
                        "level": Level(forum.level).label, "next": Level(next_level).label}))
                else:
                    proposal.level_state = MusrenbangState.AGREED
                    proposal.status = ProposalStatus.IN_PLAN
                    proposal.priority = item.priority
                    proposal.save(update_fields=["level_state", "status", "priority"])
                    _event(proposal, str(_("Agreed at the %(level)s Musrenbang.") % {"level": Level(forum.level).label}))
            else:
                proposal.level_state, proposal.level_reason = item.decision, item.reason
                fields = ["level_state", "level_reason"]
                if item.decision == MusrenbangState.REJECTED:
                    proposal.status, proposal.answer = ProposalStatus.REJECTED, item.reason
                    proposal.answered_at = timezone.now()
                    fields += ["status", "answer", "answered_at"]
                proposal.save(update_fields=fields)
                _event(proposal, f"{MusrenbangState(item.decision).label}: {item.reason}")
        audit_record(action="participation.forum_close", actor=actor, target=forum,
                     data={"items": len(items), "escalated_to": upper.pk if upper else None})
    return items


def proposal_review(*, proposal: Proposal, feasible: bool, cost: int | None, actor, note: str = "") -> Proposal:
    """The review phase: the owner says whether a proposal is feasible and what it would cost; only
    feasible proposals with a cost go to a budget vote. An infeasible one is rejected with the note."""
    if cost is not None and cost < 0:
        raise ValidationError(_("The cost cannot be negative."), code="cost")
    if not feasible and not (note or "").strip():
        raise ValidationError(MESSAGES["reason_needed"], code="reason_needed")
    with transaction.atomic():
        proposal.feasible, proposal.cost = feasible, cost
        proposal.save(update_fields=["feasible", "cost"])
        audit_record(action="participation.proposal_review", actor=actor, target=proposal,
                     data={"feasible": feasible, "cost": cost})
    if not feasible:
        proposal_set_status(proposal=proposal, status=ProposalStatus.REJECTED, note=note, actor=actor)
    return proposal


def results_publish(*, process: Process, actor) -> Process:
    """Publish a budget's exact results (the page and the open dataset) and mark the funded projects."""
    with transaction.atomic():
        process.results_published_at = timezone.now()
        process.save(update_fields=["results_published_at"])
        funded = selectors_budget_results(process).result.funded
        for proposal in Proposal.objects.filter(process=process, code__in=funded):
            proposal.status = ProposalStatus.FUNDED
            proposal.save(update_fields=["status"])
            _event(proposal, str(_("Funded by the participatory budget.")))
        audit_record(action="participation.results_publish", actor=actor, target=process,
                     data={"funded": funded})
    return process
