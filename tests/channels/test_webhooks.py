"""Webhook security and idempotency: signatures, replays, rate limits, payload formats, receipts."""

from __future__ import annotations

import json
import time

import pytest

from balai.cases.models import Case
from balai.channels import signing
from balai.channels.models import InboundMessage, Outcome
from balai.notify.models import Message, MessageStatus
from tests.channels.conftest import PHONE, signed_post, sms_config

pytestmark = pytest.mark.django_db

REPORT = json.dumps({"message_id": "gw-1", "from": "081234567890", "text": "LAPOR JALAN lubang di Jl. Juanda"})


@pytest.mark.parametrize("path", ["/kanal/sms/", "/kanal/wa/", "/kanal/email/", "/kanal/sms/laporan-kirim/",
                                  "/kanal/wa/laporan-kirim/"])
def test_unsigned_request_is_refused(client, place, path):
    response = client.post(path, data=REPORT, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"ok": False, "error": "forbidden"}
    assert not InboundMessage.objects.exists() and not Case.objects.exists()


def test_wrong_signature_is_refused(client, place):
    headers = signing.signed_headers("sms", REPORT.encode())
    headers[signing.SIGNATURE_HEADER] = "sha256=" + "0" * 64
    response = client.post("/kanal/sms/", data=REPORT, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_signature_of_another_body_is_refused(client, place):
    headers = signing.signed_headers("sms", b'{"message_id": "x"}')
    response = client.post("/kanal/sms/", data=REPORT, content_type="application/json", headers=headers)
    assert response.status_code == 403


def test_signature_with_another_channels_secret_is_refused(client, place, settings):
    settings.BALAI_WHATSAPP_GATEWAY = {"inbound_secret": "wa-secret"}
    settings.BALAI_SMS_GATEWAY = {"inbound_secret": "sms-secret"}
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="whatsapp")
    assert response.status_code == 403
    assert signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms").status_code == 200


@pytest.mark.parametrize("age", [301, 3600, -400])
def test_stale_or_future_timestamp_is_refused(client, place, age):
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms", timestamp=int(time.time()) - age)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_timestamp_within_five_minutes_is_accepted(client, place):
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms", timestamp=int(time.time()) - 240)
    assert response.status_code == 200


def test_production_without_a_secret_refuses_everything(client, place, settings):
    settings.PRODUCTION = True
    settings.BALAI_SMS_GATEWAY = None
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms")
    assert response.status_code == 403


def test_configured_secret_is_used(client, place, settings):
    settings.BALAI_SMS_GATEWAY = {"inbound_secret": "s3cret"}
    ts = str(int(time.time()))
    sig = signing.signature("s3cret", ts, REPORT.encode())
    response = client.post("/kanal/sms/", data=REPORT, content_type="application/json",
                           headers={"X-Balai-Timestamp": ts, "X-Balai-Signature": sig})
    assert response.status_code == 200


def test_get_is_not_allowed(client, place):
    assert client.get("/kanal/sms/").status_code == 405


def test_replayed_delivery_makes_no_second_case_and_gives_the_same_reply(client, place):
    first = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms").json()
    again = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms").json()
    assert Case.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert first["duplicate"] is False and again["duplicate"] is True
    assert again["reply"] == first["reply"] and Case.objects.get().tracking_code in first["reply"]
    assert Message.objects.count() == 2  # one receipt SMS and one question (place, publication), not twice


def test_same_id_on_another_channel_is_another_message(client, place):
    signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms")
    signed_post(client, "/kanal/wa/", REPORT.encode(), channel="whatsapp")
    assert Case.objects.count() == 2
    assert set(Case.objects.values_list("channel", "contact_channel")) == {("sms", "sms"),
                                                                           ("whatsapp", "whatsapp")}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", json.dumps({"from": PHONE, "text": "x"}).encode(),
                                  json.dumps({"message_id": "a", "text": "x"}).encode()])
