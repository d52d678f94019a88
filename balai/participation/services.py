"""Writes of community participation (docs/regulations.md §12). Keyword-only, typed, no HTTP objects.

Every act by staff (a paper ballot, a proposal recorded on someone's behalf, an answer, a merge, a
moderation decision, a forum decision) is written to the audit chain in the same transaction.
"""

from __future__ import annotations

import secrets
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.agencies.services import check_agency_scope
from balai.audit.services import audit_change, audit_record
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
    Phase,
    PhaseKind,
    Process,
    ProcessKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Support,
)
from balai.participation.selectors import (
    ballot_projects,
    draft_of,
    has_ballots,
    open_phase,
    region_inside,
    region_within,
    sections_with_comments,
    slug_taken,
    voters_region_of,
    voting_open,
)
from balai.participation.selectors import budget_results as selectors_budget_results
from balai.people.permissions import has_permission

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from balai.agencies.models import Agency, Region
    from balai.cases.attachments import FileKind
    from balai.people.models import User

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
    "region_needed": _("This vote is only for residents of %(region)s: say which village you live in."),
    "region_outside": _("This vote is only for residents of %(region)s and the places inside it."),
    "region_by_message": _("This vote is only for residents of %(region)s: vote on the web or at a counter, "
                           "where your village is recorded."),
    "same_proposal": _("A proposal cannot be merged into itself."),
    "other_process": _("Both proposals must belong to the same process."),
}


def _stamp(value: date | None) -> str:
    return value.isoformat() if value else ""


def new_proposal_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


# --- processes ------------------------------------------------------------------------------------------

def process_publish(*, process: Process, actor: User | None) -> Process:
    with transaction.atomic():
        process.is_published = True
        process.save(update_fields=["is_published"])
        audit_record(action="participation.process_publish", actor=actor, target=process)
    return process


# --- proposals ------------------------------------------------------------------------------------------

def _event(proposal: Proposal, note: str = "") -> None:
    ProposalEvent.objects.create(proposal=proposal, status=proposal.status, note=note)


def proposal_submit(*, process: Process, title: str, description: str, region: Region,
                    category: str = "other", channel: str = Channel.WEB, author: User | None = None,
                    author_key: str = "", recorded_by: User | None = None,
                    gender: str = "", disability: bool | None = None, location: str = "", volume: str = "",
                    cost: int | None = None, responsible_agency: Agency | None = None,
                    contribution: str = "", level: str = "", photo: UploadedFile | None = None, today: date | None = None) -> Proposal:
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
            # Not a save: a change of a proposal is a staff edit for the page cache (ADR 0044), this is
            # still the citizen's insert (the new proposal's id is what the cached pages follow).
            Proposal.objects.filter(pk=proposal.pk).update(photo=proposal.photo.name)
        _event(proposal)
        if recorded_by is not None:
            audit_record(action="participation.proposal_recorded", actor=recorded_by, target=proposal,
                         data={"process": process.pk, "channel": channel})
    return proposal


def proposal_photo(uploaded: UploadedFile) -> tuple[FileKind, bytes]:
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
    while proposal.merged_into_id and proposal.merged_into is not None:
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


def proposal_set_status(*, proposal: Proposal, status: str, note: str, actor: User | None) -> Proposal:
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


def proposal_merge(*, source: Proposal, target: Proposal, actor: User | None) -> Proposal:
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
                verified_phone_key: str = "", location: str = "", recorded_by: User | None = None,
                region: Region | None = None,
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
    if process.voters_region_id:  # a budget for the residents of one region and the regions inside it
        refused = _outside_voters_region(process, region, channel)
        if refused is not None:
            return refused
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
    sql = (f"WITH b AS (INSERT INTO {ballots} (process_id, nik_key, phone_key, channel, location, "  # noqa: S608 # nosec B608 # table names from the models only
           "recorded_by_id, region_id, gender, disability, cast_at) "
           "VALUES (%s, %s, %s, %s, %s, NULL, %s, %s, %s, %s) RETURNING id), "
           f"c AS (INSERT INTO {choices} (ballot_id, proposal_id) "
           "SELECT b.id, p FROM b, unnest(%s::bigint[]) AS p) "
           "SELECT id FROM b")
    params = (ballot.process_id, ballot.nik_key, ballot.phone_key, ballot.channel, ballot.location,
              ballot.region_id, ballot.gender, ballot.disability, ballot.cast_at, proposal_ids)
    with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ballot.pk = cursor.fetchone()[0]
    ballot._state.adding, ballot._state.db = False, using
    # As a save would: whoever follows new ballots (this process's page cache, ADR 0044) hears of it.
    post_save.send(sender=Ballot, instance=ballot, created=True, update_fields=None, raw=False, using=using)


