from __future__ import annotations

import pytest

from balai.notify.forms import MessageTemplateForm
from balai.notify.models import MessageTemplate
from tests.factories import UserFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db


def form(**data):
    return MessageTemplateForm(data={"event": "closed", "channel": "sms", "language": "id", "subject": "",
                                     "is_active": True, **data})


def test_sms_template_within_one_segment_is_accepted():
    assert form(body="Balai: Laporan {code} selesai. Terima kasih.").is_valid()


def test_sms_template_too_long_with_realistic_values_is_refused():
    f = form(body="Balai: {title} {service} {agency} {reason} {answer_excerpt} {code}")
    assert not f.is_valid()
    assert "160" in str(f.errors["body"])


def test_sms_template_with_emoji_is_refused_in_english_too():
    f = form(language="en", body="Balai: case {code} closed 🙏")
    assert not f.is_valid()
    assert "UCS-2" in str(f.errors["body"])


def test_unknown_placeholder_is_refused():
    f = form(body="Balai: {kode} selesai")
    assert not f.is_valid() and "{kode}" in str(f.errors["body"])


def test_email_needs_a_subject():
    f = form(channel="email", body="Isi {code}")
    assert not f.is_valid() and "subject" in f.errors


def test_admin_change_page_shows_preview_and_bumps_version(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, admin)
    tpl = MessageTemplate.objects.create(event="closed", channel="sms", language="id",
                                         body="Balai: Laporan {code} selesai.")
    url = f"/admin/notify/messagetemplate/{tpl.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Balai: Laporan KT-7M4Q-2X9P selesai." in page.content.decode()
    response = client.post(url, {"event": "closed", "channel": "sms", "language": "id", "subject": "",
                                 "body": "Balai: {code} selesai.", "is_active": "on"})
    assert response.status_code == 302
    tpl.refresh_from_db()
    assert tpl.version == 2 and tpl.body == "Balai: {code} selesai."
