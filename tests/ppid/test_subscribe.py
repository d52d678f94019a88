"""Public subscription to the serta-merta notices by e-mail: double opt-in, an unsubscribe link in each
notice, rate limits, nothing kept but the address and the language, both languages (docs/regulations.md
§11)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from balai.notify.models import Message
from balai.ppid.models import NoticeSubscriber
from balai.ppid.services import (
    CONFIRMATIONS_PER_RECIPIENT_DAY,
    SUBSCRIBE_PER_ADDRESS_HOUR,
    announce,
    forget_unconfirmed_subscribers,
    item_propose,
)
from tests.ppid.helpers import ITEM

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/informasi/langganan/(konfirmasi|berhenti)/(\S+?)/")


def _path(body: str, kind: str) -> str:
    for match in LINK.finditer(body):
        if match.group(1) == kind:
            return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    raise AssertionError(f"no {kind} link in {body!r}")


def _notice(world, *, title="Peringatan banjir"):
    item = item_propose(actor=world.staff["ppid"], agency=world.agency,
                        values={**ITEM, "title": title, "category": "serta_merta"})
    return announce(actor=world.staff["ppid"], item=item, broadcast=True,
                    notice="Banjir di Samarinda Ulu. Warga di bantaran sungai mengungsi.")


def test_double_opt_in_then_notice_with_unsubscribe_link_then_deleted(world, client):
    page = client.get("/informasi/langganan/")
    assert page.status_code == 200 and "Alamat surel Anda" in page.content.decode()
    done = client.post("/informasi/langganan/", {"email": " Warga@Contoh.ID "})
    assert done.status_code == 200 and "Periksa kotak surel" in done.content.decode()
    subscriber = NoticeSubscriber.objects.get()
    # minimal data: the address (normalised) and the language, inactive until confirmed
    assert (subscriber.channel, subscriber.recipient, subscriber.language) == ("email", "warga@contoh.id", "id")
    assert not subscriber.is_active and subscriber.confirmed_at is None
    # not confirmed: a notice does not reach it
    assert _notice(world) == 0
    mail = Message.objects.get(event="ppid_subscribe")
    assert mail.channel == "email" and mail.recipient == "warga@contoh.id" and mail.language == "id"
    confirm = _path(mail.body, "konfirmasi")
    # opening the link (a mail scanner does) changes nothing; pressing the button confirms
    assert client.get(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    assert client.post(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active and subscriber.confirmed_at is not None
    # a tampered link confirms nothing
    assert client.post(confirm.replace("konfirmasi/", "konfirmasi/x")).status_code == 400
    assert _notice(world, title="Peringatan longsor") == 1
    notice = Message.objects.get(event="ppid_notice")
    assert notice.recipient == "warga@contoh.id" and "Berhenti berlangganan" in notice.body
    stop = _path(notice.body, "berhenti")
    assert client.get(stop).status_code == 200 and NoticeSubscriber.objects.exists()
    assert client.post(stop).status_code == 200
    assert not NoticeSubscriber.objects.exists()  # deleted, nothing kept
    assert client.post(stop).status_code == 200  # again: nothing left to stop, same page
    # the confirmation link of a deleted subscription opens nothing, even if the address subscribes again
    client.post("/informasi/langganan/", {"email": "warga@contoh.id"})
    assert client.post(confirm).status_code == 400
    assert not NoticeSubscriber.objects.get().is_active


def test_english_page_and_messages(world, client):
    page = client.get("/en/informasi/langganan/")
    assert "Your e-mail address" in page.content.decode()
    client.post("/en/informasi/langganan/", {"email": "resident@example.org"})
    mail = Message.objects.get(event="ppid_subscribe")
    assert mail.language == "en" and "Confirm the subscription" in mail.body
    confirm = _path(mail.body, "konfirmasi")
    assert confirm.startswith("/en/")
    assert "Done: you will receive" in client.post(confirm).content.decode()
    _notice(world)
    notice = Message.objects.get(event="ppid_notice")
    assert notice.language == "en" and "Unsubscribe: " in notice.body and "/en/informasi/langganan/berhenti/" in notice.body


def test_the_page_never_tells_whether_an_address_is_subscribed(world, client):
    NoticeSubscriber.objects.create(channel="email", recipient="ada@contoh.id", confirmed_at=timezone.now())
    known = client.post("/informasi/langganan/", {"email": "ada@contoh.id"}).content.decode()
    unknown = client.post("/informasi/langganan/", {"email": "baru@contoh.id"}).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert not Message.objects.filter(recipient="ada@contoh.id").exists()  # nothing to confirm
    bad = client.post("/informasi/langganan/", {"email": "bukan-alamat"})
    assert bad.status_code == 400


def test_requests_are_rate_limited_per_client_and_per_address(world, client):
    for n in range(SUBSCRIBE_PER_ADDRESS_HOUR):
        assert client.post("/informasi/langganan/", {"email": "sasaran@contoh.id"}).status_code == 200
    limited = client.post("/informasi/langganan/", {"email": "lain@contoh.id"})
    assert limited.status_code == 429 and limited["Retry-After"]
    # however many clients ask, one address gets only a few confirmation e-mails a day
    assert Message.objects.filter(event="ppid_subscribe", recipient="sasaran@contoh.id").count() == \
        CONFIRMATIONS_PER_RECIPIENT_DAY
    other = client.post("/informasi/langganan/", {"email": "sasaran@contoh.id"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
    assert Message.objects.filter(event="ppid_subscribe", recipient="sasaran@contoh.id").count() == \
        CONFIRMATIONS_PER_RECIPIENT_DAY


def test_unconfirmed_addresses_are_forgotten_after_a_week(world, client):
    client.post("/informasi/langganan/", {"email": "lupa@contoh.id"})
    kept = NoticeSubscriber.objects.create(channel="email", recipient="tetap@contoh.id",
                                           confirmed_at=timezone.now())
    staff_added = NoticeSubscriber.objects.create(channel="sms", recipient="+6281250000009")
    assert forget_unconfirmed_subscribers() == 0
    assert forget_unconfirmed_subscribers(now=timezone.now() + timedelta(days=8)) == 1
    assert set(NoticeSubscriber.objects.values_list("pk", flat=True)) == {kept.pk, staff_added.pk}