def _outside_voters_region(process: Process, region: Region | None, channel: str) -> BallotResult | None:
    """A refusal when the voter's region is not given or lies outside the process's voters' region. A
    text message cannot say where its sender lives, so such a vote goes to the web or a counter."""
    voters = voters_region_of(process)
    params = {"region": voters.name}
    if region is None:
        return BallotResult(False, "region_by_message" if channel in (Channel.SMS, Channel.WHATSAPP)
                            else "region_needed", params=params)
    if not region_inside(region, voters):
        return BallotResult(False, "region_outside", params=params)
    return None


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def ballot_error_message(result: BallotResult) -> str:
    """The message for a refused ballot, NIK and phone errors included (their own translated text)."""
    if result.error in ("nik", "phone"):
        return str(result.params.get("message", ""))
    return result.message


# --- consultations on drafts ----------------------------------------------------------------------------

def draft_create(*, process: Process, title: str, sections: list[tuple[str, str]], introduction: str = "",
                 actor: User | None = None) -> Draft:
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


def comment_moderate(*, comment: Comment, publish: bool, reason: str = "", actor: User | None) -> Comment:
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


def section_respond(*, section: DraftSection, response: str, actor: User | None) -> DraftSection:
    with transaction.atomic():
        section.response = response.strip()
        section.save(update_fields=["response"])
        audit_record(action="participation.section_response", actor=actor, target=section)
    return section


def report_publish(*, draft: Draft, introduction: str, actor: User | None) -> Draft:
    """Publish the response report: the owner's answer to each section's comments (page and PDF)."""
    with transaction.atomic():
        draft.report_intro = introduction.strip()
        draft.report_published_at = timezone.now()
        draft.save(update_fields=["report_intro", "report_published_at"])
        audit_record(action="participation.report_publish", actor=actor, target=draft)
    return draft


# --- Musrenbang -----------------------------------------------------------------------------------------

NEXT_LEVEL: dict[str, str] = {Level.VILLAGE: Level.DISTRICT, Level.DISTRICT: Level.REGENCY, Level.REGENCY: Level.PROVINCE}
REJECTION_REASONS = (_("Duplicate"), _("Wrong address"), _("Already proposed"), _("Wrong agency"))


def forum_for(*, process: Process, level: str, region: Region) -> Forum:
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


def forum_decide(*, item: ForumItem, decision: str, actor: User | None, priority: int | None = None, reason: str = "") -> ForumItem:
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


def forum_merge(*, forum: Forum, source: Proposal, target: Proposal, actor: User | None) -> Proposal:
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
                 disability: int, actor: User | None) -> Forum:
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


def forum_close(*, forum: Forum, actor: User | None) -> list[ForumItem]:
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
        if next_level and forum.region.parent_id and forum.region.parent is not None:
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
                        "level": Level(forum.level).label, "next": Level(upper.level).label}))
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


def proposal_review(*, proposal: Proposal, feasible: bool, cost: int | None, actor: User | None, note: str = "") -> Proposal:
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


def results_publish(*, process: Process, actor: User | None) -> Process:
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


# --- the process editor (staff of the owner agency, /kantor/partisipasi/) --------------------------------

