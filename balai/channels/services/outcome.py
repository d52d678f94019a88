"""What a handled message returns to the webhook (`InboundResult`), and what a command hands back to
`balai.channels.services` to be written and answered (`_Outcome`, read from a `_Context`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from balai.channels.models import Conversation, InboundMessage


@dataclass(frozen=True)
class InboundResult:
    inbound: InboundMessage
    reply: str  # the text the citizen gets (also returned to gateways that reply synchronously)
    queued: bool  # True when Balai sends `reply` itself through the outbox
    duplicate: bool = False


@dataclass
class _Outcome:
    outcome: str
    reply: str
    detail: str = ""
    case: Any = None
    message: Any = None  # an outbox row already written by the engine for this reply
    language: str = "id"
    followup: str = ""  # a second message (the place and publication question) after `reply`
    followup_written: bool = False  # `followup` is already in the outbox (written with the receipt)
    question: Conversation | None = None  # what Balai now asks the sender (`_question`), written by `_finish`


@dataclass(frozen=True)
class _Context:
    channel: str
    phone: str
    text: str  # the message as received
    now: datetime
