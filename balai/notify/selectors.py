"""Reads for staff screens and other apps."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from balai.notify.models import DevMessage, Message, RecipientHealth


def recipient_is_failing(recipient: str) -> bool:
    """True when messages to this phone number / e-mail keep failing (shown to staff next to the contact)."""
    if not recipient:
        return False
    return RecipientHealth.objects.filter(recipient=recipient, contact_failing=True).exists()


def failing_recipients() -> QuerySet[RecipientHealth]:
    return RecipientHealth.objects.filter(contact_failing=True).order_by("-last_failure_at")


def messages_about(about: Model) -> QuerySet[Message]:
    """Every message sent (or tried) about `about` (a case, …), oldest first."""
    return Message.objects.filter(subject_type=ContentType.objects.get_for_model(about),
                                  subject_id=about.pk).order_by("id")


def latest_message_about(about: Model, *, event: str) -> Message | None:
    """The newest message of `event` written about `about`, or None."""
    return messages_about(about).filter(event=event).order_by("-id").first()


def recent_dev_messages(*, limit: int = 100) -> list[DevMessage]:
    """What the development gateway "sent" and received, newest first (the /dev/pesan/ page)."""
    return list(DevMessage.objects.select_related("message").order_by("-id")[:limit])
