"""Public information (PPID): the register of public information (DIP), consequence tests, the public
archive of answered requests, objections and disputes, annual reports (docs/regulations.md §3 and §11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PERIODIC = "berkala", _("Periodic (berkala)")
    IMMEDIATE = "serta_merta", _("Immediate (serta merta)")
    ON_REQUEST = "setiap_saat", _("Available at any time (setiap saat)")
    EXEMPT = "dikecualikan", _("Exempt (dikecualikan)")


class ItemFormat(models.TextChoices):
    SOFT = "soft", _("Soft copy")
    HARD = "hard", _("Hard copy")
    BOTH = "both", _("Soft and hard copy")


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved (published)")
    RETURNED = "returned", _("Returned to the proposer")


class InformationItem(models.Model):
    """One line of the Daftar Informasi Publik (Perki 1/2010 appendix II; docs/regulations.md §11)."""

    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="information_items")
    number = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("information"), max_length=250)
    summary = models.TextField(_("summary of content"))
    holder = models.CharField(_("official or unit that holds it"), max_length=200)
    responsible = models.CharField(_("person responsible"), max_length=200)
    made_when = models.DateField(_("when it was made"))
    made_where = models.CharField(_("where it was made"), max_length=200)
    format = models.CharField(_("form/format"), max_length=8, choices=ItemFormat.choices, default=ItemFormat.SOFT)
    retention = models.CharField(_("retention period"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    document_url = models.URLField(_("document"), blank=True)
    where_to_get = models.CharField(_("where to get it"), max_length=250, blank=True)
    # Serta merta announcements (UU 14/2008 art. 10): the notice in plain text, on the home page until.
    announcement = models.TextField(_("announcement (plain text)"), blank=True)
    on_home_until = models.DateTimeField(_("on the home page until"), null=True, blank=True)
    broadcast_at = models.DateTimeField(_("sent to subscribers"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PROPOSED)
    review_note = models.TextField(_("note of the main PPID"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    content_updated_at = models.DateTimeField(_("last update"))
    stale_warned_at = models.DateTimeField(_("owner warned (out of date)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("register item")
        verbose_name_plural = _("register items")
        ordering = ["agency_id", "number"]
        indexes = [
            models.Index(fields=["status", "category", "year"], name="ppid_item_public"),
            models.Index(fields=["agency", "status"], name="ppid_item_agency"),
            models.Index(fields=["status", "-content_updated_at", "-id"], name="ppid_item_recent"),
            models.Index(fields=["category", "content_updated_at"], name="ppid_item_stale",
                         condition=models.Q(status="approved", category="berkala")),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        return (self.government_id, self.agency_id, None)


class ExemptionDecision(models.TextChoices):
    FULL = "full", _("Exempt in full")
    PARTIAL = "partial", _("Exempt in part (the rest released with the parts blacked out)")
    OPEN = "open", _("Not exempt: open")


class ConsequenceTest(models.Model):
    """Uji konsekuensi (Perki 1/2021 art. 49): why information is exempt, and until when."""

    class Occasion(models.TextChoices):
        BEFORE = "before", _("Before any request")
        REQUEST = "request", _("At a request")
        COMMISSION = "commission", _("Ordered by the Information Commission")

    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="consequence_tests")
    item = models.ForeignKey(InformationItem, verbose_name=_("register item"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="consequence_tests")
    number = models.CharField(_("decree number"), max_length=60, unique=True)
    occasion = models.CharField(_("made"), max_length=10, choices=Occasion.choices, default=Occasion.BEFORE)
    document = models.CharField(_("document"), max_length=250)
    excluded_part = models.TextField(_("what is excluded"))
    exemption = models.CharField(_("exemption ground"), max_length=4)  # a key of cases.workflows.EXEMPTIONS
    law = models.CharField(_("exempting law and article"), max_length=250)
    harm = models.TextField(_("harm that opening would cause"))
    public_interest = models.TextField(_("public-interest test"))
    decision = models.CharField(_("decision"), max_length=8, choices=ExemptionDecision.choices)
    decided_at = models.DateField(_("decided on"))
    exempt_until = models.DateField(_("exempt until"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    review_warned_at = models.DateTimeField(_("owner warned before the end"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consequence test")
        verbose_name_plural = _("consequence tests")
        ordering = ["-decided_at", "number"]
        indexes = [models.Index(fields=["exempt_until"], name="ppid_test_open",
                                condition=models.Q(opened_at__isnull=True))]

    def __str__(self) -> str:
        return self.number

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        return (self.government_id, self.agency_id, None)


class StaffWarning(models.Model):
    """A reminder for an item's owner (stale periodic item, exemption ending), shown in the office."""

    class Kind(models.TextChoices):
        STALE = "stale", _("Periodic information older than six months")
        REVIEW = "review", _("Exemption ends within 30 working days")
        OPENED = "opened", _("Exemption ended: the information was opened")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                               related_name="+")
    item = models.ForeignKey(InformationItem, verbose_name=_("register item"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="warnings")
    test = models.ForeignKey(ConsequenceTest, verbose_name=_("consequence test"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="warnings")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("for"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    done_at = models.DateTimeField(_("dealt with"), null=True, blank=True)
    emails = models.PositiveSmallIntegerField(_("e-mails sent"), default=0)

    class Meta:
        verbose_name = _("PPID warning")
        verbose_name_plural = _("PPID warnings")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.agency_id} · {self.at:%Y-%m-%d}"


# --- the public archive of answered requests ---------------------------------------------------------------

class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted in full")
    PARTIAL = "partial", _("Granted in part")
    REFUSED = "refused", _("Refused")


class ArchiveEntry(models.Model):
    """An answered information request as the public archive shows it: never who asked (docs/regulations.md
    §3, §5). Drafted from the case when it is answered; published once the PPID confirms the text and the
    documents released."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for the PPID's confirmation")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="ppid_archive")
    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="+")
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    exemption = models.CharField(_("exemption ground"), max_length=4, blank=True)
    submitted_at = models.DateTimeField(_("asked"))
    answered_at = models.DateTimeField(_("answered"))
    working_days = models.PositiveSmallIntegerField(_("working days taken"), null=True, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("legal time (working days)"))
    on_time = models.BooleanField(_("answered in time"))
    online = models.BooleanField(_("asked online"))
    objection = models.TextField(_("objection and its outcome"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("archived request")
        verbose_name_plural = _("archived requests")
        ordering = ["-answered_at"]
        indexes = [
            models.Index(fields=["status", "-answered_at", "-id"], name="ppid_archive_public"),
            models.Index(fields=["agency", "status", "answered_at"], name="ppid_archive_agency"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.agency_id}"

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        return (self.government_id, self.agency_id, None)


class ArchiveDocument(models.Model):
    """A document released with an answer, shown in the archive once the PPID confirmed it is public."""

    entry = models.ForeignKey(ArchiveEntry, verbose_name=_("archived request"), on_delete=models.CASCADE,
                              related_name="documents")
    attachment = models.ForeignKey("cases.Attachment", verbose_name=_("attachment"), on_delete=models.CASCADE,
                                   related_name="+")
    title = models.CharField(_("title"), max_length=200)
    # Partial exemption (a consequence test excludes parts): the regions the PPID blacked out, one
    # {"page": n, "x0", "y0", "x1", "y1"} per rectangle in fractions of the page (0..1, from the top left),
    # and the published copy made from them with the content under each region removed
    # (balai.ppid.redaction). With regions, only that copy is ever served; the original stays internal.
    regions = models.JSONField(_("blacked-out regions"), default=list, blank=True)
    redacted_name = models.CharField(_("published copy (blacked out)"), max_length=255, blank=True)
    redacted_at = models.DateTimeField(_("blacked out"), null=True, blank=True)

    class Meta:
        verbose_name = _("released document")
        verbose_name_plural = _("released documents")
        constraints = [models.UniqueConstraint(fields=["entry", "attachment"], name="ppid_archive_doc_unique")]

    def __str__(self) -> str:
        return self.title


# --- objections and disputes -------------------------------------------------------------------------------

class Objection(models.Model):
    """The register of objections (keberatan), with the fields the law sets (docs/regulations.md §11)."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Objection upheld: the information is given")
        PARTIAL = "partial", _("Objection upheld in part")
        REJECTED = "rejected", _("Objection rejected: the PPID's decision stands")

    case = models.ForeignKey("cases.Case", verbose_name=_("information request"), on_delete=models.CASCADE,
                             related_name="ppid_objections")
    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="+")
    number = models.CharField(_("registration number"), max_length=40, unique=True)
    registered_at = models.DateTimeField(_("registered"))
    objector = models.CharField(_("objector"), max_length=150)  # internal register only, never public
    information = models.TextField(_("information asked for"))
    purpose = models.TextField(_("purpose"), blank=True)
    grounds = models.JSONField(_("grounds (UU 14/2008 art. 35(1))"), default=list)
    reason = models.TextField(_("objection"), blank=True)
    oral = models.BooleanField(_("made orally"), default=False)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written down by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("superior's answer due"))
    decision = models.CharField(_("superior's decision"), max_length=8, choices=Decision.choices, blank=True)
    decision_text = models.TextField(_("reasons"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by_name = models.CharField(_("answered by (name)"), max_length=150, blank=True)
    answered_by_position = models.CharField(_("answered by (position)"), max_length=150, blank=True)
    reaction = models.TextField(_("requester's reaction"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return self.number

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        return (self.government_id, self.agency_id, None)


class Dispute(models.Model):
    """A dispute before the Komisi Informasi after an objection (UU 14/2008 art. 37–38)."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Registered with the Commission")
        MEDIATION = "mediation", _("Mediation")
        ADJUDICATION = "adjudication", _("Adjudication")
        DECIDED = "decided", _("Decided")

    objection = models.OneToOneField(Objection, verbose_name=_("objection"), on_delete=models.CASCADE,
                                     related_name="dispute")
    window_until = models.DateTimeField(_("may be filed until"))
    registered_at = models.DateField(_("registered with the Commission"))
    commission_number = models.CharField(_("Commission's register number"), max_length=60)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REGISTERED)
    mediation_result = models.TextField(_("mediation result"), blank=True)
    adjudication_outcome = models.TextField(_("adjudication outcome"), blank=True)
    decided_at = models.DateField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return self.commission_number


# --- the annual report -------------------------------------------------------------------------------------

class AnnualReport(models.Model):
    """Perki 1/2021 art. 56: a draft the main PPID annotates, then publishes (docs/regulations.md §11)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    policy = models.TextField(_("policy"), blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    figures = models.JSONField(_("figures at publication"), default=dict, blank=True)
    annotated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("annotated by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="ppid_report_unique")]

    def __str__(self) -> str:
        return f"{self.government_id} · {self.year}"

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        return (self.government_id, None, None)


class NoticeSubscriber(models.Model):
    """Someone who asked to receive the PPID's serta-merta notices (by SMS, WhatsApp or e-mail). Added by
    staff or the admin on the person's request, or by the person on `/informasi/langganan/` (e-mail, confirmed
    by a link); the outbox delivers (ADR 0008). Nothing but the address and the language is kept."""

    channel = models.CharField(_("channel"), max_length=10, choices=[("sms", "SMS"), ("whatsapp", "WhatsApp"),
                                                                    ("email", _("E-mail"))])
    recipient = models.CharField(_("phone number or e-mail"), max_length=254)
    language = models.CharField(_("language"), max_length=2, default="id")
    is_active = models.BooleanField(_("active"), default=True)
    # Someone who subscribed on the site (e-mail only) is inactive until they follow the link sent to the
    # address (double opt-in); an unconfirmed address is deleted after a week, an unsubscribed one at once.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice subscriber")
        verbose_name_plural = _("notice subscribers")
        constraints = [models.UniqueConstraint(fields=["channel", "recipient"], name="ppid_subscriber_unique")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"
