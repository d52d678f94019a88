"""Reads of the channels' own bookkeeping, the inbound messages. ADR 0030: a face's own models are queried
only here and in `services.py`, and written only in `services.py`."""

from __future__ import annotations

from datetime import datetime

from balai.channels.models import Conversation, InboundMessage


def inbound_message(pk: int) -> InboundMessage | None:
    return InboundMessage.objects.filter(pk=pk).first()


def inbound_by_gateway_id(channel: str, gateway_message_id: str) -> InboundMessage | None:
    """The message a gateway delivered under this id on `channel`, or None."""
    return InboundMessage.objects.filter(channel=channel, gateway_message_id=gateway_message_id[:190]).first()



def conversation_for(channel: str, sender: str, *, now: datetime) -> Conversation | None:
    """The question Balai asked this sender on `channel` and still waits for, or None."""
    return (Conversation.objects.filter(channel=channel, sender=sender, expires_at__gt=now)
            .select_related("case").first())
