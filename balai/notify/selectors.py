"""Reads for staff screens and other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from balai.notify.models import Message, RecipientHealth


def recipient_is_failing(recipient: str) -> bool:
    """True when messages to this phone number / e-mail keep failing (shown to staff next to the contact)."""
    if not recipient:
        return False
    return RecipientHealth.objects.filter(recipient=recipient, contact_failing=True).exists()


def failing_recipients() -> QuerySet[RecipientHealth]:
    return RecipientHealth.objects.filter(contact_failing=True).order_by("-last_failure_at")


def messages_for_case(case) -> QuerySet[Message]:
    """Every message sent (or tried) for a case, oldest first."""
    return Message.objects.filter(case=case).order_by("id")
