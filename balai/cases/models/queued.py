"""A submission accepted from a machine client and registered by the worker shortly after (ADR 0014)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedSubmission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        REGISTERED = "registered", _("Registered")
        FAILED = "failed", _("Could not be registered")

    # Handed to the client at once (REST submissions/{token}, Open311 tokens/{token}); the case gets its
    # tracking code when the worker registers it (the citizen hears it in the acknowledgement).
    token = models.CharField(_("token"), max_length=40, unique=True)
    payload = models.JSONField(_("submission"))  # Submission.to_payload(): plain fields, rows by primary key (ADR 0026)
    client = models.ForeignKey("people.ClientApplication", verbose_name=_("client application"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    errors = models.JSONField(_("errors"), default=dict, blank=True)

    class Meta:
        verbose_name = _("queued submission")
        verbose_name_plural = _("queued submissions")
        indexes = [models.Index(fields=["status", "id"], name="queued_submission_todo")]

    def __str__(self) -> str:
        return f"{self.token} · {self.status}"
