"""The gateway interface: `send(message) -> GatewayResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from balai.notify.models import Message


@dataclass(frozen=True)
class GatewayResult:
    accepted: bool
    gateway_message_id: str = ""
    permanent_error: bool = False  # True: retrying cannot help (bad number, rejected content, bad auth)
    error: str = ""
    delivered: bool = False  # the gateway knows at once that it reached the citizen (development gateway)
    recipient_fault: bool = True  # a permanent error counts against the recipient's health


class Gateway(Protocol):
    def send(self, message: Message) -> GatewayResult: ...


class UnconfiguredGateway:
    """Used when no gateway is configured for a channel in production: fails without blaming the citizen."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Message) -> GatewayResult:
        return GatewayResult(accepted=False, permanent_error=True, recipient_fault=False,
                             error=f"no gateway configured for {self.channel}")