def test_bad_payload_is_400(client, place, body):
    response = signed_post(client, "/kanal/sms/", body, channel="sms")
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def test_form_encoded_payload_and_custom_field_names(client, place, settings):
    settings.BALAI_SMS_GATEWAY = sms_config(inbound_format={"id_field": "id", "from_field": "msisdn",
                                                            "text_field": "message.body"})
    body = json.dumps({"id": "77", "msisdn": "6281234567890", "message": {"body": "BANTUAN"}}).encode()
    response = signed_post(client, "/kanal/sms/", body, channel="sms")
    assert response.status_code == 200
    assert "LAPOR" in response.json()["reply"]
    settings.BALAI_SMS_GATEWAY = sms_config()
    form = b"message_id=78&from=%2B6281234567890&text=HELP"
    response = signed_post(client, "/kanal/sms/", form, channel="sms",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "REPORT" in response.json()["reply"]
    assert InboundMessage.objects.get(gateway_message_id="78").sender == PHONE


def test_every_message_gets_a_reply_in_the_outbox(sms, place):
    for text in ["", "😀", "halo", "BANTUAN", "CEK", "LAPOR"]:
        answer = sms(text)
        assert answer["reply"] and answer["queued"] is True
    replies = Message.objects.filter(recipient=PHONE, event="keyword_reply")
    assert replies.count() == 6
    assert all(m.status == MessageStatus.QUEUED and m.channel == "sms" for m in replies)


def test_sync_reply_mode_does_not_queue_keyword_replies(sms, place, settings):
    settings.BALAI_SMS_GATEWAY = sms_config(reply_mode="sync")
    answer = sms("BANTUAN")
    assert answer["queued"] is False and "LAPOR" in answer["reply"]
    assert not Message.objects.exists()


def test_rate_limit_replies_politely_once_per_window(sms, place, settings):
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 3]]
    for _ in range(3):
        assert "LAPOR" in sms("BANTUAN")["reply"]
    limited = sms("BANTUAN")
    assert "terlalu banyak pesan" in limited["reply"].lower() and "10 menit" in limited["reply"]
    assert limited["queued"] is True
    silent = sms("BANTUAN")
    assert silent["queued"] is False and silent["reply"] == ""  # silence, also for a "sync" gateway
    assert Message.objects.filter(recipient=PHONE).count() == 4  # 3 help texts + 1 polite refusal
    assert InboundMessage.objects.filter(outcome=Outcome.RATE_LIMITED).count() == 2
    # Another number is not affected.
    assert "LAPOR" in sms("BANTUAN", sender="+6281399998888")["reply"]


def test_rate_limited_report_files_no_case(sms, place, settings):
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 1]]
    sms("LAPOR JALAN lubang satu")
    sms("LAPOR JALAN lubang dua")
    assert Case.objects.count() == 1


def test_unexpected_error_is_503_and_keeps_nothing(client, place, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("balai.channels.services._execute", boom)
    response = signed_post(client, "/kanal/sms/", REPORT.encode(), channel="sms")
    assert response.status_code == 503
    assert not InboundMessage.objects.exists()


def test_delivery_receipt_is_recorded(client, place):
    message = Message.objects.create(event="received", channel="sms", recipient=PHONE, body="x",
                                     status=MessageStatus.SENT, gateway_message_id="gw-42")
    body = json.dumps({"message_id": "gw-42", "status": "DELIVRD"}).encode()
    response = signed_post(client, "/kanal/sms/laporan-kirim/", body, channel="sms")
    assert response.status_code == 200 and response.json() == {"ok": True, "recorded": 1, "ignored": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    batch = json.dumps([{"message_id": "gw-42", "status": "failed"}, {"message_id": "nope", "status": "delivered"},
                        {"foo": 1}]).encode()
    response = signed_post(client, "/kanal/sms/laporan-kirim/", batch, channel="sms")
    assert response.json() == {"ok": True, "recorded": 1, "ignored": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED  # final states never change


def test_receipt_with_bad_signature_changes_nothing(client, place):
    message = Message.objects.create(event="received", channel="sms", recipient=PHONE, body="x",
                                     status=MessageStatus.SENT, gateway_message_id="gw-43")
    body = json.dumps({"message_id": "gw-43", "status": "failed"}).encode()
    response = client.post("/kanal/sms/laporan-kirim/", data=body, content_type="application/json",
                           headers={"X-Balai-Timestamp": str(int(time.time())), "X-Balai-Signature": "bad"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
