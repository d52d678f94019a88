"""/dev/pesan/: the development gateway's messages and simulated citizen replies (demo mode and loopback
only; more refusals in tests/security/test_fail_closed.py)."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from balai.cases.models import Case
from balai.channels.models import InboundMessage
from balai.notify.models import DevMessage
from balai.notify.outbox import deliver
from tests.channels.conftest import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.BALAI_SMS_GATEWAY = None  # demo mode: the page signs its simulated messages itself


def test_hidden_outside_demo_and_debug(client, place, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    assert client.get("/dev/pesan/").status_code == 404
    assert client.post("/dev/pesan/", {"channel": "sms", "phone": PHONE, "text": "BANTUAN"}).status_code == 404
    assert not DevMessage.objects.exists()


def test_hidden_in_production_even_with_debug(client, place, settings):
    settings.DEMO_MODE = True
    settings.PRODUCTION = True
    assert client.get("/dev/pesan/").status_code == 404


def test_hidden_in_debug_mode_without_demo(client, place, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True
    assert client.get("/dev/pesan/").status_code == 404


def test_shown_in_demo_mode(client, place, demo):
    assert client.get("/dev/pesan/").status_code == 200


def test_simulated_report_goes_through_the_real_handler_and_the_reply_is_listed(client, place, demo):
    response = client.post("/dev/pesan/", {"channel": "sms", "phone": "0812-3456-7890",
                                           "text": "LAPOR JALAN lubang di Jl. Juanda"})
    assert response.status_code == 302
    inbound = InboundMessage.objects.get()
    assert response["Location"] == f"/dev/pesan/?masuk={inbound.pk}"
    case = Case.objects.get()
    assert inbound.case == case and inbound.gateway_message_id.startswith("dev-in-")
    assert DevMessage.objects.get(direction="in").address == PHONE
    deliver()  # what the worker does (the development gateway stores the outbound SMS)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert escape(inbound.reply) in html  # shown at once, before the worker runs
    out = DevMessage.objects.filter(direction="out").order_by("pk").first()  # the receipt, then the question
    assert DevMessage.objects.filter(direction="out").count() == 2
    assert out.address == PHONE and case.tracking_code in out.body and out.message.status == "delivered"
    assert escape(out.body) in html and html.index(escape(out.body)) < html.index("LAPOR JALAN lubang")


def test_listed_newest_first(client, place, demo):
    DevMessage.objects.create(channel="sms", address=PHONE, body="pertama")
    DevMessage.objects.create(channel="sms", address=PHONE, body="kedua")
    html = client.get("/dev/pesan/").content.decode()
    assert html.index("kedua") < html.index("pertama")


def test_bad_phone_number_shows_an_error_summary(client, place, demo):
    response = client.post("/dev/pesan/", {"channel": "sms", "phone": "abc", "text": "BANTUAN"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and not InboundMessage.objects.exists()


def test_english_page(client, place, demo):
    html = client.get("/en/dev/pesan/").content.decode()
    assert 'lang="en"' in html and "Development message gateway" in html
