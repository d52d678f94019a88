"""The one Case model behind every kind of request (ADR: single case table with per-kind workflows).

The `status` field is written only by `balai.cases.services.case_transition` (and the initial value by
`case_submit`); a test enforces it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.catalog.models import Channel
from balai.people.models import ContactChannel, Language


class CaseKind(models.TextChoices):
    SERVICE_REQUEST = "service_request", _("Service request")
    COMPLAINT = "complaint", _("Complaint")
    ASPIRATION = "aspiration", _("Aspiration")
    INFORMATION_REQUEST = "information_request", _("Public information request")
    ICT_REQUEST = "ict_request", _("ICT request")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    CONFIDENTIAL = "confidential", _("Confidential")
    ANONYMOUS = "anonymous", _("Anonymous")


class ClockState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused (waiting for the citizen)")
    STOPPED = "stopped", _("Stopped")


class Case(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=CaseKind.choices)
    service = models.ForeignKey("catalog.Service", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    complaint_category = models.ForeignKey("catalog.ComplaintCategory", verbose_name=_("category"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("form answers"), default=dict, blank=True)

    # Who asked, and how to reach them. For anonymous cases only the system may read these (audited).
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("citizen account"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="cases")
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_address = models.CharField(_("address"), max_length=255, blank=True)
    contact_channel = models.CharField(_("contact channel"), max_length=10, choices=ContactChannel.choices,
                                       default=ContactChannel.SMS)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN)
    channel = models.CharField(_("channel of origin"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    client = models.ForeignKey("people.ClientApplication", verbose_name=_("client application"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="cases")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by (counter)"),
                                      null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    region = models.ForeignKey("agencies.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_text = models.CharField(_("location"), max_length=255, blank=True)

    confidentiality = models.CharField(_("confidentiality"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.PUBLIC)
    # Set once, by the "verify" transition: a public case is listed publicly only after staff verified it
    # (balai.cases.selectors.publicly_listable_cases, ADR 0016).
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    # Anonymous cases only: title and description as officers see them (identifying patterns and the
    # citizen's name masked, balai.cases.visibility), written at submission. The staff search reads this
    # instead of the raw text (balai.cases.search), so a search cannot find what the page hides.
    search_text = models.TextField(_("search text"), blank=True, default="", db_default="", editable=False)
    accommodations = models.JSONField(_("accommodation needs"), default=list, blank=True)
    accommodation_note = models.CharField(_("accommodation note"), max_length=300, blank=True)
    has_accommodations = models.BooleanField(_("has accommodation needs"), default=False, db_index=True)

    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="cases")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("responsible agency"), on_delete=models.PROTECT,
                               related_name="cases", db_index=False)  # case_agency_queue starts with it
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases", db_index=False)  # case_unit_queue
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned officer"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="assigned_cases",
                                 db_index=False)  # case_assignee_queue starts with it

    status = models.CharField(_("status"), max_length=24, editable=False)
    is_open = models.BooleanField(_("open"), default=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Deadline clock (working days, balai.worktime). `due_at` is the deadline of what is owed now.
    clock_state = models.CharField(_("clock"), max_length=12, choices=ClockState.choices,
                                   default=ClockState.NOT_STARTED, editable=False)
    target_working_days = models.PositiveSmallIntegerField(_("target (working days)"), null=True, blank=True,
                                                           editable=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    due_soon = models.BooleanField(_("due soon"), default=False, editable=False)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    paused_working_days = models.PositiveIntegerField(_("working days paused"), default=0, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0, editable=False)
    extended = models.BooleanField(_("deadline extended"), default=False, editable=False)
    elapsed_working_days = models.PositiveIntegerField(_("working days taken"), null=True, blank=True,
                                                       editable=False)
    completion_due_at = models.DateTimeField(_("completion target"), null=True, blank=True, editable=False,
                                             help_text=_("Overall target that caps every stage deadline."))
    stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True, editable=False)
    auto_close_at = models.DateTimeField(_("closes automatically at"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    extra = models.JSONField(_("extra data"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The outbox's messages about this case (ADR 0027): `case.messages`, `Message.objects.filter(case=...)`;
    # deleted with the case.
    messages = GenericRelation("notify.Message", content_type_field="subject_type", object_id_field="subject_id",
                               related_query_name="case")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        # Every case submitted writes every index: no index another one already covers by its first
        # column(s), and plain b-trees for the codes (db_index on a CharField adds a second,
        # varchar_pattern_ops index for LIKE 'x%' that no query here uses). Kind: case_public_list.
        indexes = [
            models.Index(fields=["status"], name="case_status"),
            models.Index(fields=["channel"], name="case_channel"),
            models.Index(fields=["is_open", "due_at"], name="case_open_due"),
            models.Index(fields=["unit", "is_open", "due_at"], name="case_unit_queue"),
            models.Index(fields=["agency", "is_open", "due_at"], name="case_agency_queue"),
            models.Index(fields=["assignee", "is_open", "due_at"], name="case_assignee_queue"),
            models.Index(fields=["kind", "confidentiality", "submitted_at"], name="case_public_list"),
            models.Index(fields=["auto_close_at"], name="case_auto_close",
                         condition=models.Q(auto_close_at__isnull=False)),
            models.Index(fields=["due_at"], name="case_due_soon", condition=models.Q(due_soon=True)),
            # the clocks the sweep watches: running and not yet breached
            models.Index(fields=["government", "due_at"], name="case_running_clock",
                         condition=models.Q(is_open=True, clock_state="running", breached_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.title}"

    def permission_scope(self) -> tuple[int | None, int | None, int | None]:
        """(government, agency, unit) for `balai.people.permissions.has_permission`."""
        return (self.government_id, self.agency_id, self.unit_id)
