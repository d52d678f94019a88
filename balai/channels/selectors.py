"""Reads of the channels' own bookkeeping, the inbound messages. ADR 0030: a face's own models are queried
only here and in `services.py`, and written only in `services.py`."""

from __future__ import annotations

from balai.channels.models import InboundMessage


def inbound_message(pk: int) -> InboundMessage | None:
    return InboundMessage.objects.filter(pk=pk).first()


def inbound_by_gateway_id(channel: str, gateway_message_id: str) -> InboundMessage | None:
    """The message a gateway delivered under this id on `channel`, or None."""
    return InboundMessage.objects.filter(channel=channel, gateway_message_id=gateway_message_id[:190]).first()

