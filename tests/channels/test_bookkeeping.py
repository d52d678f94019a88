"""The channels' own bookkeeping rows are written only through channels/services/bookkeeping.py (ADR 0030)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from balai.channels.models import InboundMessage
from balai.channels.selectors import inbound_by_gateway_id, inbound_message
from balai.channels.services import finish_inbound, forget_inbound_before, record_inbound
from balai.notify.models import Message

pytestmark = pytest.mark.django_db


def test_record_once_per_gateway_id_and_channel():
    now = timezone.now()
    with transaction.atomic():
        first, new = record_inbound(channel="sms", gateway_message_id="gw-1", sender="+6281200000001",
                                    body="CEK KT-1", received_at=now)
    assert new and first.language == "id"
    with transaction.atomic():
        again, new_again = record_inbound(channel="sms", gateway_message_id="gw-1", sender="+6281200000001",
                                          body="anything", received_at=now)
    assert not new_again and again.pk == first.pk and again.body == "CEK KT-1"
    with transaction.atomic():
        mail, new_mail = record_inbound(channel="email", gateway_message_id="gw-1", sender="a@contoh.id",
                                        subject="s" * 300, body="", received_at=now, language="en")
    assert new_mail and mail.language == "en" and len(mail.subject) == 200
    assert inbound_by_gateway_id("sms", "gw-1") == first and inbound_by_gateway_id("whatsapp", "gw-1") is None
    assert inbound_message(mail.pk) == mail and inbound_message(10**9) is None


def test_finish_stores_the_outcome():
    with transaction.atomic():
        inbound, _new = record_inbound(channel="sms", gateway_message_id="gw-2", sender="+62812", body="TOLONG",
                                       received_at=timezone.now())
    finish_inbound(inbound, outcome="help", detail="d" * 80, language="en", case=None, reply="Kirim LAPOR",
                   reply_message=None, command="help")
    stored = InboundMessage.objects.get(pk=inbound.pk)
    assert (stored.outcome, stored.command, stored.language, stored.reply) == ("help", "help", "en", "Kirim LAPOR")
    assert stored.detail == "d" * 60
    finish_inbound(stored, outcome="unknown", detail="", language="id", case=None, reply="", reply_message=None)
    assert InboundMessage.objects.get(pk=inbound.pk).command == "help"  # kept when not given


def test_forget_before_a_cutoff_in_batches():
    now = timezone.now()
    for n in range(5):
        InboundMessage.objects.create(channel="sms", gateway_message_id=f"old-{n}", sender="+62812",
                                      received_at=now - timedelta(days=10 + n))
    kept = InboundMessage.objects.create(channel="sms", gateway_message_id="new", sender="+62812", received_at=now)
    assert forget_inbound_before(now - timedelta(days=1), batch=2) == 5
    assert list(InboundMessage.objects.all()) == [kept]


def test_a_new_row_is_written_by_finish_and_refuses_an_unsaved_reply():
    inbound = InboundMessage(channel="sms", gateway_message_id="gw-3", sender="+62812", body="TOLONG",
                             received_at=timezone.now())
    with pytest.raises(ValueError, match="unsaved related object"), transaction.atomic():
        finish_inbound(inbound, outcome="help", detail="", language="id", case=None, reply="x",
                       reply_message=Message(event="keyword_reply", channel="sms", recipient="+62812", body="x"))
    assert not InboundMessage.objects.exists()
    finish_inbound(inbound, outcome="help", detail="d" * 80, language="en", case=None, reply="Kirim LAPOR",
                   reply_message=None, command="help")
    stored = InboundMessage.objects.get()
    assert stored.pk == inbound.pk and (stored.outcome, stored.detail, stored.command) == ("help", "d" * 60, "help")