# Fields of a process the editor writes, in the order the audit record lists them.
DRAFT_ADMIN_FIELDS = ("process_id", "title", "introduction")
PROCESS_FIELDS = ("slug", "kind", "agency", "region", "is_published", "title_id", "title_en", "summary_id",
                  "summary_en", "decides_id", "decides_en", "deciders_id", "deciders_en", "input_use_id",
                  "input_use_en", "support_threshold", "threshold_date", "budget", "ballot_kind", "max_choices",
                  "voters_region", "year")
REQUIRED_TEXTS = ("title_id", "decides_id", "deciders_id", "input_use_id")
RESERVED_SLUGS = frozenset({"baru", "new"})
PHASE_ORDER = tuple(PhaseKind.values)
# The phase without which a process of this kind cannot be taken part in.
NEEDED_PHASE = {ProcessKind.BUDGET: PhaseKind.VOTING, ProcessKind.PROPOSALS: PhaseKind.PROPOSALS,
                ProcessKind.CONSULTATION: PhaseKind.PROPOSALS, ProcessKind.MUSRENBANG: PhaseKind.PROPOSALS}

EDITOR_MESSAGES = {
    "required": _("This is needed: citizens read it before taking part."),
    "slug_taken": _("Another process already has this address."),
    "slug_reserved": _("This address is reserved; choose another."),
    "region": _("The region must be within the owner agency's government (%(region)s)."),
    "phase_half": _("Give both dates of this phase, or neither."),
    "phase_order": _("A phase cannot end before it starts."),
    "phase_overlap": _("The %(phase)s phase must start after the %(previous)s phase ends (%(date)s): phases "
                       "follow one another without overlapping."),
    "phase_none": _("Give the dates of at least one phase."),
    "phase_needed": _("This kind of process needs a %(phase)s phase."),
    "voters_region": _("The voters' region must be the process's region (%(region)s) or a region inside it."),
    "budget": _("Give the budget in rupiah (more than 0)."),
    "ballot_kind": _("Choose how people vote."),
    "max_choices": _("Give the most projects a voter may pick (at least 1)."),
    "ballots_cast": _("Votes have already been cast: the budget and the ballot rules can no longer change."),
    "draft_title": _("Give the title of the draft."),
    "sections_none": _("A draft needs at least one section."),
    "section_half": _("Give both the heading and the text of this section."),
    "section_commented": _("This section has comments: it cannot be removed (edit its text instead)."),
    "section_unknown": _("A section of another draft was sent: reload the page and try again."),
}


@dataclass(frozen=True)
class PhaseInput:
    kind: str
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class SectionInput:
    row: int  # its row in the form (errors are reported on `section_<row>_…`)
    pk: int | None
    heading: str
    text: str
    remove: bool = False


def _editor_error(errors: dict[str, list[str]], key: str, code: str, **params: object) -> None:
    text = str(EDITOR_MESSAGES[code])
    errors.setdefault(key, []).append(text % params if params else text)


def _check_phases(kind: str, phases: list[PhaseInput], errors: dict[str, list[str]]) -> list[PhaseInput]:
    """The phases given both dates, in the fixed order of phases, each after the one before."""
    by_kind = {p.kind: p for p in phases if p.kind in PHASE_ORDER}
    filled: list[PhaseInput] = []
    for name in PHASE_ORDER:
        phase = by_kind.get(name)
        if phase is None or (phase.starts_on is None and phase.ends_on is None):
            continue
        if phase.starts_on is None or phase.ends_on is None:
            _editor_error(errors, f"phase_{name}_{'starts' if phase.starts_on is None else 'ends'}", "phase_half")
            continue
        if phase.ends_on < phase.starts_on:
            _editor_error(errors, f"phase_{name}_ends", "phase_order")
            continue
        if filled and filled[-1].ends_on is not None and phase.starts_on <= filled[-1].ends_on:
            previous = filled[-1]
            _editor_error(errors, f"phase_{name}_starts", "phase_overlap", phase=PhaseKind(name).label,
                          previous=PhaseKind(previous.kind).label, date=_stamp(previous.ends_on))
        filled.append(phase)
    needed = NEEDED_PHASE.get(ProcessKind(kind)) if kind in ProcessKind.values else None
    if not by_kind or not any(p.starts_on or p.ends_on for p in by_kind.values()):
        _editor_error(errors, "phases", "phase_none")
    elif needed and needed not in {p.kind for p in filled} and not any(
            k.startswith(f"phase_{needed}_") for k in errors):
        _editor_error(errors, f"phase_{needed}_starts", "phase_needed", phase=PhaseKind(needed).label)
    return filled


