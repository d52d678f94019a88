"""Replies to a citizen's inbound message, through the one outbox (ADR 0008, ADR 0027).

The outbox renders the fixed event templates (receipt, one-time code…); a keyword reply is free text
composed here (`balai.channels.texts`), so it is written as an outbox message of event "keyword_reply" with
that text, in the current transaction, and delivered like every other message. It is never suppressed for a
failing recipient: the citizen has just written to us from that address, and is waiting for the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from balai.cases.services import case_reply, prepare_case_reply
from balai.channels.signing import channel_config

if TYPE_CHECKING:
    from balai.cases.models import Case
    from balai.notify.models import Message

REPLY_EVENT = "keyword_reply"


def reply_mode(channel: str) -> str:
    """"outbox" (default: Balai queues the reply) or "sync" (the gateway sends the HTTP body itself)."""
    return "sync" if channel_config(channel).get("reply_mode") == "sync" else "outbox"


def queue_reply(*, channel: str, recipient: str, language: str, body: str, subject: str = "",
                case: Case | None = None) -> Message:
    """One reply to `recipient`; delivered by the notify worker (and retried by its sweep)."""
    if not recipient:
        raise ValueError("recipient is required")
    return case_reply(channel=channel, recipient=recipient, language=language, body=body, subject=subject,
                      case=case)


def prepare_reply(*, channel: str, recipient: str, language: str, body: str, case: Case) -> Message:
    """`queue_reply`'s message about a case being submitted, not saved: `case_submit` writes it with the
    case's acknowledgement (one INSERT for both, one for their delivery jobs)."""
    if not recipient:
        raise ValueError("recipient is required")
    return prepare_case_reply(channel=channel, recipient=recipient, language=language, body=body, case=case)
