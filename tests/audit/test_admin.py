from __future__ import annotations

import pytest
from django.urls import reverse

from balai.audit.services import audit_record
from tests.factories import UserFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, user)
    return client


def test_changelist_lists_searches_and_filters(admin_client):
    record = audit_record(action="case.assign", target_type="cases.case", target_id="42")
    audit_record(action="auth.login", actor_label="Petugas")
    url = reverse("admin:audit_auditrecord_changelist")
    response = admin_client.get(url, {"q": "case.assign"})
    assert response.status_code == 200
    assert record.hash[:12] in response.content.decode()
    response = admin_client.get(url, {"action": "auth.login"})
    assert response.status_code == 200
    assert record.hash[:12] not in response.content.decode()


def test_nobody_adds_changes_or_deletes(admin_client):
    record = audit_record(action="case.assign")
    assert admin_client.get(reverse("admin:audit_auditrecord_add")).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditrecord_delete", args=[record.pk])).status_code == 403
    response = admin_client.post(reverse("admin:audit_auditrecord_change", args=[record.pk]), {"action": "x"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.action == "case.assign"