@dataclass
class _Checked:
    values: dict
    errors: dict[str, list[str]]
    phases: list[PhaseInput]
    sections: list[SectionInput]
    draft: Draft | None


def _check_process(data: dict, phases: list[PhaseInput], process: Process | None, draft_title: str,
                   sections: list[SectionInput] | None) -> _Checked:
    values = {name: data.get(name) for name in PROCESS_FIELDS}
    for name in PROCESS_FIELDS:
        value = values[name]
        if isinstance(value, str):
            values[name] = value.strip()
    kind: str = process.kind if process is not None else str(values["kind"] or "")
    values["kind"] = kind
    errors: dict[str, list[str]] = {}
    if kind not in ProcessKind.values:
        errors["kind"] = [str(_("Choose the kind of process."))]
    for name in REQUIRED_TEXTS:
        if not values[name]:
            _editor_error(errors, name, "required")
    slug = values["slug"] or ""
    if not slug:
        _editor_error(errors, "slug", "required")
    elif slug in RESERVED_SLUGS:
        _editor_error(errors, "slug", "slug_reserved")
    elif slug_taken(slug, exclude=process.pk if process else None):
        _editor_error(errors, "slug", "slug_taken")
    region, agency = values["region"], values["agency"]
    if region is None:
        _editor_error(errors, "region", "required")
    elif agency is not None and not region_within(region, agency):
        _editor_error(errors, "region", "region", region=agency.government.region.name)
    filled = _check_phases(kind, phases, errors)
    if kind == ProcessKind.BUDGET:
        if not values["budget"] or values["budget"] <= 0:
            _editor_error(errors, "budget", "budget")
        if values["ballot_kind"] not in BallotKind.values:
            _editor_error(errors, "ballot_kind", "ballot_kind")
        elif values["ballot_kind"] == BallotKind.APPROVAL and not values["max_choices"]:
            _editor_error(errors, "max_choices", "max_choices")
        if values["ballot_kind"] == BallotKind.KNAPSACK:
            values["max_choices"] = None
        voters = values["voters_region"]
        if voters is not None and region is not None and not region_inside(voters, region):
            _editor_error(errors, "voters_region", "voters_region", region=region.name)
        if process is not None and has_ballots(process) and any(
                getattr(process, f) != values[f] for f in ("budget", "ballot_kind", "max_choices", "voters_region")):
            _editor_error(errors, "budget", "ballots_cast")
    else:
        values["budget"], values["ballot_kind"], values["max_choices"], values["voters_region"] = None, "", None, None
    draft = draft_of(process) if process is not None else None
    kept: list[SectionInput] = []
    if kind == ProcessKind.CONSULTATION:
        kept = _check_sections(draft, sections or [], errors)
        if not draft_title.strip():
            _editor_error(errors, "draft_title", "draft_title")
    return _Checked(values, errors, filled, kept, draft)


def process_problems(*, data: dict, phases: list[PhaseInput], process: Process | None = None,
                     draft_title: str = "", sections: list[SectionInput] | None = None) -> dict[str, list[str]]:
    """What `process_save` would refuse, by field, without writing anything: the editor shows these
    together with the form's own errors, so one round trip reveals every problem."""
    return _check_process(data, phases, process, draft_title, sections).errors


