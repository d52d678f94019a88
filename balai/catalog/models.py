"""The service catalog: services with their published standard and form definition, complaint categories."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.catalog.choices import Accommodation, Channel
from balai.catalog.validation import validate_service_fields
from balai.i18n import localized

__all__ = [  # the choices live in `balai.catalog.choices` (read by the validation this module calls)
    "Accommodation", "Channel", "ComplaintCategory", "ComplaintRoute", "LifeEvent", "Service", "ServiceCategory",
]


class ServiceCategory(models.Model):
    """A public-service sector (SPBE sectors: health, education, business, …)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")


class LifeEvent(models.Model):
    """A moment in life that needs several services ("having a baby", "starting a business")."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["order", "name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")


class Service(models.Model):
    """A public service with its Standar Pelayanan (UU 25/2009 art. 21; PermenPANRB 15/2014).

    `standard` holds the 14 components keyed as in `balai.catalog.standard.COMPONENTS`, each a
    {"id": ..., "en": ...} text; `form_definition` the typed fields of its application form
    (validated by `balai.catalog.form_definition.validate_form_definition`).
    """

    class Kind(models.TextChoices):
        SERVICE = "service", _("Public service")
        ICT = "ict", _("ICT service for agencies")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="services")
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="services")
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_id = models.CharField(_("summary (Indonesian)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_id = models.TextField(_("plain-language description (Indonesian)"), blank=True)
    description_en = models.TextField(_("plain-language description (English)"), blank=True)
    standard = models.JSONField(_("service standard (14 components)"), default=dict, blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True,
                                    help_text=_('A list of {"id": "...", "en": "..."} items.'))
    fee = models.DecimalField(_("fee (Rp)"), max_digits=14, decimal_places=0, default=0)
    fee_note_id = models.CharField(_("fee note (Indonesian)"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("fee note (English)"), max_length=300, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=5)
    channels = models.JSONField(_("channels offered"), default=list, blank=True)
    accommodations = models.JSONField(_("accommodations offered"), default=list, blank=True)
    categories = models.ManyToManyField(ServiceCategory, verbose_name=_("categories"), blank=True,
                                        related_name="services")
    life_events = models.ManyToManyField(LifeEvent, verbose_name=_("life events"), blank=True,
                                         related_name="services")
    form_definition = models.JSONField(_("form definition"), default=list, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    popularity = models.PositiveIntegerField(_("applications so far"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_free(self) -> bool:
        return self.fee == 0

    def clean(self) -> None:
        errors = validate_service_fields(self)
        if not errors.get("unit") and self.agency_id and self.is_published:
            from balai.cases.actors import check_route
            from balai.cases.models import CaseKind

            kind = CaseKind.ICT_REQUEST if self.kind == self.Kind.ICT else CaseKind.SERVICE_REQUEST
            try:
                check_route(kind=kind, agency=self.agency, unit=self.unit)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class ComplaintCategory(models.Model):
    """A complaint/aspiration category (as in SP4N-LAPOR!) routed to a responsible agency."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    keyword = models.SlugField(_("SMS keyword"), max_length=20, unique=True,
                               help_text=_("Short word citizens type in an SMS, e.g. JALAN."))
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("responsible agency"),
                               on_delete=models.PROTECT, related_name="complaint_categories")
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="complaint_categories")
    completion_working_days = models.PositiveSmallIntegerField(
        _("completion target (working days)"), default=60,
        help_text=_("Configurable: the statutory 60-day limit is unverified (docs/regulations.md §4)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["order", "name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        """The unit must be the agency's, and someone there must be able to take every step of a complaint
        (`balai.cases.actors`)."""
        _check_complaint_route(self, active=self.is_active)


def _check_complaint_route(obj: ComplaintCategory | ComplaintRoute, *, active: bool = True) -> None:
    from django.core.exceptions import ValidationError

    if obj.unit is not None and obj.agency_id and obj.unit.agency_id != obj.agency_id:
        raise ValidationError({"unit": _("The unit must belong to the responsible agency.")})
    if not active or not obj.agency_id:
        return
    from balai.cases.actors import check_route
    from balai.cases.models import CaseKind

    check_route(kind=CaseKind.COMPLAINT, agency=obj.agency, unit=obj.unit)


class ComplaintRoute(models.Model):
    """Overrides a category's responsible agency for complaints from one region (e.g. a regency's UPTD)."""

    category = models.ForeignKey(ComplaintCategory, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="routes")
    region = models.ForeignKey("agencies.Region", verbose_name=_("region"), on_delete=models.CASCADE)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT)
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("complaint route")
        verbose_name_plural = _("complaint routes")
        constraints = [models.UniqueConstraint(fields=["category", "region"], name="complaint_route_unique")]

    def __str__(self) -> str:
        return f"{self.category} · {self.region} → {self.agency}"

    def clean(self) -> None:
        _check_complaint_route(self)


class ExternalService(models.Model):
    """A service citizens look for here that another government provides (KTP-el by the regency's or city's
    Disdukcapil, SIM by the police, passports by Imigrasi): the catalog says who provides it and links there,
    so a search for "KTP" answers instead of listing unrelated services."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    provider_id = models.CharField(_("who provides it (Indonesian)"), max_length=200)
    provider_en = models.CharField(_("who provides it (English)"), max_length=200, blank=True)
    summary_id = models.CharField(_("summary (Indonesian)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    url = models.URLField(_("where to apply"), max_length=300)
    keywords = models.CharField(_("search words"), max_length=300, blank=True,
                                help_text=_("Words people type, separated by spaces, e.g. ktp ktp-el e-ktp."))
    is_published = models.BooleanField(_("published"), default=True)
    # When the providing government runs Balai (or another Open311 GeoReport v2 server), citizens send their
    # request from here and Balai forwards it there (ADR 0045); otherwise the entry only links to `url`.
    open311_url = models.URLField(_("Open311 endpoint of the provider"), max_length=300, blank=True,
                                  help_text=_("The endpoint's root, e.g. https://…/open311/v2/. Empty: link only."))
    open311_service_code = models.CharField(_("service code there"), max_length=100, blank=True)
    open311_api_key = models.CharField(_("API key there"), max_length=200, blank=True)
    open311_jurisdiction_id = models.CharField(_("jurisdiction ID there"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("service of another government")
        verbose_name_plural = _("services of other governments")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def provider(self) -> str:
        return localized(self, "provider")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def forwards_by_open311(self) -> bool:
        return bool(self.open311_url and self.open311_service_code)

    def clean(self) -> None:
        if bool(self.open311_url) != bool(self.open311_service_code):
            raise ValidationError({"open311_service_code": _(
                "Give both the provider's Open311 endpoint and the service code there, or neither.")})


class ExternalRequest(models.Model):
    """A citizen's request for a service of another government, forwarded there by Open311 (ADR 0045).

    An outbox row: written when the citizen sends the form, sent by the background job
    (`balai.api.open311.tasks.forward_external_requests`) with retries, then polled for the remote status.
    What the citizen typed is kept only until the provider has it: once sent, or given up, it is erased."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent to the provider")
        FAILED = "failed", _("Could not be sent")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    service = models.ForeignKey(ExternalService, verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="requests")
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    remote_id = models.CharField(_("tracking code there"), max_length=100, blank=True)
    remote_token = models.CharField(_("remote token"), max_length=100, blank=True)
    remote_status = models.CharField(_("status there"), max_length=20, blank=True)
    remote_status_notes = models.CharField(_("notes there"), max_length=500, blank=True)
    remote_updated = models.CharField(_("updated there"), max_length=40, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    is_final = models.BooleanField(_("closed there"), default=False)

    class Meta:
        verbose_name = _("request forwarded to another government")
        verbose_name_plural = _("requests forwarded to other governments")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="external_request_due")]

    def __str__(self) -> str:
        return self.reference
