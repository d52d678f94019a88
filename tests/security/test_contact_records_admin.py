"""Records of what citizens were sent and sent (the outbox, inbound SMS/WhatsApp/e-mail) and the list of
failing recipients hold citizens' contacts across every agency: an agency's administrator with every
permission of the notify and channels apps sees no failing-recipients list, nobody deletes a message
record by hand (the retention jobs do), and a superuser's "try again" is audited without the contact."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from balai.audit.models import AuditRecord
from balai.audit.services import contact_reference, verify_chain
from balai.channels.models import InboundMessage
from balai.notify.models import Message, RecipientHealth
from tests.notify.factories import make_case
from tests.otp import verified_login
from tests.security.helpers import agency_admin, superuser

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"


def _notify_admin():
    user = agency_admin()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=("notify", "channels")))
    return user


def test_an_agency_administrator_sees_no_failing_recipients(client):
    RecipientHealth.objects.create(recipient=PHONE, contact_failing=True)
    verified_login(client, _notify_admin())
    assert client.get(reverse("admin:notify_recipienthealth_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "recipienthealth" not in index and PHONE not in index


def test_a_superusers_retry_is_audited_by_reference(client):
    health = RecipientHealth.objects.create(recipient=PHONE, contact_failing=True, consecutive_failures=3)
    admin = superuser()
    verified_login(client, admin)
    url = reverse("admin:notify_recipienthealth_changelist")
    page = client.get(url)
    assert page.status_code == 200 and "delete_selected" not in page.content.decode()
    client.post(url, {"action": "clear_failing", "_selected_action": [health.pk]})
    health.refresh_from_db()
    assert not health.contact_failing and health.consecutive_failures == 0
    record = AuditRecord.objects.get(action="notify.recipient.retry")
    assert record.actor == admin and record.data["recipient"] == contact_reference("phone", PHONE[1:])
    assert PHONE[1:] not in str(record.data) and verify_chain().ok
    assert client.post(reverse("admin:notify_recipienthealth_delete", args=[health.pk]),
                       {"post": "yes"}).status_code == 403
    assert RecipientHealth.objects.filter(pk=health.pk).exists()


@pytest.mark.parametrize("who", ["agency admin", "superuser"])
def test_nobody_deletes_a_message_record_by_hand(client, who):
    case = make_case()
    message = Message.objects.create(channel="sms", recipient=PHONE, language="id", event="received",
                                      body="Laporan diterima.", about=case)
    inbound = InboundMessage.objects.create(channel="sms", sender=PHONE, body="LAPOR jalan rusak", case=case)
    verified_login(client, superuser() if who == "superuser" else _notify_admin())
    for row in (message, inbound):
        meta = row._meta
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
        assert type(row).objects.filter(pk=row.pk).exists()
