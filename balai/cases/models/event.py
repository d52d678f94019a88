"""Timeline events: every change and message on a case, public or internal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        TRANSITION = "transition", _("Status change")
        NOTE = "note", _("Internal note")
        CITIZEN_REPLY = "citizen_reply", _("Reply from the citizen")
        ATTACHMENT = "attachment", _("Attachment")
        ASSIGNMENT = "assignment", _("Assignment")
        DEADLINE = "deadline", _("Deadline")
        ESCALATION = "escalation", _("Escalation")
        RATING = "rating", _("Rating")
        FORWARDING = "forwarding", _("Forwarding")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=32, blank=True)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("actor label"), max_length=120, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.action}"
