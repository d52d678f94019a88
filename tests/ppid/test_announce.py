"""Serta-merta notices: published at once, on the home page, plain text, and sent to subscribers through the
outbox (docs/regulations.md §11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from balai.notify.models import Message
from balai.ppid.models import NoticeSubscriber
from balai.ppid.services import announce, item_propose
from tests.ppid.helpers import ITEM

pytestmark = pytest.mark.django_db


def test_notice_is_published_at_once_on_the_home_page_and_broadcast_through_the_outbox(world, client):
    NoticeSubscriber.objects.create(channel="sms", recipient="+6281250000009", language="id")
    NoticeSubscriber.objects.create(channel="email", recipient="warga@contoh.id", language="en")
    NoticeSubscriber.objects.create(channel="sms", recipient="+6281250000010", is_active=False)
    item = item_propose(actor=world.staff["ppid"], agency=world.agency,
                        values={**ITEM, "title": "Peringatan banjir", "category": "serta_merta"})
    with pytest.raises(PermissionDenied):
        announce(actor=world.outsider, item=item, notice="x")
    queued = announce(actor=world.staff["ppid"], item=item, broadcast=True,
                      notice="Banjir di Samarinda Ulu. Warga di bantaran sungai mengungsi ke posko terdekat.")
    assert queued == 2
    item.refresh_from_db()
    assert item.status == "approved" and item.broadcast_at is not None
    messages = Message.objects.filter(event="ppid_notice").order_by("channel")
    assert [m.channel for m in messages] == ["email", "sms"]
    sms = messages.get(channel="sms")
    assert "Banjir" in sms.body and len(sms.body) <= 160 and f"/informasi/daftar/{item.pk}/" in sms.body
    assert "NOTICE" in messages.get(channel="email").subject.upper() or messages.get(channel="email").subject
    # once: announcing again does not send again
    assert announce(actor=world.staff["ppid"], item=item, broadcast=True, notice="Pembaruan: air surut.") == 0
    home = client.get("/").content.decode()
    assert "Peringatan banjir" in home and "air surut" in home
    text = client.get(f"/informasi/daftar/{item.pk}.txt")
    assert text["Content-Type"].startswith("text/plain") and "air surut" in text.content.decode()
