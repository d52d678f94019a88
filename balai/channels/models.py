"""Inbound messages from citizens (SMS, WhatsApp, e-mail) as the gateways delivered them.

One row per gateway message id: the unique constraint is what makes a retried delivery idempotent (the
same reply, never a second case). The rows also count messages per sender for the rate limit.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class Outcome(models.TextChoices):
    FILED = "filed", _("New case filed")
    STATUS = "status", _("Status sent")
    ANSWERED = "answered", _("Answer added to the case")
    RATED = "rated", _("Rating stored")
    HELP = "help", _("Help sent")
    UNKNOWN = "unknown", _("Not understood")
    INVALID = "invalid", _("Keyword used wrongly")
    REFUSED = "refused", _("Refused")
    RATE_LIMITED = "rate_limited", _("Too many messages")
    TRIAGE = "triage", _("Unverified reply filed for staff to check")
    PENDING = "pending", _("Being processed")
    SUPPORTED = "supported", _("Proposal supported")
    PROPOSED = "proposed", _("Proposal made")
    VOTED = "voted", _("Budget vote recorded")


class InboundMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=InboundChannel.choices)
    gateway_message_id = models.CharField(_("gateway message id"), max_length=190)
    sender = models.CharField(_("sender"), max_length=254, help_text=_("E.164 phone number or e-mail."))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    command = models.CharField(_("command"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, default="id")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    detail = models.CharField(_("detail"), max_length=60, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    reply = models.TextField(_("reply"), blank=True)
    reply_message = models.ForeignKey("notify.Message", verbose_name=_("reply in the outbox"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "gateway_message_id"],
                                               name="inbound_message_once")]
        indexes = [models.Index(fields=["sender", "received_at"], name="inbound_sender_time"),
                   models.Index(fields=["received_at"], name="inbound_received")]  # retention job

    def __str__(self) -> str:
        return f"{self.channel} {self.gateway_message_id} · {self.outcome}"


class Conversation(models.Model):
    """What Balai last asked one sender on one channel and waits for (at most one question at a time).

    "menu": the numbered category list was sent (`page`); "category": a category was chosen by number and
    the report's text is awaited; "followup": a report was filed and Balai asked for the place (when the
    report named none) and whether it may be published. An answer is optional: when none comes before
    `expires_at`, the report stays as it is (not public).
    """

    class State(models.TextChoices):
        MENU = "menu", _("Category list sent")
        CATEGORY = "category", _("Waiting for the report's text")
        FOLLOWUP = "followup", _("Waiting for place and publication answer")

    channel = models.CharField(_("channel"), max_length=10, choices=InboundChannel.choices)
    sender = models.CharField(_("sender"), max_length=254)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    data = models.JSONField(_("data"), default=dict, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [models.UniqueConstraint(fields=["channel", "sender"], name="conversation_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.state}"
