"""An SMS report is one transaction (ADR 0042, "One transaction"): the message's row written last, the
receipt and the follow-up question in the outbox together, a duplicate or a collision undoing everything,
and a gateway's cookie never turning into a session write."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import IntegrityError
from django.utils import timezone

from balai.audit.models import AuditRecord
from balai.cases.models import Case, Event
from balai.channels.models import Conversation, InboundMessage, Outcome
from balai.channels.selectors import inbound_counts_since
from balai.channels.services import handle_inbound
from balai.notify.models import Message
from tests.channels.conftest import OTHER_PHONE, PHONE, signed_post

pytestmark = pytest.mark.django_db

REPORT = json.dumps({"message_id": "gw-9", "from": "081234567890", "text": "LAPOR JALAN lubang di Jl. Juanda"})


def test_a_report_writes_the_receipt_before_the_question_and_points_at_the_receipt(place):
    result = handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR JALAN lubang")
    case = Case.objects.get()
    receipt, question = Message.objects.order_by("id")
    assert (receipt.event, question.event) == ("received", "keyword_reply")
    assert receipt.about == question.about == case and question.reference == case.tracking_code
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == Outcome.FILED and inbound.case == case and inbound.reply_message == receipt
    assert result.reply == receipt.body and result.queued is True
    assert Conversation.objects.get().case == case


def test_a_redelivery_after_the_report_changes_nothing(place):
    handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR JALAN lubang")
    counts = [m.objects.count() for m in (Case, Event, Message, AuditRecord, Conversation, InboundMessage)]
    again = handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR JALAN lubang")
    assert again.duplicate is True and again.reply == InboundMessage.objects.get().reply
    assert [m.objects.count() for m in (Case, Event, Message, AuditRecord, Conversation, InboundMessage)] == counts


def test_a_tracking_code_drawn_twice_runs_the_message_again(place, monkeypatch):
    handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR JALAN lubang satu")
    taken = Case.objects.get().tracking_code
    codes = iter([taken, "SMS-2222-3333"])
    monkeypatch.setattr("balai.cases.services._new_code", lambda: next(codes))
    result = handle_inbound(channel="sms", gateway_message_id="m-2", sender=PHONE, text="LAPOR JALAN lubang dua")
    assert result.duplicate is False and result.inbound.case.tracking_code == "SMS-2222-3333"
    assert Case.objects.count() == 2 and InboundMessage.objects.count() == 2
    assert Message.objects.count() == 4 and AuditRecord.objects.filter(action="case.submit").count() == 2


def test_collisions_that_do_not_end_are_an_error_and_keep_nothing(place, monkeypatch):
    handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR JALAN lubang satu")
    taken = Case.objects.get().tracking_code
    monkeypatch.setattr("balai.cases.services._new_code", lambda: taken)
    with pytest.raises(IntegrityError):
        handle_inbound(channel="sms", gateway_message_id="m-2", sender=PHONE, text="LAPOR JALAN lubang dua")
    assert InboundMessage.objects.count() == 1 and Case.objects.count() == 1


def test_a_webhook_never_writes_the_session_of_a_cookie_it_carries(client, place):
    store = SessionStore()
    store["kept"] = "as it was"
    store.create()
    expiry = Session.objects.get(pk=store.session_key).expire_date
    client.cookies["sessionid"] = store.session_key
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms")
    assert response.status_code == 200 and Case.objects.count() == 1
    assert Session.objects.get(pk=store.session_key).expire_date == expiry  # not saved again
    assert "sessionid" not in response.cookies


def test_a_longer_window_limits_too_and_a_large_limit_is_counted(place, settings):
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 2], [86400, 3]]
    now = timezone.now()
    for i, hours in enumerate((3, 2, 1)):
        handle_inbound(channel="sms", gateway_message_id=f"old-{i}", sender=PHONE, text="BANTUAN",
                       received_at=now - timedelta(hours=hours))
    limited = handle_inbound(channel="sms", gateway_message_id="new", sender=PHONE, text="BANTUAN", received_at=now)
    assert limited.inbound.outcome == Outcome.RATE_LIMITED and limited.inbound.detail == "86400s"
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 2], [86400, 5000]]  # a limit too large to list is counted
    assert handle_inbound(channel="sms", gateway_message_id="newer", sender=PHONE, text="BANTUAN",
                          received_at=now).inbound.outcome != Outcome.RATE_LIMITED


def test_the_row_written_last_holds_what_the_message_caused_and_reads_back_the_same(place):
    at = timezone.now().replace(microsecond=123456)
    result = handle_inbound(channel="whatsapp", gateway_message_id="m-1", sender=PHONE,
                            text="LAPOR JALAN lubang", received_at=at)
    stored = InboundMessage.objects.get()
    assert stored.pk == result.inbound.pk and not result.inbound._state.adding
    assert (stored.channel, stored.gateway_message_id, stored.sender, stored.body, stored.received_at) == (
        "whatsapp", "m-1", PHONE, "LAPOR JALAN lubang", at)
    assert (stored.command, stored.outcome, stored.language, stored.subject) == ("report", Outcome.FILED, "id", "")
    assert stored.case == Case.objects.get() and stored.reply == result.reply and stored.reply_message_id
    question = Conversation.objects.get()
    assert (question.channel, question.sender, question.state) == ("whatsapp", PHONE, Conversation.State.FOLLOWUP)
    assert question.case == stored.case and question.data == {"language": "id", "ask_place": True}
    assert question.expires_at == at + timedelta(hours=72)


def test_a_new_question_replaces_the_old_one_and_a_redelivery_brings_none_back(place):
    handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR")
    asked = Conversation.objects.get()
    assert asked.state == Conversation.State.MENU and asked.data == {"page": 1}
    handle_inbound(channel="sms", gateway_message_id="m-2", sender=PHONE, text="LAPOR JALAN lubang")
    followup = Conversation.objects.get()
    assert followup.pk == asked.pk and followup.state == Conversation.State.FOLLOWUP
    # The list asked for again under m-1: its question is undone with the rest (the row fails last).
    assert handle_inbound(channel="sms", gateway_message_id="m-1", sender=PHONE, text="LAPOR").duplicate is True
    assert Conversation.objects.get().state == Conversation.State.FOLLOWUP
    # The same number on the other channel has its own question.
    handle_inbound(channel="whatsapp", gateway_message_id="m-1", sender=PHONE, text="LAPOR")
    assert Conversation.objects.count() == 2


def test_the_rate_limit_counts_each_window_after_its_start_only_for_the_sender(place, settings):
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 3], [3600, 4]]
    now = timezone.now()
    for i, minutes in enumerate((50, 20, 9, 5)):
        handle_inbound(channel="sms", gateway_message_id=f"old-{i}", sender=PHONE, text="BANTUAN",
                       received_at=now - timedelta(minutes=minutes))
    handle_inbound(channel="sms", gateway_message_id="other", sender=OTHER_PHONE, text="BANTUAN", received_at=now)
    # 10 minutes: 2 messages (under 3); an hour: 4 (the limit).
    limited = handle_inbound(channel="sms", gateway_message_id="new", sender=PHONE, text="BANTUAN", received_at=now)
    assert limited.inbound.outcome == Outcome.RATE_LIMITED and limited.inbound.detail == "3600s"
    assert inbound_counts_since(PHONE, [now - timedelta(minutes=10), now - timedelta(minutes=60)]) == [3, 5]
    assert inbound_counts_since(PHONE, [now - timedelta(minutes=5)]) == [1]  # strictly after the start
    assert inbound_counts_since(PHONE, [now - timedelta(minutes=10)], excluding=limited.inbound.pk) == [2]
    assert inbound_counts_since("+6280000000000", [now - timedelta(days=1)]) == [0]
    assert inbound_counts_since(PHONE, []) == []
