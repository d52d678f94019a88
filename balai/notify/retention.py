"""How long the outbox keeps what was sent to whom (UU PDP: no longer than needed).

A message row holds the recipient's phone number or address and the text. It is the record of what a
citizen was told (staff read it beside the case while the case is handled and for a while after, and
disputes about a notification come within months), so it is kept `settings.BALAI_MESSAGE_RETENTION_DAYS`
(default 365). After that the hourly job `forget_old_message_contents` blanks the recipient, subject and
text of messages whose delivery is over; the row stays (event, channel, status, times) so statistics
and the case's history still show that a message was sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from balai.notify.models import Message, MessageStatus

DEFAULT_RETENTION_DAYS = 365
FORGOTTEN = ""
_OVER = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED_PERMANENT, MessageStatus.SUPPRESSED)
BATCH = 5000


def retention_days() -> int:
    return max(30, int(getattr(settings, "BALAI_MESSAGE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def forget_old_contents(*, now: datetime | None = None) -> int:
    """Blank recipient, subject and text of finished messages created before the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    done = 0
    while True:
        ids = list(Message.objects.filter(created_at__lt=cutoff, status__in=_OVER).exclude(recipient=FORGOTTEN)
                   .order_by("created_at").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        done += Message.objects.filter(pk__in=ids).update(recipient=FORGOTTEN, subject="", body="")