def process_save(*, actor: User | None, data: dict, phases: list[PhaseInput], process: Process | None = None,
                 draft_title: str = "", draft_intro: str = "",
                 sections: list[SectionInput] | None = None) -> Process:
    """Create (`process` None) or edit a participation process: owner agency, region, plain-language
    texts, phases, budget and ballot rules, the draft and its sections. Only the head or administrator
    of the owner agency (of the old and of the new owner, when it changes) may; everything is checked
    before anything is written, errors come back together as a ValidationError keyed by field, and the
    change is one audit record naming the fields changed.
    """
    agency = data.get("agency")
    if agency is None or not has_permission(actor, "participation.edit", agency):
        raise PermissionDenied
    if process is not None and not has_permission(actor, "participation.edit", process.agency):
        raise PermissionDenied
    checked = _check_process(data, phases, process, draft_title, sections)
    if checked.errors:
        raise ValidationError(checked.errors)
    kind = checked.values["kind"]
    with transaction.atomic():
        target, changed = _write_process(process, checked.values)
        phase_changes = _write_phases(target, checked.phases)
        section_changes = (_write_draft(target, checked.draft, draft_title.strip(), draft_intro.strip(),
                                        checked.sections) if kind == ProcessKind.CONSULTATION else {})
        audit_record(action="participation.process_edit" if process else "participation.process_create",
                     actor=actor, target=target,
                     data={"changed": changed, "agency": agency.pk,
                           "phases": phase_changes, "sections": section_changes})
    return target


def _write_process(process: Process | None, values: dict) -> tuple[Process, list[str]]:
    """The process created or updated, and the names of the fields that changed."""
    if process is None:
        return Process.objects.create(**values), list(PROCESS_FIELDS)
    changed = [name for name in PROCESS_FIELDS if getattr(process, name) != values[name]]
    for name in changed:
        setattr(process, name, values[name])
    if changed:
        process.save(update_fields=changed)
    return process, changed


def _write_phases(process: Process, filled: list[PhaseInput]) -> dict[str, list[str]]:
    """Phases as given, one per kind; a kind left blank is removed. Saved one by one, so the vote's
    memo of phases (selectors._VOTE_MEMO) is forgotten at once."""
    existing = {p.kind: p for p in Phase.objects.filter(process=process).order_by("starts_on", "id")}
    wanted = {p.kind: p for p in filled}
    changes: dict[str, list[str]] = {}
    for kind, phase in existing.items():
        if kind not in wanted:
            phase.delete()
            changes[kind] = []
    for kind, given in wanted.items():
        current = existing.get(kind)
        if given.starts_on is None or given.ends_on is None:  # never: `filled` holds phases with both dates
            continue
        if current is None or (current.starts_on, current.ends_on) != (given.starts_on, given.ends_on):
            if current is None:
                current = Phase(process=process, kind=kind)
            current.starts_on, current.ends_on = given.starts_on, given.ends_on
            current.save()
            changes[kind] = [_stamp(given.starts_on), _stamp(given.ends_on)]
    return changes


def _check_sections(draft: Draft | None, sections: list[SectionInput],
                    errors: dict[str, list[str]]) -> list[SectionInput]:
    """The sections to keep, in order: rows left blank are ignored, a half-filled row is an error, and
    a section that has comments cannot be removed."""
    known = {s.pk for s in draft.sections.all()} if draft is not None else set()
    commented = sections_with_comments(draft) if draft is not None else set()
    kept: list[SectionInput] = []
    for row in sections:
        if row.pk is not None and row.pk not in known:
            errors.setdefault("__all__", []).append(str(EDITOR_MESSAGES["section_unknown"]))
            continue
        if row.remove:
            if row.pk in commented:
                _editor_error(errors, f"section_{row.row}_remove", "section_commented")
            continue
        heading, text = row.heading.strip(), row.text.strip()
        if not heading and not text:
            if row.pk in commented:
                _editor_error(errors, f"section_{row.row}_heading", "section_commented")
            continue
        if not heading or not text:
            _editor_error(errors, f"section_{row.row}_{'heading' if not heading else 'text'}", "section_half")
            continue
        kept.append(SectionInput(row.row, row.pk, heading[:200], text))
    if not kept and not any(k.startswith("section_") for k in errors):
        _editor_error(errors, "sections", "sections_none")
    return kept


