"""Outbox reads the faces call instead of querying (ADR 0030)."""

from __future__ import annotations

import pytest

from balai.cases.selectors import latest_case_message
from balai.notify.models import DevMessage, Message
from balai.notify.selectors import recent_dev_messages
from tests.cases.conftest import submit, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _message(case, event: str) -> Message:
    return Message.objects.create(about=case, reference=case.tracking_code, event=event, channel="sms", recipient="+6281200000001", body=event)


def test_latest_case_message_of_an_event(world, submit):  # noqa: F811
    case, other = submit(), submit()
    _message(case, "reply_received")
    newest = _message(case, "reply_received")
    _message(other, "reply_received")
    assert latest_case_message(case, event="reply_received") == newest
    assert latest_case_message(case, event="received").event == "received"  # the engine's own receipt
    assert latest_case_message(case, event="closed") is None


def test_recent_dev_messages_newest_first():
    rows = [DevMessage.objects.create(direction=DevMessage.Direction.INBOUND, channel="sms", address="+62812",
                                      body=f"pesan {i}") for i in range(3)]
    assert recent_dev_messages() == rows[::-1]
    assert recent_dev_messages(limit=2) == rows[:0:-1]
