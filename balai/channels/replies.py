"""Replies to a citizen's inbound message, written to the notify outbox in the current transaction.

The outbox's `queue_direct_message` renders the fixed event templates (receipt, one-time code…); a
keyword reply is free text composed here (`balai.channels.texts`), so it is written as an outbox row of
event "keyword_reply" and handed to the same delivery task after commit. It is never suppressed for a
failing recipient: the citizen has just written to us from that address, and is waiting for the answer.
"""

from __future__ import annotations

import logging

from django.db import transaction

from balai.notify.models import Message, MessageStatus

logger = logging.getLogger(__name__)

REPLY_EVENT = "keyword_reply"


def queue_reply(*, channel: str, recipient: str, language: str, body: str, subject: str = "",
                case=None) -> Message:
    """One reply to `recipient`; delivered by the notify worker (and retried by its sweep)."""
    if not recipient:
        raise ValueError("recipient is required")
    message = Message.objects.create(
        case=case, event=REPLY_EVENT, channel=channel, recipient=recipient,
        language=language if language in ("id", "en") else "id", subject=subject[:200], body=body,
        template_version="channels", status=MessageStatus.QUEUED,
    )

    def enqueue() -> None:
        from balai.notify.tasks import deliver_message

        try:
            deliver_message.enqueue(message.pk)
        except Exception:  # the periodic outbox sweep delivers it anyway
            logger.exception("could not enqueue delivery of reply %s", message.pk)

    transaction.on_commit(enqueue)
    return message
