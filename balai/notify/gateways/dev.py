"""The development gateway: keeps messages in `DevMessage` (shown at /dev/pesan/), never leaves the machine."""

from __future__ import annotations

from balai.notify.gateways.base import GatewayResult
from balai.notify.models import DevMessage, Message


class DevGateway:
    def send(self, message: Message) -> GatewayResult:
        # Deduplicated on the client reference, like a real provider: a resend after a crash is a no-op.
        dev, _created = DevMessage.objects.get_or_create(
            client_reference=str(message.idempotency_key),
            defaults={"direction": DevMessage.Direction.OUTBOUND, "channel": message.channel,
                      "address": message.recipient, "subject": message.subject, "body": message.body,
                      "message_id": message.pk},
        )
        return GatewayResult(accepted=True, gateway_message_id=f"dev-{dev.pk}", delivered=True)


def simulate_inbound(*, channel: str, address: str, body: str, subject: str = "") -> DevMessage:
    """Record a citizen's simulated reply (the channels helper feeds it to the inbound handler)."""
    return DevMessage.objects.create(direction=DevMessage.Direction.INBOUND, channel=channel, address=address,
                                     body=body, subject=subject)
