"""The outbox (ADR 0008): every message to a citizen is a row written in the transaction of its cause.

Delivery happens later in the worker (`balai.notify.outbox.deliver`); the row records what the citizen
was sent (the body is rendered at queue time) and how delivery went.
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED_TEMPORARY = "failed_temporary", _("Failed (will retry)")
    FAILED_PERMANENT = "failed_permanent", _("Failed permanently")
    SUPPRESSED = "suppressed", _("Not sent (recipient keeps failing)")


class MessageEvent(models.TextChoices):
    RECEIVED = "received", _("Case received")
    VERIFIED = "verified", _("Case verified")
    QUESTION = "question", _("Question from staff")
    ANSWERED = "answered", _("Case answered")
    EXTENDED = "extended", _("Deadline extended")
    CLOSED = "closed", _("Case closed")
    REJECTED = "rejected", _("Case rejected")
    RATING_REQUEST = "rating_request", _("Rating request")
    ESCALATED = "escalated", _("Case escalated")
    REPLY_RECEIVED = "reply_received", _("Citizen's reply received")
    DISPOSED = "disposed", _("Case forwarded")
    CLOSING_SOON = "closing_soon", _("Automatic closure soon")
    AUTO_CLOSED = "auto_closed", _("Closed automatically")
    OTP = "otp", _("One-time code")
    STAFF_DIGEST = "staff_digest", _("Daily digest for staff")
    PPID_NOTICE = "ppid_notice", _("Urgent public notice (serta merta)")
    PPID_SUBSCRIBE = "ppid_subscribe", _("Confirm a subscription to urgent public notices")
    PPID_WARNING = "ppid_warning", _("PPID reminder (out-of-date item, exemption ending)")


class Message(models.Model):
    """One message to one recipient through one channel, about some subject (a case, …) or none (ADR 0027).

    The outbox knows nothing of what the subject is: the app that owns it sets `about` (a generic
    reference: content type and primary key) and `reference`, the public code a reply quotes (an e-mail's
    reply address carries it, ADR 0018). Deleting the subject deletes its messages when the subject's model
    declares a `GenericRelation` to `Message` (the case does).
    """

    subject_type = models.ForeignKey(ContentType, verbose_name=_("subject type"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    about = GenericForeignKey("subject_type", "subject_id")
    reference = models.CharField(_("reference"), max_length=40, blank=True,
                                 help_text=_("The public code of what the message is about, quoted by replies."))
    event = models.CharField(_("event"), max_length=24, choices=MessageEvent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254, help_text=_("E.164 phone number or e-mail."))
    language = models.CharField(_("language"), max_length=2, default="id")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    template_version = models.CharField(_("template version"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED)  # message_due starts with it
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    gateway_message_id = models.CharField(_("gateway message id"), max_length=120, blank=True)
    # Sent to the gateway as the client reference: a resend after a crash is deduplicated by the gateway.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-id"]
        # Plain b-tree for the gateway's id (receipts look it up exactly; no LIKE index needed).
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due"),
                   models.Index(fields=["gateway_message_id"], name="message_gateway_id"),
                   models.Index(fields=["subject_type", "subject_id"], name="message_subject")]

    def __str__(self) -> str:
        # No recipient: admin titles, breadcrumbs and links print this next to the subject (an anonymous
        # citizen's number must not appear there, balai.cases.admin_identity).
        return f"#{self.pk} {self.channel} · {self.event} · {self.status}"


class MessageTemplate(models.Model):
    """An administrator's override of a shipped default text (`balai.notify.defaults`).

    Placeholders in braces: {code}, {status}, {due_date}, {agency}, {service}, {title}, {link},
    {answer_excerpt}, {otp}, {reason}.
    """

    event = models.CharField(_("event"), max_length=24, choices=MessageEvent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    language = models.CharField(_("language"), max_length=2, choices=[("id", _("Bahasa Indonesia")),
                                                                       ("en", _("English"))])
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("E-mail only."))
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("When off, the shipped default text is used."))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["event", "channel", "language"]
        constraints = [models.UniqueConstraint(fields=["event", "channel", "language"],
                                               name="message_template_unique")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()} · {self.language}"


class RecipientHealth(models.Model):
    """Whether messages to an address keep failing, so staff can see it and we stop paying for them."""

    recipient = models.CharField(_("recipient"), max_length=254, unique=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    contact_failing = models.BooleanField(_("keeps failing"), default=False, db_index=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient health")
        verbose_name_plural = _("recipient health")

    def __str__(self) -> str:
        return self.recipient


class DevMessage(models.Model):
    """The development gateway's mailbox (shown at /dev/pesan/ in demo mode; never used in production)."""

    class Direction(models.TextChoices):
        OUTBOUND = "out", _("To the citizen")
        INBOUND = "in", _("From the citizen")

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices,
                                 default=Direction.OUTBOUND)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    address = models.CharField(_("phone or e-mail"), max_length=254, db_index=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    message = models.ForeignKey(Message, verbose_name=_("outbox message"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # The client reference: like a real provider, the development gateway accepts each one once.
    client_reference = models.CharField(_("client reference"), max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("development message")
        verbose_name_plural = _("development messages")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.channel} {self.address}"
