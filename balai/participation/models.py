"""Community participation (docs/regulations.md §12): processes with phases, proposals with supports,
participatory-budget ballots, consultations on drafts and the Musrenbang forums.

No personal identifier is stored in plain text: a supporter or voter is a keyed digest
(`balai.people.field_crypto.keyed_digest`) of their NIK, phone number or account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Localized:
    """`obj.t("title")` gives `title_en` in English when it is filled, else `title_id`."""

    def t(self, field: str) -> str:
        if (get_language() or "id").startswith("en"):
            value = getattr(self, f"{field}_en", "")
            if value:
                return value
        return getattr(self, f"{field}_id")


class ProcessKind(models.TextChoices):
    PROPOSALS = "proposals", _("Proposals")
    BUDGET = "budget", _("Participatory budget")
    CONSULTATION = "consultation", _("Consultation on a draft")
    MUSRENBANG = "musrenbang", _("Musrenbang")


class BallotKind(models.TextChoices):
    KNAPSACK = "knapsack", _("Share out the budget")
    APPROVAL = "approval", _("Pick up to a number of projects")


class Process(Localized, models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProcessKind.choices)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_id = models.TextField(_("summary (Indonesian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    decides_id = models.TextField(_("what is decided (Indonesian)"))
    decides_en = models.TextField(_("what is decided (English)"), blank=True)
    deciders_id = models.TextField(_("who decides (Indonesian)"))
    deciders_en = models.TextField(_("who decides (English)"), blank=True)
    input_use_id = models.TextField(_("what happens to what people say (Indonesian)"))
    input_use_en = models.TextField(_("what happens to what people say (English)"), blank=True)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT,
                               related_name="participation_processes")
    region = models.ForeignKey("agencies.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    is_published = models.BooleanField(_("published"), default=False)
    # Proposals: a proposal with this many supports by `answer_due` must get a public answer.
    support_threshold = models.PositiveIntegerField(_("support threshold"), default=0)
    threshold_date = models.DateField(_("supports counted until"), null=True, blank=True)
    # Participatory budget
    budget = models.BigIntegerField(_("budget (rupiah)"), null=True, blank=True)
    ballot_kind = models.CharField(_("ballot"), max_length=10, choices=BallotKind.choices, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("most projects per ballot"), null=True, blank=True)
    # Empty: anyone may vote. Set: only voters living in this region or a region inside it (the budget of a
    # city's districts, say); the web form and the counter ask for the voter's village.
    voters_region = models.ForeignKey("agencies.Region", verbose_name=_("voters living in"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("planning year"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation process")
        verbose_name_plural = _("participation processes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title_id

    title = property(lambda self: self.t("title"))
    summary = property(lambda self: self.t("summary"))
    decides = property(lambda self: self.t("decides"))
    deciders = property(lambda self: self.t("deciders"))
    input_use = property(lambda self: self.t("input_use"))


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Phase(models.Model):
    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE,
                                related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="phase_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.process_id} {self.kind}"


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PAPER = "paper", _("Paper or counter")


class Gender(models.TextChoices):
    UNSAID = "", _("Prefer not to say")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")


class ProposalCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Roads, bridges and drainage")
    WATER = "water", _("Clean water and sanitation")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    ECONOMY = "economy", _("Local economy")
    SOCIAL = "social", _("Social and inclusion")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open for support")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")
    IN_PLAN = "in_plan", _("In the plan")
    FUNDED = "funded", _("Funded")
    BUILT = "built", _("Built")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another proposal")


class Level(models.TextChoices):
    VILLAGE = "village", _("Village")
    DISTRICT = "district", _("District")
    REGENCY = "regency", _("Regency or city")
    PROVINCE = "province", _("Province")


LEVEL_ORDER = (Level.VILLAGE, Level.DISTRICT, Level.REGENCY, Level.PROVINCE)


class MusrenbangState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the forum")
    AGREED = "agreed", _("Agreed")
    CARRIED_OVER = "carried_over", _("Carried over to next year")
    REJECTED = "rejected", _("Not agreed")


class Proposal(models.Model):
    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE,
                                related_name="proposals")
    code = models.CharField(_("code"), max_length=8, unique=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=16, choices=ProposalCategory.choices,
                                default=ProposalCategory.OTHER)
    region = models.ForeignKey("agencies.Region", verbose_name=_("village or area"), on_delete=models.PROTECT,
                               related_name="+")
    photo = models.FileField(_("photo"), upload_to="participation/%Y/%m/", blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_key = models.CharField(_("author (digest)"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    disability = models.BooleanField(_("person with a disability"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.OPEN, db_index=True)
    answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_from")
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    # Review and budget
    feasible = models.BooleanField(_("feasible"), null=True, blank=True)
    cost = models.BigIntegerField(_("estimated cost (rupiah)"), null=True, blank=True)
    # Musrenbang: what national planning systems take
    location = models.CharField(_("location"), max_length=200, blank=True)
    volume = models.CharField(_("volume"), max_length=100, blank=True)
    responsible_agency = models.ForeignKey("agencies.Agency", verbose_name=_("responsible agency"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")
    contribution = models.CharField(_("community contribution"), max_length=200, blank=True)
    level = models.CharField(_("Musrenbang level"), max_length=10, choices=Level.choices, blank=True)
    level_state = models.CharField(_("Musrenbang state"), max_length=14, choices=MusrenbangState.choices,
                                   blank=True)
    level_reason = models.TextField(_("reason"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-support_count", "-id"]
        indexes = [models.Index(fields=["process", "status", "-support_count", "-id"], name="proposal_list"),
                   models.Index(fields=["process", "-support_count", "-id"], name="proposal_rank")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProposalEvent(models.Model):
    """The public history of a proposal: every status change, with its note (shown to everyone)."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
                                 related_name="events")
    status = models.CharField(_("status"), max_length=14)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.status}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
                                 related_name="supports")
    person_key = models.CharField(_("person (digest)"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "person_key"], name="support_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.channel}"


class Ballot(models.Model):
    """One person's vote in a participatory budget, whatever the channel (web, SMS, paper)."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE,
                                related_name="ballots")
    nik_key = models.CharField(_("NIK (digest)"), max_length=80)
    phone_key = models.CharField(_("phone (digest)"), max_length=80, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    location = models.CharField(_("where recorded"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("agencies.Region", verbose_name=_("voter's region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    disability = models.BooleanField(_("person with a disability"), null=True, blank=True)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["process", "nik_key"], name="ballot_one_per_nik"),
            models.UniqueConstraint(fields=["process", "phone_key"], name="ballot_one_per_phone",
                                    condition=Q(phone_key__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} {self.channel}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, verbose_name=_("project"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="ballot_choice_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.proposal_id}"


# --- consultations on drafts --------------------------------------------------------------------------

class Draft(models.Model):
    """A draft (regulation, plan, service standard) put to consultation, in numbered sections."""

    process = models.OneToOneField(Process, verbose_name=_("process"), on_delete=models.CASCADE,
                                   related_name="draft")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    report_intro = models.TextField(_("response report: introduction"), blank=True)
    report_published_at = models.DateTimeField(_("response report published"), null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.title


class DraftSection(models.Model):
    draft = models.ForeignKey(Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"))
    response = models.TextField(_("owner's response"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draft_section_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    NEUTRAL = "neutral", _("Neither")


class CommentState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Comment(models.Model):
    draft = models.ForeignKey(Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(DraftSection, verbose_name=_("section"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="comments")  # empty: the whole draft
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    text = models.TextField(_("comment"))
    author_name = models.CharField(_("name shown"), max_length=80, blank=True)
    person_key = models.CharField(_("person (digest)"), max_length=80, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    state = models.CharField(_("state"), max_length=10, choices=CommentState.choices,
                             default=CommentState.PENDING, db_index=True)
    hide_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderated by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} {self.state}"


# --- Musrenbang -----------------------------------------------------------------------------------------

class Forum(models.Model):
    """One Musrenbang meeting at one level for one region (village, district, regency, province)."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE,
                                related_name="forums")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey("agencies.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chaired by"), max_length=120, blank=True)
    minutes = models.TextField(_("minutes (berita acara)"), blank=True)
    attendance_women = models.PositiveIntegerField(_("women attending"), default=0)
    attendance_men = models.PositiveIntegerField(_("men attending"), default=0)
    attendance_disability = models.PositiveIntegerField(_("people with disabilities attending"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Musrenbang forum")
        verbose_name_plural = _("Musrenbang forums")
        constraints = [models.UniqueConstraint(fields=["process", "level", "region"], name="forum_once")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.region_id}"


class ForumItem(models.Model):
    """A proposal on a forum's agenda and what the forum decided about it."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
                                 related_name="forum_items")
    decision = models.CharField(_("decision"), max_length=14, choices=MusrenbangState.choices,
                                default=MusrenbangState.WAITING)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("forum item")
        verbose_name_plural = _("forum items")
        ordering = ["priority", "id"]
        constraints = [models.UniqueConstraint(fields=["forum", "proposal"], name="forum_item_once")]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.proposal_id} {self.decision}"
