"""Diskominfo's own records: the government's application registry and the status probes of its
applications (docs/regulations.md §8 and §13). ICT service-desk tickets are ordinary cases
(`balai.cases`, kind "ict_request"); what only the desk needs lives in `Case.extra["ict"]`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """One government application (the regional application inventory, docs/regulations.md §13)."""

    class Type(models.TextChoices):
        GENERAL = "umum", _("General application (aplikasi umum)")
        SPECIAL = "khusus", _("Special application (aplikasi khusus)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DEVELOPMENT = "development", _("In development")
        LIVE = "live", _("Live")
        RETIRED = "retired", _("Retired")

    class Hosting(models.TextChoices):
        DATA_CENTRE = "pusat_data", _("Provincial data centre")
        NATIONAL = "pdn", _("National data centre (PDN)")
        CLOUD = "cloud", _("Commercial cloud")
        AGENCY = "agency", _("Agency's own server room")
        VENDOR = "vendor", _("Vendor-hosted (SaaS)")

    class Classification(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")
        LIMITED = "limited", _("Limited")
        SECRET = "secret", _("Secret")

    class Users(models.TextChoices):
        PUBLIC = "public", _("The public")
        STAFF = "staff", _("Government staff")
        BOTH = "both", _("The public and government staff")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("owner agency"), on_delete=models.PROTECT,
                               related_name="applications")
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("owner unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="applications")
    purpose = models.TextField(_("purpose"))
    spbe_code = models.CharField(_("business process (SPBE reference-architecture code)"), max_length=32,
                                 db_index=True, help_text=_("For example RAB.03.02."))
    app_type = models.CharField(_("type"), max_length=8, choices=Type.choices, default=Type.SPECIAL)
    url = models.URLField(_("address (URL)"), blank=True)
    hosting = models.CharField(_("hosting"), max_length=12, choices=Hosting.choices, default=Hosting.DATA_CENTRE)
    technology = models.CharField(_("technology"), max_length=200, blank=True)
    personal_data = models.BooleanField(_("holds personal data"), default=False)
    classification = models.CharField(_("data classification"), max_length=10, choices=Classification.choices,
                                      default=Classification.INTERNAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    users = models.CharField(_("users"), max_length=8, choices=Users.choices, default=Users.STAFF)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    budget_line = models.CharField(_("budget line"), max_length=120, blank=True)
    last_security_test = models.DateField(_("last security test"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    approval_reference = models.CharField(_("approval for a new application"), max_length=120, blank=True,
                                          help_text=_("Number of the ministry's approval letter."))
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    domain_expires_on = models.DateField(_("domain registration expires"), null=True, blank=True,
                                         help_text=_("From the registrar; warned about 30 days ahead."))
    probe_keyword = models.CharField(_("keyword the page must contain"), max_length=80, blank=True)
    proposed_in = models.ForeignKey("cases.Case", verbose_name=_("proposed in ICT request"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.users in (self.Users.PUBLIC, self.Users.BOTH)


class ProbeResult(models.Model):
    """One check of an application's address by the status job."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="probes")
    checked_at = models.DateTimeField(_("checked at"))
    is_up = models.BooleanField(_("up"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    cert_expires_at = models.DateTimeField(_("certificate expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("probe result")
        verbose_name_plural = _("probe results")
        indexes = [models.Index(fields=["application", "-checked_at"], name="probe_app_latest")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.checked_at:%Y-%m-%d %H:%M} {'up' if self.is_up else 'down'}"


class DailyUptime(models.Model):
    """Roll-up of one application's probes on one (WITA) day: what the status page and /data/ read."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="uptime_days")
    day = models.DateField(_("day"))
    checks = models.PositiveIntegerField(_("checks"), default=0)
    up = models.PositiveIntegerField(_("checks up"), default=0)
    total_ms = models.BigIntegerField(_("sum of response times (ms)"), default=0)

    class Meta:
        verbose_name = _("daily uptime")
        verbose_name_plural = _("daily uptime")
        constraints = [models.UniqueConstraint(fields=["application", "day"], name="uptime_app_day")]
        indexes = [models.Index(fields=["day"], name="uptime_day")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.day} {self.up}/{self.checks}"


class StatusNotice(models.Model):
    """An incident or a planned maintenance shown on the status page, with its updates."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        MAINTENANCE = "maintenance", _("Planned maintenance")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    applications = models.ManyToManyField(Application, verbose_name=_("applications"), blank=True,
                                          related_name="notices")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("desk ticket"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("status notice")
        verbose_name_plural = _("status notices")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class StatusUpdate(models.Model):
    notice = models.ForeignKey(StatusNotice, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("at"))
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.at:%Y-%m-%d %H:%M}"


class ServiceProfile(models.Model):
    """What the ICT desk needs to know about one ICT service of the catalog (data, not code)."""

    class Ticket(models.TextChoices):
        REQUEST = "request", _("Service request")
        INCIDENT = "incident", _("Incident")
        SECURITY = "security", _("Security incident")
        APPLICATION = "application", _("New application (development or integration)")

    service = models.OneToOneField("catalog.Service", verbose_name=_("service"), on_delete=models.CASCADE,
                                   related_name="ict_profile")
    ticket = models.CharField(_("ticket type"), max_length=12, choices=Ticket.choices, default=Ticket.REQUEST)
    needs_agency_head_approval = models.BooleanField(
        _("needs the approval of the requesting agency's head"), default=False)
    public = models.BooleanField(_("also offered to the public on the portal"), default=False)

    class Meta:
        verbose_name = _("ICT service profile")
        verbose_name_plural = _("ICT service profiles")

    def __str__(self) -> str:
        return f"{self.service} · {self.get_ticket_display()}"
