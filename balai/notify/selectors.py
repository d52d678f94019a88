"""Reads for staff screens and other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from balai.notify.models import DevMessage, Message, RecipientHealth


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


def latest_case_message(case, *, event: str) -> Message | None:
    """The newest message of `event` written for `case` (e.g. the receipt the engine queued on "received"),
    or None: a channel that answers a citizen's message reuses it as its reply."""
    return messages_for_case(case).filter(event=event).order_by("-id").first()


def recent_dev_messages(*, limit: int = 100) -> list[DevMessage]:
    """What the development gateway "sent" and received, newest first (the /dev/pesan/ page)."""
    return list(DevMessage.objects.select_related("message").order_by("-id")[:limit])