def _write_draft(process: Process, draft: Draft | None, title: str, intro: str,
                 kept: list[SectionInput]) -> dict[str, int]:
    if draft is None:
        draft = Draft.objects.create(process=process, title=title, introduction=intro)
    elif (draft.title, draft.introduction) != (title, intro):
        draft.title, draft.introduction = title, intro
        draft.save(update_fields=["title", "introduction"])
    existing = {s.pk: s for s in draft.sections.all()}
    keep_ids = {row.pk for row in kept if row.pk is not None}
    removed = [s for pk, s in existing.items() if pk not in keep_ids]
    for section in removed:
        section.delete()
    # Renumber 1, 2, … in the order given: move the kept ones out of the way first (unique numbers).
    for offset, row in enumerate(r for r in kept if r.pk is not None):
        section = existing[row.pk]  # type: ignore[index]
        section.number = 30000 + offset
        section.save(update_fields=["number"])
    added = edited = 0
    for number, row in enumerate(kept, start=1):
        if row.pk is None:
            DraftSection.objects.create(draft=draft, number=number, heading=row.heading, text=row.text)
            added += 1
            continue
        section = existing[row.pk]
        edited += (section.heading, section.text) != (row.heading, row.text)
        section.number, section.heading, section.text = number, row.heading, row.text
        section.save(update_fields=["number", "heading", "text"])
    return {"added": added, "edited": edited, "removed": len(removed)}


# --- the admin's process pages (administrators, ADR 0015) ----------------------------------------------------


@transaction.atomic
def process_admin_save(*, actor: User | None, process: Process, via: str = "") -> Process:
    """Save a process (or its draft's parent) as edited in the admin: only a process of an agency `actor`
    administers, owned afterwards by one too (a superuser's anywhere); the change is one audit record naming
    the fields changed, like the editor on `/kantor/partisipasi/`."""
    stored = Process.objects.filter(pk=process.pk).first() if process.pk else None
    check_agency_scope(actor, {process.agency_id} | ({stored.agency_id} if stored else set()),
                       _("You may edit only the processes of agencies you administer."))
    changed = [name for name in PROCESS_FIELDS if stored is None or getattr(stored, name) != getattr(process, name)]
    process.save()
    audit_change(action="participation.process_edit" if stored else "participation.process_create", actor=actor,
                 via=via, target=process, data={"changed": changed, "agency": process.agency_id})
    return process


@transaction.atomic
def draft_admin_save(*, actor: User | None, draft: Draft, via: str = "") -> Draft:
    """Save a draft's title and introduction as edited in the admin: only a draft of a process of an agency
    `actor` administers, attached afterwards to such a process too; one audit record naming the fields
    changed, like `process_admin_save`."""
    stored = Draft.objects.filter(pk=draft.pk).select_related("process").first() if draft.pk else None
    check_agency_scope(actor, {draft.process.agency_id} | ({stored.process.agency_id} if stored else set()),
                       _("You may edit only the processes of agencies you administer."))
    changed = [name for name in DRAFT_ADMIN_FIELDS if stored is None or getattr(stored, name) != getattr(draft, name)]
    draft.save()
    audit_change(action="participation.draft_edit" if stored else "participation.draft_create", actor=actor,
                 via=via, target=draft, data={"changed": changed, "agency": draft.process.agency_id})
    return draft


def admin_rows_record(*, actor: User | None, parent: Process | Draft, rows: str, added: list[str],
                      changed: list[str], deleted: list[str], via: str = "") -> None:
    """Rows edited in the admin together with `parent` (a process's phases, a draft's sections), after the
    parent's own save checked its agency: one "participation.<rows>_edit" record naming each row added,
    changed and deleted, in the admin's transaction; nothing when no row changed (a draft's text moved under
    its commenters' feet must show)."""
    if added or changed or deleted:
        audit_change(action=f"participation.{rows}_edit", actor=actor, via=via, target=parent,
                     data={"added": added, "changed": changed, "deleted": deleted})

